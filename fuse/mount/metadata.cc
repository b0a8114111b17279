#include "fuse/mount/metadata.h"

#include <sys/stat.h>

#include <charconv>
#include <chrono>

namespace maxio::fuse {
namespace {

std::optional<uint64_t> parse_uint(const std::string& value) {
  uint64_t out = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc() || ptr != end || value.empty()) return std::nullopt;
  return out;
}

const std::string* find(const std::map<std::string, std::string>& m, const char* name) {
  auto it = m.find(name);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

uint32_t st_mode_of(const Attributes& attr) {
  uint32_t type = S_IFREG;
  if (attr.kind == EntryKind::kDirectory) type = S_IFDIR;
  if (attr.kind == EntryKind::kSymlink) type = S_IFLNK;
  return type | (attr.permissions & 07777);
}

std::optional<Timestamp> parse_mtime(const std::string& value) {
  size_t dot = value.find('.');
  auto seconds = parse_uint(value.substr(0, dot));
  if (!seconds) return std::nullopt;
  Timestamp t{std::chrono::seconds(*seconds)};
  if (dot != std::string::npos) {
    std::string frac = value.substr(dot + 1);
    if (frac.empty() || frac.size() > 9 || !parse_uint(frac)) return std::nullopt;
    frac.resize(9, '0');
    t += std::chrono::duration_cast<Timestamp::duration>(
        std::chrono::nanoseconds(*parse_uint(frac)));
  }
  return t;
}

Attributes decode_attributes(const std::map<std::string, std::string>& metadata, uint64_t size,
                             Timestamp last_modified, bool is_dir_marker,
                             const AttributeDefaults& defaults) {
  Attributes attr;
  attr.kind = is_dir_marker ? EntryKind::kDirectory : EntryKind::kFile;
  attr.size = is_dir_marker ? 0 : size;
  attr.uid = defaults.uid;
  attr.gid = defaults.gid;
  attr.mtime = last_modified;
  std::optional<uint64_t> mode;
  if (const std::string* v = find(metadata, "mode")) mode = parse_uint(*v);
  if (mode && !is_dir_marker) {
    if ((*mode & S_IFMT) == S_IFLNK) attr.kind = EntryKind::kSymlink;
    if ((*mode & S_IFMT) == S_IFDIR) attr.kind = EntryKind::kDirectory;
  }
  if (mode) {
    attr.permissions = static_cast<uint32_t>(*mode & 07777);
  } else {
    attr.permissions = attr.kind == EntryKind::kFile ? 0644 : 0755;
  }
  attr.permissions &= ~defaults.umask;
  if (attr.kind == EntryKind::kSymlink) attr.permissions = 0777;
  if (const std::string* v = find(metadata, "uid"); v && !defaults.force_uid) {
    if (auto uid = parse_uint(*v); uid && *uid <= UINT32_MAX)
      attr.uid = static_cast<uint32_t>(*uid);
  }
  if (const std::string* v = find(metadata, "gid"); v && !defaults.force_gid) {
    if (auto gid = parse_uint(*v); gid && *gid <= UINT32_MAX)
      attr.gid = static_cast<uint32_t>(*gid);
  }
  if (const std::string* v = find(metadata, "mtime")) {
    if (auto t = parse_mtime(*v)) attr.mtime = *t;
  }
  return attr;
}

std::map<std::string, std::string> encode_attributes(const Attributes& attr) {
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(attr.mtime.time_since_epoch()).count();
  if (seconds < 0) seconds = 0;
  return {{"mode", std::to_string(st_mode_of(attr))},
          {"uid", std::to_string(attr.uid)},
          {"gid", std::to_string(attr.gid)},
          {"mtime", std::to_string(seconds)}};
}

}  // namespace maxio::fuse
