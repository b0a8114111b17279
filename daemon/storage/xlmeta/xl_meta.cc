#include "daemon/storage/xlmeta/xl_meta.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>

#include "daemon/storage/xlmeta/internal/msgpack.h"
#include "shared/util/uuid.h"

namespace maxio {
namespace {

using xlmeta_internal::MsgReader;
using xlmeta_internal::MsgWriter;
using Uuid = std::array<uint8_t, 16>;

constexpr char kMagic[] = {'X', 'L', '2', ' '};
constexpr uint16_t kMajor = 1;
constexpr uint16_t kMinor = 3;
constexpr uint8_t kHeaderVersion = 3;
constexpr uint8_t kMetaVersion = 3;
constexpr uint8_t kInlineDataVersion = 1;

constexpr uint8_t kTypeObject = 1;
constexpr uint8_t kTypeDelete = 2;
constexpr uint8_t kTypeLegacy = 3;

constexpr uint8_t kFlagFreeVersion = 1 << 0;
constexpr uint8_t kFlagUsesDataDir = 1 << 1;
constexpr uint8_t kFlagInlineData = 1 << 2;

constexpr uint8_t kErasureReedSolomon = 1;
constexpr uint8_t kChecksumHighwayHash = 1;

constexpr std::string_view kNullVersion = "null";
constexpr std::string_view kReservedPrefix = "x-minio-internal-";
const std::string kInlineDataKey = "x-minio-internal-inline-data";
const std::string kFreeVersionKey = "x-minio-internal-free-version";
const std::string kTransitionStatusKey = "x-minio-internal-transition-status";
// Keys MinIO never persists (used only while building a version).
const std::string kTierFreeVersionIdKey = "x-minio-internal-tier-free-versionID";
const std::string kTierFreeMarkerKey = "x-minio-internal-tier-free-marker";
const std::string kHealingKey = "x-minio-internal-healing";
const std::string kDataMovKey = "x-minio-internal-data-mov";

Status corrupt(std::string message) { return Status(ErrorCode::kFileCorrupt, std::move(message)); }

bool is_zero(const Uuid& id) {
  return std::all_of(id.begin(), id.end(), [](uint8_t b) { return b == 0; });
}

std::string uuid_text(const Uuid& id) { return is_zero(id) ? std::string() : format_uuid(id); }

// "" and "null" name the null version (all-zero ID); anything else must be a UUID.
std::optional<Uuid> version_key(std::string_view version_id) {
  if (version_id.empty() || version_id == kNullVersion) return Uuid{};
  auto parsed = parse_uuid(version_id);
  if (!parsed) return std::nullopt;
  return *parsed;
}

// The inline-data key of a version: "null" or its UUID text.
std::string inline_key(const Uuid& id) {
  return is_zero(id) ? std::string(kNullVersion) : format_uuid(id);
}

int64_t to_unix_nanos(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_unix_nanos(int64_t ns) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(ns)));
}

bool starts_with_reserved(std::string_view key) {
  if (key.size() <= kReservedPrefix.size()) return false;
  for (size_t i = 0; i < kReservedPrefix.size(); ++i) {
    char c = key[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kReservedPrefix[i]) return false;
  }
  return true;
}

// ---- Decoded versions (xlMetaV2Object, xlMetaV2DeleteMarker, xlMetaV2Version) ----

using MetaMap = std::map<std::string, std::string>;

struct ObjectV2 {
  Uuid version_id{};
  Uuid data_dir{};
  uint8_t erasure_algorithm = 0;
  int64_t erasure_m = 0;  // data blocks
  int64_t erasure_n = 0;  // parity blocks
  int64_t erasure_block_size = 0;
  int64_t erasure_index = 0;
  std::vector<uint8_t> erasure_dist;
  uint8_t checksum_algorithm = 0;
  std::vector<int64_t> part_numbers;
  std::optional<std::vector<std::string>> part_etags;
  std::vector<int64_t> part_sizes;
  std::optional<std::vector<int64_t>> part_actual_sizes;
  std::optional<std::vector<std::string>> part_indices;
  int64_t size = 0;
  int64_t mod_time = 0;
  std::optional<MetaMap> meta_sys;
  std::optional<MetaMap> meta_user;
};

struct DeleteMarker {
  Uuid version_id{};
  int64_t mod_time = 0;
  std::optional<MetaMap> meta_sys;
};

struct VersionEntry {
  uint8_t type = 0;
  bool has_v1 = false;  // a legacy xlMetaV1Object (kept opaque)
  std::optional<ObjectV2> object;
  std::optional<DeleteMarker> delete_marker;
  uint64_t written_by_version = 0;
};

// ---- Encoding ----

void encode_meta_bytes(MsgWriter& w, const std::optional<MetaMap>& m, bool as_bin) {
  if (!m) {
    w.append_nil();
    return;
  }
  w.append_map_header(static_cast<uint32_t>(m->size()));
  for (const auto& [k, v] : *m) {
    w.append_str(k);
    if (as_bin) {
      w.append_bin(v);
    } else {
      w.append_str(v);
    }
  }
}

