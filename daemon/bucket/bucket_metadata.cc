#include "daemon/bucket/bucket_metadata.h"

#include <array>
#include <chrono>
#include <cstring>
#include <limits>
#include <msgpack.hpp>

namespace maxio {

namespace {

constexpr uint16_t kFormat = 1;
constexpr uint16_t kVersion = 1;
constexpr int8_t kGoTimeExtension = 5;             // tinylib/msgp's time.Time
constexpr int8_t kMsgpackTimestampExtension = -1;  // the msgpack spec's timestamp
constexpr int64_t kGoZeroTimeUnix = -62135596800;  // time.Time{}.Unix()

constexpr const char* kCorsField = "CorsConfigXML";
constexpr const char* kCorsUpdatedField = "CorsConfigUpdatedAt";

using Packer = msgpack::packer<msgpack::sbuffer>;

// Fields in the order MinIO's generated marshaller writes them.
struct BytesField {
  const char* name;
  std::string BucketMetadata::*member;
};
struct TimeField {
  const char* name;
  Timestamp BucketMetadata::*member;
};

constexpr std::array<BytesField, 11> kBytesFields = {{
    {"PolicyConfigJSON", &BucketMetadata::policy_json},
    {"NotificationConfigXML", &BucketMetadata::notification_xml},
    {"LifecycleConfigXML", &BucketMetadata::lifecycle_xml},
    {"ObjectLockConfigXML", &BucketMetadata::object_lock_xml},
    {"VersioningConfigXML", &BucketMetadata::versioning_xml},
    {"EncryptionConfigXML", &BucketMetadata::encryption_xml},
    {"TaggingConfigXML", &BucketMetadata::tagging_xml},
    {"QuotaConfigJSON", &BucketMetadata::quota_json},
    {"ReplicationConfigXML", &BucketMetadata::replication_xml},
    {"BucketTargetsConfigJSON", &BucketMetadata::bucket_targets_json},
    {"BucketTargetsConfigMetaJSON", &BucketMetadata::bucket_targets_meta_json},
}};

constexpr std::array<TimeField, 11> kTimeFields = {{
    {"PolicyConfigUpdatedAt", &BucketMetadata::policy_updated},
    {"ObjectLockConfigUpdatedAt", &BucketMetadata::object_lock_updated},
    {"EncryptionConfigUpdatedAt", &BucketMetadata::encryption_updated},
    {"TaggingConfigUpdatedAt", &BucketMetadata::tagging_updated},
    {"QuotaConfigUpdatedAt", &BucketMetadata::quota_updated},
    {"ReplicationConfigUpdatedAt", &BucketMetadata::replication_updated},
    {"VersioningConfigUpdatedAt", &BucketMetadata::versioning_updated},
    {"LifecycleConfigUpdatedAt", &BucketMetadata::lifecycle_updated},
    {"NotificationConfigUpdatedAt", &BucketMetadata::notification_updated},
    {"BucketTargetsConfigUpdatedAt", &BucketMetadata::bucket_targets_updated},
    {"BucketTargetsConfigMetaUpdatedAt", &BucketMetadata::bucket_targets_meta_updated},
}};

void pack_str(Packer& packer, std::string_view s) {
  packer.pack_str(static_cast<uint32_t>(s.size()));
  packer.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
}

void pack_bin(Packer& packer, std::string_view s) {
  packer.pack_bin(static_cast<uint32_t>(s.size()));
  packer.pack_bin_body(s.data(), static_cast<uint32_t>(s.size()));
}

void put_be(char* out, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

uint64_t get_be(const char* in, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

// msgp.AppendTime: ext8, 12 bytes, type 5: big-endian int64 seconds, int32 nanoseconds (UTC).
void pack_time(Packer& packer, Timestamp t) {
  int64_t seconds = kGoZeroTimeUnix;
  int64_t nanos = 0;
  if (t != Timestamp{}) {
    auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
    seconds = std::chrono::floor<std::chrono::seconds>(since).count();
    nanos = since.count() - seconds * 1'000'000'000;
  }
  char body[12];
  put_be(body, static_cast<uint64_t>(seconds), 8);
  put_be(body + 8, static_cast<uint64_t>(nanos), 4);
  packer.pack_ext(sizeof(body), kGoTimeExtension);
  packer.pack_ext_body(body, sizeof(body));
}

// Go's zero time, and any time a nanosecond clock cannot hold (beyond 1678–2262), read as
// unset.
Timestamp from_unix(int64_t seconds, int64_t nanos) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (seconds == kGoZeroTimeUnix && nanos == 0) return Timestamp{};
  if (seconds < -kLimit || seconds > kLimit || nanos < 0 || nanos >= 1'000'000'000) {
    return Timestamp{};
  }
  auto d = std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos);
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(d));
}

Status corrupt(const std::string& what) {
  return Status(ErrorCode::kFileCorrupt, "bucket metadata: " + what);
}

Result<Timestamp> read_time(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::EXT) return corrupt(std::string(field) + " is not a time");
  const char* d = o.via.ext.data();
  const uint32_t n = o.via.ext.size;
  if (o.via.ext.type() == kGoTimeExtension && n == 12) {
    return from_unix(static_cast<int64_t>(get_be(d, 8)),
                     static_cast<int32_t>(static_cast<uint32_t>(get_be(d + 8, 4))));
  }
  if (o.via.ext.type() == kMsgpackTimestampExtension) {
    if (n == 4) return from_unix(static_cast<int64_t>(get_be(d, 4)), 0);
    if (n == 8) {
      uint64_t v = get_be(d, 8);
      return from_unix(static_cast<int64_t>(v & 0x3ffffffffULL), static_cast<int64_t>(v >> 34));
    }
    if (n == 12) {
      return from_unix(static_cast<int64_t>(get_be(d + 4, 8)), static_cast<int64_t>(get_be(d, 4)));
    }
  }
  return corrupt(std::string(field) + " has an unknown time encoding");
}

