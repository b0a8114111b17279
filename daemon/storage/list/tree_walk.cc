#include "daemon/storage/list/tree_walk.h"

#include <algorithm>
#include <set>

#include "daemon/storage/drive/layout.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/util/uuid.h"

namespace maxio {

namespace {

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
  if (path.ends_with(kDirObjectSuffix)) {
    return std::string(path.substr(0, path.size() - kDirObjectSuffix.size())) + "/";
  }
  return std::string(path);
}

TreeWalker::TreeWalker(StorageApi& drive, WalkOptions options, WalkIsListedFn is_listed)
    : drive_(drive), options_(std::move(options)), is_listed_(std::move(is_listed)) {}

Result<TreeWalker::Frame> TreeWalker::read_frame(const std::string& path,
                                                 const std::string& key_prefix) {
  MAXIO_TRY(std::vector<std::string> names, drive_.list_dir(options_.volume, path));
  const std::string& prefix = options_.prefix;
  const std::string& marker = options_.marker;

  bool is_object_dir = !path.empty() && std::find(names.begin(), names.end(),
                                                  std::string(kXlMetaFile)) != names.end();
  std::optional<std::set<std::string>> data_dirs;  // loaded on the first UUID-named child

  Frame frame;
  frame.path = path;
  frame.key_prefix_size = key_prefix.size();
  frame.entries.reserve(2 * names.size());
  for (auto& name : names) {
    if (name.empty() || name.back() != '/') continue;  // files: xl.meta, strays
    name.pop_back();
    if (is_object_dir && parse_uuid(name).is_ok()) {
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
      // Not referenced: a data directory orphaned by a crash between moving it in and
      // committing xl.meta, or left behind by an interrupted delete. A user key below a
      // UUID-named directory (K/<uuid>/x) keeps it walkable.
      MAXIO_TRY(bool orphan, looks_like_data_dir(path, name));
      if (orphan) continue;
    }
    if (name.ends_with(kDirObjectSuffix)) {
      std::string key = key_prefix + decode_dir_object(name);
      if (key.starts_with(prefix) && key > marker) {
        frame.entries.push_back(Entry{std::move(key), Kind::kObject, true});
      }
      continue;
    }
    std::string key = key_prefix + name;
    if (key.starts_with(prefix) && key > marker) {
      frame.entries.push_back(Entry{key, Kind::kObject});
    }
    std::string dir = key + "/";
    bool compatible = dir.starts_with(prefix) || prefix.starts_with(dir);
    if (!compatible) continue;
    bool below_prefix = dir.size() > prefix.size();  // then dir starts with prefix
    if (!options_.recursive && below_prefix) {
      // Returned as one common prefix, which must itself come after the marker.
      if (dir <= marker) continue;
    } else if (!marker.starts_with(dir) && dir < marker) {
      continue;  // every key below dir sorts before the marker
    }
    frame.entries.push_back(Entry{std::move(dir), Kind::kDirectory});
  }
  names = {};
  std::sort(frame.entries.begin(), frame.entries.end(), [](const Entry& a, const Entry& b) {
    if (a.sort_key != b.sort_key) return a.sort_key < b.sort_key;
    return a.kind == Kind::kObject && b.kind == Kind::kDirectory;
  });
  return frame;
}

Result<bool> TreeWalker::looks_like_data_dir(const std::string& path, const std::string& name) {
  auto names = drive_.list_dir(options_.volume, join(path, name));
  if (!names) {
    if (names.code() == ErrorCode::kFileNotFound) return true;  // removed meanwhile
    return names.status();
  }
  return is_data_dir(name, *names);
}

std::string TreeWalker::entry_path(const Frame& frame, const Entry& entry) {
  std::string name = entry.sort_key.substr(frame.key_prefix_size);
  if (entry.kind == Kind::kDirectory || entry.dir_object) name.pop_back();  // the '/'
  if (entry.dir_object) name += kDirObjectSuffix;
  return join(frame.path, name);
}

Result<bool> TreeWalker::has_xl_meta(const std::string& path) {
  Status st = drive_.check_file(options_.volume, join(path, kXlMetaFile));
  if (st.is_ok()) return true;
  if (st.code() == ErrorCode::kFileNotFound) return false;  // a plain directory
  return st;
}

// Cost: with objects below, the directories on the path to the first object in sorted order
// plus any object-less directories that sort before it; with none (an empty or orphaned
// tree), every directory of the sub-tree. Memory: one frame per level of the current path,
// released on return; nothing of the sub-tree is kept.
Result<bool> TreeWalker::has_object_below(const std::string& path, const std::string& key_prefix) {
  // Every key below key_prefix passes the prefix and marker filters, so read_frame keeps
  // every child here.
  std::vector<Frame> stack;
  auto first = read_frame(path, key_prefix);
  if (!first) {
    if (first.code() == ErrorCode::kFileNotFound) return false;  // removed meanwhile
    return first.status();
  }
  stack.push_back(std::move(*first));
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next >= top.entries.size()) {
      stack.pop_back();
      continue;
    }
    Entry entry = std::move(top.entries[top.next++]);
    std::string entry_drive_path = entry_path(top, entry);
    if (entry.kind == Kind::kObject) {
      MAXIO_TRY(bool object, has_xl_meta(entry_drive_path));
      if (!object) continue;
      if (!is_listed_) return true;
      MAXIO_TRY(bool listed,
                is_listed_(WalkEntry{entry.sort_key, false, std::move(entry_drive_path)}));
      if (listed) return true;
      continue;
    }
    auto frame = read_frame(entry_drive_path, entry.sort_key);
    if (!frame) {
      if (frame.code() == ErrorCode::kFileNotFound) continue;
      return frame.status();
    }
    stack.push_back(std::move(*frame));
  }
  return false;
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
    std::string entry_drive_path = entry_path(top, entry);
    if (entry.kind == Kind::kObject) {
      MAXIO_TRY(bool object, has_xl_meta(entry_drive_path));
      if (object) {
        return std::optional<WalkEntry>(
            WalkEntry{std::move(entry.sort_key), false, std::move(entry_drive_path)});
      }
      continue;
    }
    if (!options_.recursive && entry.sort_key.size() > options_.prefix.size()) {
      // A common prefix: only S3-visible if some object lies below it.
      MAXIO_TRY(bool found, has_object_below(entry_drive_path, entry.sort_key));
      if (found) return std::optional<WalkEntry>(WalkEntry{std::move(entry.sort_key), true, {}});
      continue;
    }
    auto frame = read_frame(entry_drive_path, entry.sort_key);
    if (!frame) {
      if (frame.code() == ErrorCode::kFileNotFound) continue;  // removed meanwhile
      return frame.status();
    }
    stack_.push_back(std::move(*frame));
  }
  return std::optional<WalkEntry>();
}

}  // namespace maxio