std::string_view uuid_view(const Uuid& id) {
  return std::string_view(reinterpret_cast<const char*>(id.data()), id.size());
}

void encode_object(MsgWriter& w, const ObjectV2& o) {
  w.append_map_header(o.part_indices ? 18 : 17);
  w.append_str("ID");
  w.append_bin(uuid_view(o.version_id));
  w.append_str("DDir");
  w.append_bin(uuid_view(o.data_dir));
  w.append_str("EcAlgo");
  w.append_uint(o.erasure_algorithm);
  w.append_str("EcM");
  w.append_int(o.erasure_m);
  w.append_str("EcN");
  w.append_int(o.erasure_n);
  w.append_str("EcBSize");
  w.append_int(o.erasure_block_size);
  w.append_str("EcIndex");
  w.append_int(o.erasure_index);
  w.append_str("EcDist");
  w.append_array_header(static_cast<uint32_t>(o.erasure_dist.size()));
  for (uint8_t d : o.erasure_dist) w.append_uint(d);
  w.append_str("CSumAlgo");
  w.append_uint(o.checksum_algorithm);
  w.append_str("PartNums");
  w.append_array_header(static_cast<uint32_t>(o.part_numbers.size()));
  for (int64_t n : o.part_numbers) w.append_int(n);
  w.append_str("PartETags");
  if (!o.part_etags) {
    w.append_nil();
  } else {
    w.append_array_header(static_cast<uint32_t>(o.part_etags->size()));
    for (const auto& e : *o.part_etags) w.append_str(e);
  }
  w.append_str("PartSizes");
  w.append_array_header(static_cast<uint32_t>(o.part_sizes.size()));
  for (int64_t s : o.part_sizes) w.append_int(s);
  w.append_str("PartASizes");
  if (!o.part_actual_sizes) {
    w.append_nil();
  } else {
    w.append_array_header(static_cast<uint32_t>(o.part_actual_sizes->size()));
    for (int64_t s : *o.part_actual_sizes) w.append_int(s);
  }
  if (o.part_indices) {
    w.append_str("PartIdx");
    w.append_array_header(static_cast<uint32_t>(o.part_indices->size()));
    for (const auto& idx : *o.part_indices) w.append_bin(idx);
  }
  w.append_str("Size");
  w.append_int(o.size);
  w.append_str("MTime");
  w.append_int(o.mod_time);
  w.append_str("MetaSys");
  encode_meta_bytes(w, o.meta_sys, /*as_bin=*/true);
  w.append_str("MetaUsr");
  encode_meta_bytes(w, o.meta_user, /*as_bin=*/false);
}

void encode_delete_marker(MsgWriter& w, const DeleteMarker& d) {
  w.append_map_header(d.meta_sys ? 3 : 2);
  w.append_str("ID");
  w.append_bin(uuid_view(d.version_id));
  w.append_str("MTime");
  w.append_int(d.mod_time);
  if (d.meta_sys) {
    w.append_str("MetaSys");
    encode_meta_bytes(w, d.meta_sys, /*as_bin=*/true);
  }
}

std::string encode_version(const VersionEntry& v) {
  MsgWriter w;
  // V1Obj is never written by us (legacy versions keep their original bytes).
  const uint32_t fields = 2 + (v.object ? 1 : 0) + (v.delete_marker ? 1 : 0);
  w.append_map_header(fields);
  w.append_str("Type");
  w.append_uint(v.type);
  if (v.object) {
    w.append_str("V2Obj");
    encode_object(w, *v.object);
  }
  if (v.delete_marker) {
    w.append_str("DelObj");
    encode_delete_marker(w, *v.delete_marker);
  }
  w.append_str("v");
  w.append_uint(v.written_by_version);
  return w.take();
}

// ---- Signatures (MinIO's xlMetaV2Object.Signature / xlMetaV2DeleteMarker.Signature) ----

uint64_t hash_deterministic(const std::optional<MetaMap>& m, uint64_t seed) {
  uint64_t crc = seed;
  if (!m) return crc;
  for (const auto& [k, v] : *m) {
    crc ^= (XXH3_64bits(k.data(), k.size()) ^ 0x4ee3bbaf7ab2506bULL) +
           (XXH3_64bits(v.data(), v.size()) ^ 0x8da4c8da66194257ULL);
  }
  return crc;
}

std::array<uint8_t, 4> fold_signature(uint64_t crc) {
  const uint32_t folded = static_cast<uint32_t>(crc ^ (crc >> 32));
  return {static_cast<uint8_t>(folded), static_cast<uint8_t>(folded >> 8),
          static_cast<uint8_t>(folded >> 16), static_cast<uint8_t>(folded >> 24)};
}

