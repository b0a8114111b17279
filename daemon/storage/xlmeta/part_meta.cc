#include "daemon/storage/xlmeta/part_meta.h"

#include <chrono>

#include "daemon/storage/xlmeta/internal/msgpack.h"

namespace maxio {

namespace {

using xlmeta_internal::MsgReader;
using xlmeta_internal::MsgWriter;

// msgp's time extension: ext8 (0xc7), length 12, type 5, then seconds (8 bytes) and
// nanoseconds (4 bytes), big endian.
constexpr uint8_t kTimeExtension = 5;

void append_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void append_time(MsgWriter& w, std::chrono::system_clock::time_point t) {
  const int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  int64_t sec = ns / 1000000000;
  int64_t nsec = ns % 1000000000;
  if (nsec < 0) {
    nsec += 1000000000;
    --sec;
  }
  std::string& out = w.buffer();
  out.push_back(static_cast<char>(0xc7));
  out.push_back(12);
  out.push_back(static_cast<char>(kTimeExtension));
  append_be(out, static_cast<uint64_t>(sec), 8);
  append_be(out, static_cast<uint64_t>(nsec), 4);
}

std::optional<std::chrono::system_clock::time_point> read_time(MsgReader& r) {
  std::string_view rest = r.rest();
  if (rest.size() < 15 || static_cast<uint8_t>(rest[0]) != 0xc7 || rest[1] != 12 ||
      static_cast<uint8_t>(rest[2]) != kTimeExtension) {
    return std::nullopt;
  }
  auto be = [&](size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(rest[at + i]);
    return v;
  };
  const int64_t sec = static_cast<int64_t>(be(3, 8));
  const int64_t nsec = static_cast<int64_t>(be(11, 4));
  if (!r.skip()) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(sec) + std::chrono::nanoseconds(nsec)));
}

Status corrupt(const char* what) {
  return Status(ErrorCode::kFileCorrupt, std::string("part.N.meta: ") + what);
}

}  // namespace

std::string encode_part_meta(const ObjectPartInfo& part) {
  MsgWriter w;
  w.append_map_header(part.checksums.empty() ? 5 : 6);
  w.append_str("e");
  w.append_str(part.etag);
  w.append_str("n");
  w.append_int(part.number);
  w.append_str("s");
  w.append_int(part.size);
  w.append_str("as");
  w.append_int(part.actual_size);
  w.append_str("mt");
  append_time(w, part.mod_time);
  if (!part.checksums.empty()) {
    w.append_str("crc");
    w.append_map_header(static_cast<uint32_t>(part.checksums.size()));
    for (const auto& [name, value] : part.checksums) {
      w.append_str(name);
      w.append_str(value);
    }
  }
  return w.take();
}

Result<ObjectPartInfo> decode_part_meta(std::string_view bytes) {
  MsgReader r(bytes);
  auto fields = r.read_map_header();
  if (!fields) return corrupt("not a map");
  ObjectPartInfo part;
  for (uint32_t i = 0; i < *fields; ++i) {
    auto key = r.read_str();
    if (!key) return corrupt("bad key");
    bool ok = true;
    if (*key == "e") {
      auto v = r.read_str();
      ok = v.has_value();
      if (ok) part.etag = std::string(*v);
    } else if (*key == "n") {
      auto v = r.read_int();
      ok = v && *v >= 0 && *v <= INT32_MAX;
      if (ok) part.number = static_cast<int>(*v);
    } else if (*key == "s") {
      auto v = r.read_int();
      ok = v.has_value();
      if (ok) part.size = *v;
    } else if (*key == "as") {
      auto v = r.read_int();
      ok = v.has_value();
      if (ok) part.actual_size = *v;
    } else if (*key == "mt") {
      auto v = read_time(r);
      ok = v.has_value();
      if (ok) part.mod_time = *v;
    } else if (*key == "crc") {
      if (!r.try_nil()) {
        auto n = r.read_map_header();
        ok = n.has_value();
        for (uint32_t j = 0; ok && j < *n; ++j) {
          auto name = r.read_str();
          auto value = name ? r.read_str() : std::nullopt;
          ok = name && value;
          if (ok) part.checksums[std::string(*name)] = std::string(*value);
        }
      }
    } else {
      ok = r.skip();
    }
    if (!ok) return corrupt("bad value");
  }
  return part;
}

}  // namespace maxio
