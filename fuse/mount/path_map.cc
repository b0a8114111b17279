#include "fuse/mount/path_map.h"

namespace maxio::fuse {

Result<BucketPath> parse_bucket_path(std::string_view arg) {
  while (!arg.empty() && arg.front() == '/') arg.remove_prefix(1);
  BucketPath out;
  size_t slash = arg.find('/');
  out.bucket = std::string(arg.substr(0, slash));
  if (out.bucket.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no bucket name in \"" + std::string(arg) + "\"");
  }
  if (slash == std::string_view::npos) return out;
  std::string_view rest = arg.substr(slash + 1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return out;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view segment = rest.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return Status(ErrorCode::kInvalidArgument,
                    "the prefix \"" + std::string(rest) + "\" has an empty, . or .. segment");
    }
    start = end + 1;
  }
  out.prefix = std::string(rest) + "/";
  return out;
}

std::string KeyMapper::file_key(std::string_view path) const {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string key = prefix_;
  key.append(path);
  return key;
}

std::string KeyMapper::dir_key(std::string_view path) const {
  std::string key = file_key(path);
  if (!key.empty() && key.back() != '/') key.push_back('/');
  return key;
}

std::string KeyMapper::path_of(std::string_view key) const {
  if (key.size() <= prefix_.size() || key.compare(0, prefix_.size(), prefix_) != 0) return {};
  key.remove_prefix(prefix_.size());
  if (!key.empty() && key.back() == '/') key.remove_suffix(1);
  return "/" + std::string(key);
}

std::string_view entry_name(std::string_view dir_prefix, std::string_view key) {
  if (key.size() <= dir_prefix.size() || key.compare(0, dir_prefix.size(), dir_prefix) != 0) {
    return {};
  }
  std::string_view name = key.substr(dir_prefix.size());
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  if (name.empty() || name == "." || name == ".." || name.size() > 255) return {};
  if (name.find('/') != std::string_view::npos) return {};
  if (name.find('\0') != std::string_view::npos) return {};
  return name;
}

std::string_view parent_path(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace maxio::fuse