std::array<uint8_t, 4> object_signature(const ObjectV2& o) {
  ObjectV2 c = o;
  c.erasure_index = 0;
  if (c.part_etags && std::all_of(c.part_etags->begin(), c.part_etags->end(),
                                  [](const auto& e) { return e.empty(); })) {
    c.part_etags.reset();
  }
  if (c.part_actual_sizes && c.part_actual_sizes->empty()) c.part_actual_sizes.reset();
  uint64_t crc = hash_deterministic(c.meta_user, 0xc2b40bbac11a7295ULL);
  crc ^= hash_deterministic(c.meta_sys, 0x1bbc7e1dde654743ULL);
  c.meta_sys.reset();
  c.meta_user.reset();
  MsgWriter w;
  encode_object(w, c);
  crc ^= XXH64(w.buffer().data(), w.buffer().size(), 0);
  return fold_signature(crc);
}

std::array<uint8_t, 4> delete_marker_signature(const DeleteMarker& d) {
  DeleteMarker c = d;
  uint64_t crc = hash_deterministic(c.meta_sys, 0x1bbc7e1dde654743ULL);
  c.meta_sys.reset();
  MsgWriter w;
  encode_delete_marker(w, c);
  crc ^= XXH64(w.buffer().data(), w.buffer().size(), 0);
  return fold_signature(crc);
}

// ---- Decoding ----

bool read_uuid(MsgReader& r, Uuid& out) {
  auto b = r.read_bytes();
  if (!b || b->size() != out.size()) return false;
  std::memcpy(out.data(), b->data(), out.size());
  return true;
}

template <typename T>
bool read_bounded_int(MsgReader& r, T& out) {
  auto v = r.read_int();
  if (!v || *v < std::numeric_limits<T>::min() || *v > std::numeric_limits<T>::max()) return false;
  out = static_cast<T>(*v);
  return true;
}

bool read_u8(MsgReader& r, uint8_t& out) {
  auto v = r.read_uint();
  if (!v || *v > 0xff) return false;
  out = static_cast<uint8_t>(*v);
  return true;
}

// An array header whose count cannot exceed the bytes left (each element is >= 1 byte).
std::optional<uint32_t> read_array(MsgReader& r) {
  auto n = r.read_array_header();
  if (!n || *n > r.remaining()) return std::nullopt;
  return n;
}

bool read_int_array(MsgReader& r, std::vector<int64_t>& out) {
  out.clear();
  if (r.try_nil()) return true;
  auto n = read_array(r);
  if (!n) return false;
  out.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    auto v = r.read_int();
    if (!v) return false;
    out.push_back(*v);
  }
  return true;
}

bool read_bytes_array(MsgReader& r, std::vector<std::string>& out) {
  out.clear();
  auto n = read_array(r);
  if (!n) return false;
  out.reserve(*n);
  for (uint32_t i = 0; i < *n; ++i) {
    auto v = r.read_bytes();
    if (!v) return false;
    out.emplace_back(*v);
  }
  return true;
}

bool read_meta_map(MsgReader& r, std::optional<MetaMap>& out) {
  out.reset();
  if (r.try_nil()) return true;
  auto n = r.read_map_header();
  if (!n || *n > r.remaining()) return false;
  out.emplace();
  for (uint32_t i = 0; i < *n; ++i) {
    auto k = r.read_bytes();
    if (!k) return false;
    auto v = r.read_bytes();
    if (!v) return false;
    (*out)[std::string(*k)] = std::string(*v);
  }
  return true;
}

bool decode_object(MsgReader& r, ObjectV2& o) {
  auto n = r.read_map_header();
  if (!n) return false;
  for (uint32_t i = 0; i < *n; ++i) {
    auto key = r.read_bytes();
    if (!key) return false;
    bool ok = true;
    if (*key == "ID") {
      ok = read_uuid(r, o.version_id);
    } else if (*key == "DDir") {
      ok = read_uuid(r, o.data_dir);
    } else if (*key == "EcAlgo") {
      ok = read_u8(r, o.erasure_algorithm);
    } else if (*key == "EcM") {
      ok = read_bounded_int(r, o.erasure_m);
    } else if (*key == "EcN") {
      ok = read_bounded_int(r, o.erasure_n);
    } else if (*key == "EcBSize") {
      ok = read_bounded_int(r, o.erasure_block_size);
    } else if (*key == "EcIndex") {
      ok = read_bounded_int(r, o.erasure_index);
    } else if (*key == "EcDist") {
      o.erasure_dist.clear();
      if (!r.try_nil()) {
        auto count = read_array(r);
        ok = count.has_value();
        for (uint32_t j = 0; ok && j < *count; ++j) {
          uint8_t d = 0;
          ok = read_u8(r, d);
          o.erasure_dist.push_back(d);
        }
      }
    } else if (*key == "CSumAlgo") {
      ok = read_u8(r, o.checksum_algorithm);
    } else if (*key == "PartNums") {
      ok = read_int_array(r, o.part_numbers);
    } else if (*key == "PartETags") {
      o.part_etags.reset();
      if (!r.try_nil()) ok = read_bytes_array(r, o.part_etags.emplace());
    } else if (*key == "PartSizes") {
      ok = read_int_array(r, o.part_sizes);
    } else if (*key == "PartASizes") {
      o.part_actual_sizes.reset();
      if (!r.try_nil()) ok = read_int_array(r, o.part_actual_sizes.emplace());
    } else if (*key == "PartIdx") {
      o.part_indices.reset();
      if (!r.try_nil()) ok = read_bytes_array(r, o.part_indices.emplace());
    } else if (*key == "Size") {
      ok = read_bounded_int(r, o.size);
    } else if (*key == "MTime") {
      ok = read_bounded_int(r, o.mod_time);
    } else if (*key == "MetaSys") {
      ok = read_meta_map(r, o.meta_sys);
    } else if (*key == "MetaUsr") {
      ok = read_meta_map(r, o.meta_user);
    } else {
      ok = r.skip();
    }
    if (!ok) return false;
  }
  return true;
}

