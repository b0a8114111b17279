#include "daemon/storage/list/tree_walk.h"

#include <algorithm>
#include <set>

#include "daemon/storage/xlmeta/xl_meta.h"

namespace maxio {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// A canonical UUID text: the shape of every data directory name.
bool looks_like_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string join(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

}  // namespace

std::string encode_dir_object(std::string_view key) {
  if (!key.empty() && key.back() == '/') {
    return std::string(key.substr(0, key.size() - 1)) + std::string(kDirObjectSuffix);
  }
  return std::string(key);
}

std::string decode_dir_object(std::string_view path) {
  if (ends_with(path, kDirObjectSuffix)) {
    return std::string(path.substr(0, path.size() - kDirObjectSuffix.size())) + "/";
  }
  return std::string(path);
}

TreeWalker::TreeWalker(StorageApi& drive, WalkOptions options)
    : drive_(drive), options_(std::move(options)) {}

Result<TreeWalker::Frame> TreeWalker::read_frame(const std::string& path,
                                                 const std::string& key_prefix) {
  MAXIO_TRY(std::vector<std::string> names, drive_.list_dir(options_.volume, path));
  const std::string& prefix = options_.prefix;
  const std::string& marker = options_.marker;

  bool is_object_dir = !path.empty() && std::find(names.begin(), names.end(),
                                                  std::string(kXlMetaFile)) != names.end();
  std::optional<std::set<std::string>> data_dirs;  // loaded on the first UUID-named child

  Frame frame;
  for (auto& name : names) {
    if (name.empty() || name.back() != '/') continue;  // files: xl.meta, strays
    name.pop_back();
    std::string child_path = join(path, name);
    if (is_object_dir && looks_like_uuid(name)) {
      if (!data_dirs) {
        data_dirs.emplace();
        if (auto bytes = drive_.read_xl(options_.volume, path); bytes.is_ok()) {
          if (auto meta = XlMeta::parse(*bytes); meta.is_ok()) {
            for (const auto& v : meta->versions(options_.volume, path, false)) {
              if (!v.data_dir.empty()) data_dirs->insert(v.data_dir);
            }
          }
        }
      }
      if (data_dirs->count(name)) continue;  // this object's part files
    }
    if (ends_with(name, kDirObjectSuffix)) {
      std::string key = key_prefix + decode_dir_object(name);
      if (starts_with(key, prefix) && key > marker) {
        frame.entries.push_back(Entry{std::move(key), Kind::kObject, child_path});
      }
      continue;
    }
    std::string key = key_prefix + name;
    if (starts_with(key, prefix) && key > marker) {
      frame.entries.push_back(Entry{key, Kind::kObject, child_path});
    }
    std::string dir = key + "/";
    bool compatible = starts_with(dir, prefix) || starts_with(prefix, dir);
    if (!compatible) continue;
    bool below_prefix = dir.size() > prefix.size();  // then dir starts with prefix
    if (!options_.recursive && below_prefix) {
      // Returned as one common prefix, which must itself come after the marker.
      if (dir <= marker) continue;
    } else if (!starts_with(marker, dir) && dir < marker) {
      continue;  // every key below dir sorts before the marker
    }
    frame.entries.push_back(Entry{std::move(dir), Kind::kDirectory, std::move(child_path)});
  }
  std::sort(frame.entries.begin(), frame.entries.end(), [](const Entry& a, const Entry& b) {
    if (a.sort_key != b.sort_key) return a.sort_key < b.sort_key;
    return a.kind == Kind::kObject && b.kind == Kind::kDirectory;
  });
  return frame;
}

Result<std::optional<WalkEntry>> TreeWalker::next() {
  if (!started_) {
    started_ = true;
    MAXIO_TRY(Frame root, read_frame("", ""));
    stack_.push_back(std::move(root));
  }
  while (!stack_.empty()) {
    Frame& top = stack_.back();
    if (top.next >= top.entries.size()) {
      stack_.pop_back();
      continue;
    }
    Entry entry = std::move(top.entries[top.next++]);
    if (entry.kind == Kind::kObject) {
      Status st = drive_.check_file(options_.volume, join(entry.path, kXlMetaFile));
      if (st.is_ok()) {
        return std::optional<WalkEntry>(WalkEntry{entry.sort_key, false, entry.path});
      }
      if (st.code() == ErrorCode::kFileNotFound) continue;  // a plain directory
      return st;
    }
    auto frame = read_frame(entry.path, entry.sort_key);
    if (!frame) {
      if (frame.code() == ErrorCode::kFileNotFound) continue;  // removed meanwhile
      return frame.status();
    }
    if (!options_.recursive && entry.sort_key.size() > options_.prefix.size()) {
      if (frame->entries.empty()) continue;  // only this object's own files
      return std::optional<WalkEntry>(WalkEntry{entry.sort_key, true, {}});
    }
    stack_.push_back(std::move(*frame));
  }
  return std::optional<WalkEntry>();
}

}  // namespace maxio