Result<std::string> read_bytes(const msgpack::object& o, const char* field) {
  switch (o.type) {
    case msgpack::type::NIL:
      return std::string();
    case msgpack::type::BIN:
      return std::string(o.via.bin.ptr, o.via.bin.size);
    case msgpack::type::STR:
      return std::string(o.via.str.ptr, o.via.str.size);
    default:
      return corrupt(std::string(field) + " is not bytes");
  }
}

}  // namespace

std::string encode_bucket_metadata(const BucketMetadata& m) {
  msgpack::sbuffer buffer;
  const char header[4] = {static_cast<char>(kFormat & 0xff), static_cast<char>(kFormat >> 8),
                          static_cast<char>(kVersion & 0xff), static_cast<char>(kVersion >> 8)};
  buffer.write(header, sizeof(header));
  Packer packer(buffer);
  const bool has_cors = !m.cors_xml.empty();
  packer.pack_map(3 + kBytesFields.size() + kTimeFields.size() + (has_cors ? 2 : 0));
  pack_str(packer, "Name");
  pack_str(packer, m.name);
  pack_str(packer, "Created");
  pack_time(packer, m.created);
  pack_str(packer, "LockEnabled");
  if (m.lock_enabled) {
    packer.pack_true();
  } else {
    packer.pack_false();
  }
  for (const auto& f : kBytesFields) {
    pack_str(packer, f.name);
    pack_bin(packer, m.*f.member);
  }
  for (const auto& f : kTimeFields) {
    pack_str(packer, f.name);
    pack_time(packer, m.*f.member);
  }
  if (has_cors) {
    pack_str(packer, kCorsField);
    pack_bin(packer, m.cors_xml);
    pack_str(packer, kCorsUpdatedField);
    pack_time(packer, m.cors_updated);
  }
  return std::string(buffer.data(), buffer.size());
}

Result<BucketMetadata> decode_bucket_metadata(std::string_view data) {
  if (data.size() <= 4) return corrupt("no data");
  const auto u16 = [&](size_t at) {
    return static_cast<uint16_t>(static_cast<uint8_t>(data[at]) |
                                 (static_cast<uint8_t>(data[at + 1]) << 8));
  };
  if (u16(0) != kFormat) return corrupt("unknown format " + std::to_string(u16(0)));
  if (u16(2) != kVersion) return corrupt("unknown version " + std::to_string(u16(2)));

  msgpack::object_handle handle;
  try {
    // Bounded: a header claiming billions of entries must not allocate for them.
    const size_t bytes = data.size();
    const msgpack::unpack_limit limit(/*array=*/1024, /*map=*/256, /*str=*/bytes, /*bin=*/bytes,
                                      /*ext=*/64, /*depth=*/16);
    handle = msgpack::unpack(data.data() + 4, data.size() - 4, nullptr, nullptr, limit);
  } catch (const std::exception& e) {  // msgpack-c reports malformed input by throwing
    return corrupt(std::string("malformed msgpack: ") + e.what());
  }
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::MAP) return corrupt("not a map");

  BucketMetadata m;
  for (uint32_t i = 0; i < root.via.map.size; ++i) {
    const msgpack::object& key = root.via.map.ptr[i].key;
    const msgpack::object& value = root.via.map.ptr[i].val;
    if (key.type != msgpack::type::STR) return corrupt("a key is not a string");
    const std::string_view name(key.via.str.ptr, key.via.str.size);
    if (name == "Name") {
      MAXIO_TRY(m.name, read_bytes(value, "Name"));
      continue;
    }
    if (name == "Created") {
      MAXIO_TRY(m.created, read_time(value, "Created"));
      continue;
    }
    if (name == "LockEnabled") {
      if (value.type != msgpack::type::BOOLEAN) return corrupt("LockEnabled is not a bool");
      m.lock_enabled = value.via.boolean;
      continue;
    }
    if (name == kCorsField) {
      MAXIO_TRY(m.cors_xml, read_bytes(value, kCorsField));
      continue;
    }
    if (name == kCorsUpdatedField) {
      MAXIO_TRY(m.cors_updated, read_time(value, kCorsUpdatedField));
      continue;
    }
    bool known = false;
    for (const auto& f : kBytesFields) {
      if (name == f.name) {
        MAXIO_TRY(m.*f.member, read_bytes(value, f.name));
        known = true;
        break;
      }
    }
    if (known) continue;
    for (const auto& f : kTimeFields) {
      if (name == f.name) {
        MAXIO_TRY(m.*f.member, read_time(value, f.name));
        break;
      }
    }
  }
  return m;
}

}  // namespace maxio