bool decode_delete_marker(MsgReader& r, DeleteMarker& d) {
  auto n = r.read_map_header();
  if (!n) return false;
  for (uint32_t i = 0; i < *n; ++i) {
    auto key = r.read_bytes();
    if (!key) return false;
    bool ok = true;
    if (*key == "ID") {
      ok = read_uuid(r, d.version_id);
    } else if (*key == "MTime") {
      ok = read_bounded_int(r, d.mod_time);
    } else if (*key == "MetaSys") {
      ok = read_meta_map(r, d.meta_sys);
    } else {
      ok = r.skip();
    }
    if (!ok) return false;
  }
  return true;
}

// Decodes one xlMetaV2Version map from r and checks it is a valid version.
bool decode_version(MsgReader& r, VersionEntry& v) {
  auto n = r.read_map_header();
  if (!n) return false;
  for (uint32_t i = 0; i < *n; ++i) {
    auto key = r.read_bytes();
    if (!key) return false;
    bool ok = true;
    if (*key == "Type") {
      ok = read_u8(r, v.type);
    } else if (*key == "V1Obj") {
      v.has_v1 = !r.try_nil();
      if (v.has_v1) ok = r.skip();
    } else if (*key == "V2Obj") {
      v.object.reset();
      if (!r.try_nil()) ok = decode_object(r, v.object.emplace());
    } else if (*key == "DelObj") {
      v.delete_marker.reset();
      if (!r.try_nil()) ok = decode_delete_marker(r, v.delete_marker.emplace());
    } else if (*key == "v") {
      auto w = r.read_uint();
      ok = w.has_value();
      if (ok) v.written_by_version = *w;
    } else {
      ok = r.skip();
    }
    if (!ok) return false;
  }
  // MinIO's xlMetaV2Version.Valid().
  switch (v.type) {
    case kTypeObject:
      return v.object && v.object->erasure_algorithm == kErasureReedSolomon &&
             v.object->checksum_algorithm == kChecksumHighwayHash &&
             v.object->erasure_m >= v.object->erasure_n && v.object->erasure_m > 0 &&
             v.object->erasure_n >= 0 && v.object->mod_time > 0;
    case kTypeDelete:
      return v.delete_marker && v.delete_marker->mod_time > 0;
    case kTypeLegacy:
      return v.has_v1;
    default:
      return false;
  }
}

std::optional<VersionEntry> decode_version_bytes(std::string_view meta) {
  MsgReader r(meta);
  VersionEntry v;
  if (!decode_version(r, v)) return std::nullopt;
  if (v.object) {
    // MinIO drops all-empty ETag lists on load.
    auto& etags = v.object->part_etags;
    if (etags &&
        std::all_of(etags->begin(), etags->end(), [](const auto& e) { return e.empty(); })) {
      etags.reset();
    }
  }
  return v;
}

bool object_uses_data_dir(const ObjectV2& o) {
  if (!o.meta_sys) return true;
  auto it = o.meta_sys->find(kTransitionStatusKey);
  if (it == o.meta_sys->end() || it->second != "complete") return true;
  // Transitioned: uses its data dir only when restored on disk.
  if (!o.meta_user) return false;
  auto restore = o.meta_user->find("x-amz-restore");
  return restore != o.meta_user->end() &&
         restore->second.find("ongoing-request=\"false\"") != std::string::npos;
}

}  // namespace

// ---- Header ----

bool XlMeta::Header::sorts_before(const Header& o) const {
  if (*this == o) return false;
  if (mod_time != o.mod_time) return mod_time > o.mod_time;
  if (type != o.type) return type < o.type;
  if (signature != o.signature) return signature > o.signature;
  if (version_id != o.version_id) return version_id > o.version_id;
  if (flags != o.flags) return flags > o.flags;
  return false;
}

namespace {

// MinIO's xlMetaV2Version.header().
template <typename Header>
Header make_header(const VersionEntry& v) {
  Header h;
  h.type = v.type;
  if (v.type == kTypeObject && v.object) {
    const ObjectV2& o = *v.object;
    h.version_id = o.version_id;
    h.mod_time = o.mod_time;
    h.signature = object_signature(o);
    if (object_uses_data_dir(o)) h.flags |= kFlagUsesDataDir;
    if (o.meta_sys && o.meta_sys->count(kInlineDataKey)) h.flags |= kFlagInlineData;
    h.ec_m = static_cast<uint8_t>(o.erasure_m);
    h.ec_n = static_cast<uint8_t>(o.erasure_n);
  } else if (v.type == kTypeDelete && v.delete_marker) {
    const DeleteMarker& d = *v.delete_marker;
    h.version_id = d.version_id;
    h.mod_time = d.mod_time;
    h.signature = delete_marker_signature(d);
    if (d.meta_sys && d.meta_sys->count(kFreeVersionKey)) h.flags |= kFlagFreeVersion;
  } else {
    h.signature = {'e', 'r', 'r', 0};
  }
  return h;
}

template <typename Header>
bool decode_header(std::string_view bytes, uint8_t header_version, Header& h) {
  MsgReader r(bytes);
  auto n = r.read_array_header();
  if (!n) return false;
  const uint32_t want = header_version == 1 ? 4 : (header_version == 2 ? 5 : 7);
  if (*n != want) return false;
  if (!read_uuid(r, h.version_id)) return false;
  if (!read_bounded_int(r, h.mod_time)) return false;
  if (header_version >= 2) {
    auto sig = r.read_bytes();
    if (!sig || sig->size() != 4) return false;
    std::memcpy(h.signature.data(), sig->data(), 4);
  }
  if (!read_u8(r, h.type) || !read_u8(r, h.flags)) return false;
  if (header_version >= 3) {
    if (!read_u8(r, h.ec_n) || !read_u8(r, h.ec_m)) return false;
  }
  return true;
}

// Parses xlMetaInlineData leniently, keeping the valid prefix as MinIO's repair() does.
std::vector<std::pair<std::string, std::string>> parse_inline(std::string_view data) {
  std::vector<std::pair<std::string, std::string>> out;
  if (data.empty()) return out;
  const uint8_t version = static_cast<uint8_t>(data[0]);
  if (version == 0 || version > kInlineDataVersion) return out;
  MsgReader r(data.substr(1));
  auto n = r.read_map_header();
  if (!n) return out;
  for (uint32_t i = 0; i < *n; ++i) {
    auto k = r.read_bytes();
    if (!k || k->empty()) break;
    auto v = r.read_bytes();
    if (!v) break;
    out.emplace_back(std::string(*k), std::string(*v));
  }
  return out;
}

}  // namespace

// ---- Parse / serialize ----

Result<XlMeta> XlMeta::parse(std::string_view bytes) {
  if (bytes.size() <= 8) return corrupt("xl.meta: too short");
  if (std::memcmp(bytes.data(), kMagic, 4) != 0) return corrupt("xl.meta: bad magic");
  uint16_t major = 0;
  uint16_t minor = 0;
  if (bytes.substr(4, 4) == "1   ") {
    major = 1;
    minor = 0;
  } else {
    auto u8 = [&](size_t i) { return static_cast<uint16_t>(static_cast<uint8_t>(bytes[i])); };
    major = static_cast<uint16_t>(u8(4) | (u8(5) << 8));
    minor = static_cast<uint16_t>(u8(6) | (u8(7) << 8));
  }
  if (major != kMajor) return corrupt("xl.meta: unknown major version");
  if (minor > kMinor) return corrupt("xl.meta: unknown minor version");

  XlMeta x;
  x.parsed_minor_ = minor;
  std::string_view rest = bytes.substr(8);
  std::string_view meta;
  if (minor == 0) {
    meta = rest;
    rest = {};
  } else {
    MsgReader r(rest);
    auto m = r.read_bytes();
    if (!m || static_cast<uint8_t>(rest[0]) < 0xc4 || static_cast<uint8_t>(rest[0]) > 0xc6) {
      return corrupt("xl.meta: bad metadata block");
    }
    meta = *m;
    if (minor >= 2) {
      auto crc = r.read_uint();
      if (!crc || *crc > 0xffffffffULL) return corrupt("xl.meta: missing CRC");
      if (static_cast<uint32_t>(XXH64(meta.data(), meta.size(), 0)) != *crc) {
        return corrupt("xl.meta: CRC mismatch");
      }
    }
    rest = r.rest();
  }

  if (minor >= 3) {
    MsgReader r(meta);
    uint8_t header_version = 0;
    uint8_t meta_version = 0;
    if (!read_u8(r, header_version) || !read_u8(r, meta_version)) {
      return corrupt("xl.meta: bad header versions");
    }
    if (header_version == 0 || header_version > kHeaderVersion || meta_version > kMetaVersion) {
      return corrupt("xl.meta: unknown header/meta version");
    }
    auto count = r.read_int();
    if (!count || *count < 0 || static_cast<uint64_t>(*count) > r.remaining()) {
      return corrupt("xl.meta: bad version count");
    }
    x.meta_version_ = meta_version;
    x.versions_.reserve(static_cast<size_t>(*count));
    for (int64_t i = 0; i < *count; ++i) {
      auto hdr = r.read_bytes();
      if (!hdr) return corrupt("xl.meta: truncated version header");
      auto body = r.read_bytes();
      if (!body) return corrupt("xl.meta: truncated version");
      Version v;
      if (!decode_header(*hdr, header_version, v.header))
        return corrupt("xl.meta: bad version header");
      auto decoded = decode_version_bytes(*body);
      if (!decoded) return corrupt("xl.meta: bad version");
      if (header_version < 3 && decoded->object) {
        v.header.ec_m = static_cast<uint8_t>(decoded->object->erasure_m);
        v.header.ec_n = static_cast<uint8_t>(decoded->object->erasure_n);
      }
      if (header_version < 2) v.header = make_header<Header>(*decoded);
      v.meta = std::string(*body);
      x.versions_.push_back(std::move(v));
    }
  } else {
    // Legacy (1.0-1.2): a map {"Versions": [xlMetaV2Version...]}.
    MsgReader r(meta);
    auto n = r.read_map_header();
    if (!n) return corrupt("xl.meta: bad legacy metadata");
    bool seen_versions = false;
    for (uint32_t i = 0; i < *n; ++i) {
      auto key = r.read_bytes();
      if (!key) return corrupt("xl.meta: bad legacy key");
      if (*key != "Versions") {
        if (!r.skip()) return corrupt("xl.meta: bad legacy value");
        continue;
      }
      seen_versions = true;
      auto count = read_array(r);
      if (!count) return corrupt("xl.meta: bad legacy versions");
      for (uint32_t j = 0; j < *count; ++j) {
        const size_t start = r.position();
        VersionEntry entry;
        if (!decode_version(r, entry)) return corrupt("xl.meta: bad legacy version");
        Version v;
        v.meta = std::string(meta.substr(start, r.position() - start));
        v.header = make_header<Header>(entry);
        x.versions_.push_back(std::move(v));
      }
    }
    if (!seen_versions && minor == 0) return corrupt("xl.meta: no versions");
    x.meta_version_ = 1;
    x.sort_versions();
  }
  x.inline_ = parse_inline(rest);
  return x;
}

std::string XlMeta::serialize() const {
  MsgWriter body;
  body.append_uint(kHeaderVersion);
  body.append_uint(kMetaVersion);
  body.append_int(static_cast<int64_t>(versions_.size()));
  for (const Version& v : versions_) {
    MsgWriter h;
    h.append_array_header(7);
    h.append_bin(uuid_view(v.header.version_id));
    h.append_int(v.header.mod_time);
    h.append_bin(std::string_view(reinterpret_cast<const char*>(v.header.signature.data()), 4));
    h.append_uint(v.header.type);
    h.append_uint(v.header.flags);
    h.append_uint(v.header.ec_n);
    h.append_uint(v.header.ec_m);
    body.append_bin(h.buffer());
    body.append_bin(v.meta);
  }
  const std::string& meta = body.buffer();

  std::string out(kMagic, 4);
  out.push_back(static_cast<char>(kMajor & 0xff));
  out.push_back(static_cast<char>(kMajor >> 8));
  out.push_back(static_cast<char>(kMinor & 0xff));
  out.push_back(static_cast<char>(kMinor >> 8));
  MsgWriter w;
  // MinIO always writes a bin32 header for the metadata block.
  const uint32_t len = static_cast<uint32_t>(meta.size());
  w.buffer().push_back(static_cast<char>(0xc6));
  for (int i = 3; i >= 0; --i) w.buffer().push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  w.append_raw(meta);
  w.append_fixed_uint32(static_cast<uint32_t>(XXH64(meta.data(), meta.size(), 0)));
  if (!inline_.empty()) {
    w.buffer().push_back(static_cast<char>(kInlineDataVersion));
    w.append_map_header(static_cast<uint32_t>(inline_.size()));
    for (const auto& [k, v] : inline_) {
      w.append_str(k);
      w.append_bin(v);
    }
  }
  out += w.buffer();
  return out;
}

// ---- Versions ----

void XlMeta::sort_versions() {
  std::stable_sort(versions_.begin(), versions_.end(), [](const Version& a, const Version& b) {
    return a.header.sorts_before(b.header);
  });
}

const std::string* XlMeta::inline_data(std::string_view key) const {
  for (const auto& [k, v] : inline_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void XlMeta::set_inline(const std::string& key, std::string value) {
  for (auto& [k, v] : inline_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  inline_.emplace_back(key, std::move(value));
}

bool XlMeta::remove_inline(const std::string& key) {
  auto it =
      std::find_if(inline_.begin(), inline_.end(), [&](const auto& e) { return e.first == key; });
  if (it == inline_.end()) return false;
  inline_.erase(it);
  return true;
}

Status XlMeta::add_version(const FileInfo& fi) {
  auto id = version_key(fi.version_id);
  if (!id) return Status(ErrorCode::kInvalidArgument, "xl.meta: bad version id");
  Uuid data_dir{};
  if (!fi.data_dir.empty()) {
    auto dd = parse_uuid(fi.data_dir);
    if (!dd) return Status(ErrorCode::kInvalidArgument, "xl.meta: bad data dir");
    data_dir = *dd;
  }
  const int64_t mod_time = to_unix_nanos(fi.mod_time);
  VersionEntry entry;
  if (fi.deleted) {
    entry.type = kTypeDelete;
    DeleteMarker& d = entry.delete_marker.emplace();
    d.version_id = *id;
    d.mod_time = mod_time;
    d.meta_sys.emplace(fi.system_metadata.begin(), fi.system_metadata.end());
  } else {
    entry.type = kTypeObject;
    ObjectV2& o = entry.object.emplace();
    o.version_id = *id;
    o.data_dir = data_dir;
    o.size = fi.size;
    o.mod_time = mod_time;
    o.erasure_algorithm = kErasureReedSolomon;
    o.erasure_m = fi.erasure.data_blocks;
    o.erasure_n = fi.erasure.parity_blocks;
    o.erasure_block_size = fi.erasure.block_size;
    o.erasure_index = fi.erasure.index;
    o.checksum_algorithm = kChecksumHighwayHash;
    for (int d : fi.erasure.distribution) {
      if (d < 0 || d > 255) return Status(ErrorCode::kInvalidArgument, "xl.meta: bad distribution");
      o.erasure_dist.push_back(static_cast<uint8_t>(d));
    }
    const bool any_etag = std::any_of(fi.parts.begin(), fi.parts.end(),
                                      [](const ObjectPartInfo& p) { return !p.etag.empty(); });
    if (any_etag) o.part_etags.emplace();
    o.part_actual_sizes.emplace();
    for (const ObjectPartInfo& p : fi.parts) {
      o.part_numbers.push_back(p.number);
      o.part_sizes.push_back(p.size);
      o.part_actual_sizes->push_back(p.actual_size);
      if (any_etag) o.part_etags->push_back(p.etag);
    }
    o.meta_sys.emplace();
    o.meta_user.emplace();
    for (const auto& [k, v] : fi.system_metadata) (*o.meta_sys)[k] = v;
    for (const auto& [k, v] : fi.metadata) {
      if (starts_with_reserved(k)) {
        (*o.meta_sys)[k] = v;
      } else {
        (*o.meta_user)[k] = v;
      }
    }
    for (const std::string* skip :
         {&kTierFreeVersionIdKey, &kTierFreeMarkerKey, &kHealingKey, &kDataMovKey}) {
      o.meta_sys->erase(*skip);
    }
  }
  // MinIO's Valid().
  if (mod_time <= 0) return Status(ErrorCode::kInvalidArgument, "xl.meta: zero mod time");
  if (entry.object && !(entry.object->erasure_m >= entry.object->erasure_n &&
                        entry.object->erasure_m > 0 && entry.object->erasure_n >= 0)) {
    return Status(ErrorCode::kInvalidArgument, "xl.meta: bad erasure info");
  }

  Version v;
  v.header = make_header<Header>(entry);
  v.meta = encode_version(entry);

  const std::string key = inline_key(*id);
  if (!fi.deleted && (fi.inline_data() || !fi.data.empty())) {
    set_inline(key, fi.data);
  } else {
    remove_inline(key);
  }

  for (Version& existing : versions_) {
    if (existing.header.version_id == *id) {
      existing = std::move(v);
      sort_versions();
      return Status::ok();
    }
  }
  // Insert before the first version not newer than this one (MinIO's addVersion).
  auto pos = std::find_if(versions_.begin(), versions_.end(),
                          [&](const Version& e) { return e.header.mod_time <= mod_time; });
  versions_.insert(pos, std::move(v));
  return Status::ok();
}

namespace {

// MinIO's xlMetaV2Version.ToFileInfo, with MetaUsr -> metadata and MetaSys -> system_metadata.
std::optional<FileInfo> to_file_info(const VersionEntry& v, const std::string& volume,
                                     const std::string& name) {
  FileInfo fi;
  fi.volume = volume;
  fi.name = name;
  if (v.type == kTypeDelete && v.delete_marker) {
    const DeleteMarker& d = *v.delete_marker;
    fi.version_id = uuid_text(d.version_id);
    fi.deleted = true;
    fi.mod_time = from_unix_nanos(d.mod_time);
    if (d.meta_sys) fi.system_metadata = *d.meta_sys;
    return fi;
  }
  if (v.type != kTypeObject || !v.object) return std::nullopt;
  const ObjectV2& o = *v.object;
  fi.version_id = uuid_text(o.version_id);
  fi.data_dir = uuid_text(o.data_dir);
  fi.mod_time = from_unix_nanos(o.mod_time);
  fi.size = o.size;
  if (o.meta_user) fi.metadata = *o.meta_user;
  if (o.meta_sys) fi.system_metadata = *o.meta_sys;
  fi.parts.resize(o.part_numbers.size());
  for (size_t i = 0; i < fi.parts.size(); ++i) {
    ObjectPartInfo& p = fi.parts[i];
    p.number = static_cast<int>(o.part_numbers[i]);
    if (i < o.part_sizes.size()) p.size = o.part_sizes[i];
    if (o.part_etags && o.part_etags->size() == fi.parts.size()) p.etag = (*o.part_etags)[i];
    if (o.part_actual_sizes && i < o.part_actual_sizes->size())
      p.actual_size = (*o.part_actual_sizes)[i];
  }
  fi.erasure.algorithm = o.erasure_algorithm == kErasureReedSolomon ? "ReedSolomon" : "";
  fi.erasure.data_blocks = static_cast<int>(o.erasure_m);
  fi.erasure.parity_blocks = static_cast<int>(o.erasure_n);
  fi.erasure.block_size = o.erasure_block_size;
  fi.erasure.index = static_cast<int>(o.erasure_index);
  fi.erasure.distribution.assign(o.erasure_dist.begin(), o.erasure_dist.end());
  for (const ObjectPartInfo& p : fi.parts) {
    ChecksumInfo c;
    c.part_number = p.number;
    fi.erasure.checksums.push_back(c);
  }
  return fi;
}

}  // namespace

Result<FileInfo> XlMeta::file_info(const std::string& volume, const std::string& name,
                                   const std::string& version_id, bool include_data) const {
  std::optional<Uuid> wanted;
  if (!version_id.empty()) {
    wanted = version_key(version_id);
    if (!wanted) return Status(ErrorCode::kFileVersionNotFound);
  }
  int non_free = 0;
  for (const Version& v : versions_) {
    if (!(v.header.flags & kFlagFreeVersion)) ++non_free;
  }
  bool is_latest = true;
  std::optional<int64_t> successor;
  for (const Version& v : versions_) {
    if ((v.header.flags & kFlagFreeVersion) && (!wanted || v.header.version_id != *wanted))
      continue;
    if (wanted && v.header.version_id != *wanted) {
      is_latest = false;
      successor = v.header.mod_time;
      continue;
    }
    auto decoded = decode_version_bytes(v.meta);
    if (!decoded) return corrupt("xl.meta: bad version");
    auto fi = to_file_info(*decoded, volume, name);
    if (!fi) return Status(ErrorCode::kNotImplemented, "xl.meta: legacy V1 object version");
    fi->is_latest = is_latest;
    if (successor) fi->successor_mod_time = from_unix_nanos(*successor);
    fi->num_versions = non_free;
    if (include_data && !fi->deleted) {
      if (const std::string* data = inline_data(inline_key(v.header.version_id))) fi->data = *data;
    }
    return std::move(*fi);
  }
  if (!wanted) return Status(ErrorCode::kFileNotFound);
  return Status(ErrorCode::kFileVersionNotFound);
}

std::vector<FileInfo> XlMeta::versions(const std::string& volume, const std::string& name,
                                       bool include_data) const {
  std::vector<FileInfo> out;
  for (const Version& v : versions_) {
    if (v.header.flags & kFlagFreeVersion) continue;
    auto decoded = decode_version_bytes(v.meta);
    if (!decoded) continue;
    auto fi = to_file_info(*decoded, volume, name);
    if (!fi) continue;
    if (include_data && !fi->deleted) {
      if (const std::string* data = inline_data(inline_key(v.header.version_id))) fi->data = *data;
    }
    out.push_back(std::move(*fi));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].num_versions = static_cast<int>(out.size());
    out[i].is_latest = i == 0;
    if (i > 0) out[i].successor_mod_time = out[i - 1].mod_time;
  }
  return out;
}

Result<std::string> XlMeta::delete_version(const std::string& version_id) {
  auto id = version_key(version_id);
  if (!id) return Status(ErrorCode::kFileVersionNotFound);
  auto it = std::find_if(versions_.begin(), versions_.end(),
                         [&](const Version& v) { return v.header.version_id == *id; });
  if (it == versions_.end()) return Status(ErrorCode::kFileVersionNotFound);
  const Version removed = std::move(*it);
  versions_.erase(it);
  const bool was_inline = remove_inline(inline_key(*id));
  if (removed.header.type != kTypeObject || was_inline) return std::string();
  auto decoded = decode_version_bytes(removed.meta);
  if (!decoded || !decoded->object || is_zero(decoded->object->data_dir)) return std::string();
  const Uuid data_dir = decoded->object->data_dir;
  for (const Version& v : versions_) {
    if (v.header.type != kTypeObject || !(v.header.flags & kFlagUsesDataDir)) continue;
    auto other = decode_version_bytes(v.meta);
    if (other && other->object && other->object->data_dir == data_dir) return std::string();
  }
  return format_uuid(data_dir);
}

}  // namespace maxio
