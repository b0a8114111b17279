#include "fuse/mount/filesystem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "fuse/mount/errno_map.h"
#include "fuse/mount/uploader.h"
#include "fuse/mount/work_queue.h"
#include "shared/s3/client.h"
#include "shared/util/log.h"

namespace maxio::fuse {

// Buffers of one block size, kept for reuse by later read-ahead blocks: no allocation, page
// faults or malloc arena growth per 4 MiB block. Thread-safe.
class BlockBuffers {
 public:
  BlockBuffers(size_t size, size_t keep) : size_(size), keep_(keep) {}
  size_t size() const { return size_; }
  std::unique_ptr<char[]> take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        auto buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
      }
    }
    return std::unique_ptr<char[]>(new char[size_]);  // uninitialized: filled by a GET
  }
  void give(std::unique_ptr<char[]> buffer) {
    std::lock_guard lock(mu_);
    if (buffer && free_.size() < keep_) free_.push_back(std::move(buffer));
  }

 private:
  const size_t size_;
  const size_t keep_;
  std::mutex mu_;
  std::vector<std::unique_ptr<char[]>> free_;  // guarded by mu_
};

namespace {

constexpr unsigned kRenameNoReplace = 1;  // RENAME_NOREPLACE
constexpr unsigned kRenameExchange = 2;   // RENAME_EXCHANGE
constexpr size_t kSymlinkMax = 4096;
constexpr char kDirectoryContentType[] = "application/x-directory";
constexpr char kFileContentType[] = "application/octet-stream";

// One read-ahead unit of a file being read from S3. Its bytes count in the mount's
// read-ahead budget from creation to destruction; its buffer goes back to the pool.
struct Block {
  Block(std::atomic<uint64_t>& budget, uint64_t bytes, std::shared_ptr<BlockBuffers> pool)
      : budget(budget), bytes(bytes), pool(std::move(pool)) {
    budget.fetch_add(bytes);
  }
  ~Block() {
    budget.fetch_sub(bytes);
    pool->give(std::move(data));
  }
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  std::atomic<uint64_t>& budget;
  const uint64_t bytes;
  const std::shared_ptr<BlockBuffers> pool;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;             // guarded by mu
  Status status;                 // guarded by mu
  std::unique_ptr<char[]> data;  // pool-sized; complete once done
  size_t size = 0;               // bytes of data received
};

bool is_below(std::string_view path, std::string_view dir) {
  if (dir == "/") return path.size() > 1;
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

int write_all(int fd, const char* data, size_t size, uint64_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return 0;
}

}  // namespace

struct Filesystem::OpenFile {
  std::mutex mu;
  std::string path;            // guarded by mu; changes on rename
  Attributes attr;             // guarded by mu; raw (as stored, no umask or uid override)
  bool remote_exists = false;  // guarded by mu; an object holds the file's last upload
  int fd = -1;                 // guarded by mu; the cache file, once loaded
  bool loaded = false;         // guarded by mu; fd holds the whole file
  bool dirty = false;          // guarded by mu; fd differs from the object
  bool deleted = false;        // guarded by mu; unlinked or replaced: never upload again
  std::string etag;            // guarded by mu; of the object as last seen or uploaded
  uint64_t accounted = 0;      // guarded by mu; bytes counted in cache_used_
  // Random reads of a file not loaded keep the chunks they fetched in fd (sparse).
  std::vector<bool> chunks;  // guarded by mu; chunk i of read_chunk bytes is in fd
  int refs = 0;              // guarded by Filesystem::open_mu_
};

struct Filesystem::Handle {
  std::shared_ptr<OpenFile> file;
  int flags = 0;
  bool keep_page_cache = false;
  std::mutex read_mu;
  ReadAhead read_ahead;                               // guarded by read_mu
  std::map<uint64_t, std::shared_ptr<Block>> blocks;  // guarded by read_mu
};

Filesystem::Filesystem(std::shared_ptr<s3client::S3Client> client, FilesystemConfig config)
    : client_(std::move(client)),
      config_(std::move(config)),
      keys_(config_.prefix),
      stat_cache_(config_.stat_cache_ttl, config_.negative_cache_ttl),
      block_buffers_(std::make_shared<BlockBuffers>(
          config_.block_size, config_.read_ahead_memory / config_.block_size / 2 + 1)),
      queue_(std::make_unique<WorkQueue>(config_.parallel)),
      meta_queue_(std::make_unique<WorkQueue>(config_.parallel)),
      uploader_(std::make_unique<Uploader>(
          *client_, *queue_, UploaderConfig{config_.multipart_threshold, config_.part_size})) {}

Filesystem::~Filesystem() {
  meta_queue_.reset();  // joins the worker threads before anything they use goes
  queue_.reset();
  for (auto& [path, file] : open_files_) {
    if (file->fd >= 0) ::close(file->fd);
  }
}

Result<std::unique_ptr<Filesystem>> Filesystem::create(std::shared_ptr<s3client::S3Client> client,
                                                       FilesystemConfig config) {
  struct stat st {};
  if (::stat(config.cache_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
      ::access(config.cache_dir.c_str(), W_OK) != 0) {
    return Status(ErrorCode::kIo, "cache_dir " + config.cache_dir + " is not a writable directory");
  }
  return std::unique_ptr<Filesystem>(new Filesystem(std::move(client), std::move(config)));
}

Timestamp Filesystem::now() const { return std::chrono::system_clock::now(); }

FilesystemStats Filesystem::stats() const {
  return {head_requests_.load(), list_requests_.load(), get_requests_.load(), uploads_.load()};
}

// ---------------------------------------------------------------- attributes

namespace {

// Stored attributes as they are, before the mount's umask and uid/gid overrides.
AttributeDefaults raw_defaults(const AttributeDefaults& d) {
  return {.uid = d.uid, .gid = d.gid, .umask = 0, .force_uid = false, .force_gid = false};
}

Attributes displayed(Attributes attr, const AttributeDefaults& d) {
  if (attr.kind != EntryKind::kSymlink) attr.permissions &= ~d.umask;
  if (d.force_uid) attr.uid = d.uid;
  if (d.force_gid) attr.gid = d.gid;
  return attr;
}

Attributes root_attributes(const AttributeDefaults& d) {
  static const Timestamp mounted_at = std::chrono::system_clock::now();
  Attributes attr;
  attr.mtime = mounted_at;
  attr.kind = EntryKind::kDirectory;
  attr.permissions = 0755;
  attr.uid = d.uid;
  attr.gid = d.gid;
  return displayed(attr, d);
}

}  // namespace

std::shared_ptr<Filesystem::OpenFile> Filesystem::find_open(std::string_view path) {
  std::lock_guard lock(open_mu_);
  auto it = open_files_.find(path);
  return it == open_files_.end() ? nullptr : it->second;
}

int Filesystem::getattr(std::string_view path, Attributes* out, Handle* handle) {
  std::shared_ptr<OpenFile> file = handle ? handle->file : find_open(path);
  if (file) {
    std::lock_guard lock(file->mu);
    *out = displayed(file->attr, config_.defaults);
    return 0;
  }
  if (path == "/") {
    *out = root_attributes(config_.defaults);
    return 0;
  }
  auto now = StatCache::Clock::now();
  if (auto cached = stat_cache_.get(path, now)) {
    if (!*cached) return -ENOENT;
    *out = **cached;
    return 0;
  }
  return fetch_attributes(path, out);
}

int Filesystem::fetch_attributes(std::string_view path, Attributes* out) {
  const AttributeDefaults raw = raw_defaults(config_.defaults);
  std::string key = keys_.file_key(path);
  head_requests_.fetch_add(1);
  auto head = client_->head_object(config_.bucket, key);
  if (head.is_ok()) {
    *out = displayed(decode_attributes(head->metadata, head->size, head->last_modified,
                                       /*is_dir_marker=*/false, raw),
                     config_.defaults);
    stat_cache_.put(path, *out, StatCache::Clock::now());
    return 0;
  }
  if (head.code() != ErrorCode::kNoSuchKey) return -errno_for(head.status());

  // Not a file: a directory when anything is stored below it.
  std::string dir_key = keys_.dir_key(path);
  list_requests_.fetch_add(1);
  auto list = client_->list_objects_v2(config_.bucket, {.prefix = dir_key, .max_keys = 1});
  if (!list.is_ok()) return -errno_for(list.status());
  if (list->objects.empty() && list->common_prefixes.empty()) {
    stat_cache_.put_negative(path, StatCache::Clock::now());
    return -ENOENT;
  }
  Attributes attr;
  attr.kind = EntryKind::kDirectory;
  attr.permissions = 0755;
  attr.uid = raw.uid;
  attr.gid = raw.gid;
  attr.mtime = list->objects.empty() ? now() : list->objects.front().last_modified;
  if (!list->objects.empty() && list->objects.front().key == dir_key) {
    head_requests_.fetch_add(1);
    auto marker = client_->head_object(config_.bucket, dir_key);
    if (marker.is_ok()) {
      attr = decode_attributes(marker->metadata, 0, marker->last_modified,
                               /*is_dir_marker=*/true, raw);
    }
  }
  *out = displayed(attr, config_.defaults);
  stat_cache_.put(path, *out, StatCache::Clock::now());
  return 0;
}

void Filesystem::prefetch_attributes(std::string path, EntryKind kind) {
  constexpr int64_t kMaxPending = 20000;
  if (stat_cache_.get(path, StatCache::Clock::now())) return;
  if (prefetch_pending_.fetch_add(1) >= kMaxPending) {
    prefetch_pending_.fetch_sub(1);
    return;
  }
  meta_queue_->submit([this, path = std::move(path), kind] {
    const AttributeDefaults raw = raw_defaults(config_.defaults);
    bool dir = kind == EntryKind::kDirectory;
    std::string key = dir ? keys_.dir_key(path) : keys_.file_key(path);
    if (!stat_cache_.get(path, StatCache::Clock::now())) {
      head_requests_.fetch_add(1);
      auto head = client_->head_object(config_.bucket, key);
      std::optional<Attributes> attr;
      if (head.is_ok()) {
        attr = decode_attributes(head->metadata, head->size, head->last_modified, dir, raw);
      } else if (dir && head.code() == ErrorCode::kNoSuchKey) {  // no marker: implicit
        attr = Attributes{.kind = EntryKind::kDirectory,
                          .permissions = 0755,
                          .uid = raw.uid,
                          .gid = raw.gid,
                          .mtime = now()};
      }
      if (attr) {
        stat_cache_.put_if_absent(path, displayed(*attr, config_.defaults),
                                  StatCache::Clock::now());
      }
    }
    prefetch_pending_.fetch_sub(1);
  });
}

int Filesystem::readdir(std::string_view path,
                        const std::function<bool(std::string_view, EntryKind)>& emit) {
  std::string dir_key = keys_.dir_key(path);
  if (!emit(".", EntryKind::kDirectory) || !emit("..", EntryKind::kDirectory)) return 0;
  std::unordered_set<std::string> seen;
  s3client::ListObjectsOptions options{.prefix = dir_key, .delimiter = "/", .max_keys = 1000};
  const std::string base = path == "/" ? "/" : std::string(path) + "/";
  uint64_t prefetched = 0;
  auto prefetch = [&](std::string_view name, EntryKind kind) {
    if (prefetched >= config_.readdir_prefetch) return;
    ++prefetched;
    prefetch_attributes(base + std::string(name), kind);
  };
  for (;;) {
    list_requests_.fetch_add(1);
    auto page = client_->list_objects_v2(config_.bucket, options);
    if (!page.is_ok()) return -errno_for(page.status());
    for (const std::string& common : page->common_prefixes) {
      std::string_view name = entry_name(dir_key, common);
      if (name.empty() || !seen.emplace(name).second) continue;
      prefetch(name, EntryKind::kDirectory);
      if (!emit(name, EntryKind::kDirectory)) return 0;
    }
    for (const s3client::ObjectSummary& object : page->objects) {
      std::string_view name = entry_name(dir_key, object.key);
      if (name.empty() || object.key.back() == '/' || !seen.emplace(name).second) continue;
      prefetch(name, EntryKind::kFile);
      if (!emit(name, EntryKind::kFile)) return 0;
    }
    if (!page->is_truncated || page->next_continuation_token.empty()) break;
    options.continuation_token = page->next_continuation_token;
  }
  // Files created here and not uploaded yet.
  std::vector<std::pair<std::string, EntryKind>> pending;
  {
    std::lock_guard lock(open_mu_);
    for (auto& [open_path, file] : open_files_) {
      if (parent_path(open_path) == path) {
        std::string name(open_path.substr(open_path.rfind('/') + 1));
        if (seen.emplace(name).second) pending.emplace_back(name, EntryKind::kFile);
      }
    }
  }
  for (auto& [name, kind] : pending) {
    if (!emit(name, kind)) return 0;
  }
  return 0;
}

// ---------------------------------------------------------------- directories

int Filesystem::mkdir(std::string_view path, uint32_t mode, uint32_t uid, uint32_t gid) {
  if (config_.read_only) return -EROFS;
  Attributes attr{.kind = EntryKind::kDirectory,
                  .size = 0,
                  .permissions = mode & 07777,
                  .uid = uid,
                  .gid = gid,
                  .mtime = now()};
  s3client::PutObjectOptions options{.content_type = kDirectoryContentType,
                                     .metadata = encode_attributes(attr)};
  auto put = client_->put_object(config_.bucket, keys_.dir_key(path), std::string_view(), options);
  if (!put.is_ok()) return -errno_for(put.status());
  stat_cache_.put(path, displayed(attr, config_.defaults), StatCache::Clock::now());
  return 0;
}

int Filesystem::list_is_empty(const std::string& dir_key, bool* empty) {
  list_requests_.fetch_add(1);
  auto list = client_->list_objects_v2(config_.bucket, {.prefix = dir_key, .max_keys = 2});
  if (!list.is_ok()) return -errno_for(list.status());
  *empty = true;
  for (const auto& object : list->objects) {
    if (object.key != dir_key) *empty = false;
  }
  return 0;
}

int Filesystem::rmdir(std::string_view path) {
  if (config_.read_only) return -EROFS;
  if (path == "/") return -EBUSY;
  {
    std::lock_guard lock(open_mu_);
    for (auto& [open_path, file] : open_files_) {
      if (is_below(open_path, path)) return -ENOTEMPTY;
    }
  }
  std::string dir_key = keys_.dir_key(path);
  bool empty = false;
  if (int rc = list_is_empty(dir_key, &empty); rc != 0) return rc;
  if (!empty) return -ENOTEMPTY;
  if (Status s = client_->delete_object(config_.bucket, dir_key); !s.is_ok()) {
    return -errno_for(s);
  }
  stat_cache_.erase_tree(path);
  stat_cache_.put_negative(path, StatCache::Clock::now());
  return 0;
}

// ---------------------------------------------------------------- names

int Filesystem::unlink(std::string_view path) {
  if (config_.read_only) return -EROFS;
  std::shared_ptr<OpenFile> file;
  {
    std::lock_guard lock(open_mu_);
    auto it = open_files_.find(path);
    if (it != open_files_.end()) {
      file = it->second;
      open_files_.erase(it);
    }
  }
  if (file) {
    std::lock_guard lock(file->mu);
    file->deleted = true;
    file->dirty = false;
  }
  if (Status s = client_->delete_object(config_.bucket, keys_.file_key(path)); !s.is_ok()) {
    return -errno_for(s);
  }
  stat_cache_.erase(path);
  stat_cache_.put_negative(path, StatCache::Clock::now());
  return 0;
}

int Filesystem::rename(std::string_view from, std::string_view to, unsigned flags) {
  if (config_.read_only) return -EROFS;
  if (flags & kRenameExchange) return -EINVAL;
  if (from == "/" || to == "/") return -EBUSY;
  Attributes source;
  if (int rc = getattr(from, &source); rc != 0) return rc;
  stat_cache_.erase(to);
  Attributes target;
  int target_rc = getattr(to, &target);
  if (target_rc != 0 && target_rc != -ENOENT) return target_rc;
  bool target_exists = target_rc == 0;
  if (target_exists && (flags & kRenameNoReplace)) return -EEXIST;
  if (source.kind == EntryKind::kDirectory) {
    if (is_below(to, from)) return -EINVAL;
    if (target_exists) {
      if (target.kind != EntryKind::kDirectory) return -ENOTDIR;
      bool empty = false;
      if (int rc = list_is_empty(keys_.dir_key(to), &empty); rc != 0) return rc;
      if (!empty) return -ENOTEMPTY;
    }
    return rename_dir(from, to);
  }
  if (target_exists && target.kind == EntryKind::kDirectory) return -EISDIR;
  return rename_file(from, to);
}

int Filesystem::rename_file(std::string_view from, std::string_view to) {
  std::shared_ptr<OpenFile> file = find_open(from);
  if (file) {
    std::lock_guard lock(file->mu);
    if (int rc = upload_locked(*file); rc != 0) return rc;
  }
  std::string from_key = keys_.file_key(from);
  std::string to_key = keys_.file_key(to);
  auto copy = client_->copy_object(config_.bucket, from_key, config_.bucket, to_key);
  if (!copy.is_ok()) return -errno_for(copy.status());
  if (Status s = client_->delete_object(config_.bucket, from_key); !s.is_ok()) {
    return -errno_for(s);
  }
  {
    std::lock_guard lock(open_mu_);
    // An open file that the rename replaces is unlinked: its handles never upload again.
    auto target = open_files_.find(to);
    if (target != open_files_.end()) {
      std::shared_ptr<OpenFile> replaced = target->second;
      open_files_.erase(target);
      std::lock_guard file_lock(replaced->mu);
      replaced->deleted = true;
    }
    auto it = open_files_.find(from);
    if (it != open_files_.end()) {
      std::shared_ptr<OpenFile> moved = it->second;
      open_files_.erase(it);
      std::lock_guard file_lock(moved->mu);
      moved->path = std::string(to);
      open_files_.emplace(std::string(to), moved);
    }
  }
  stat_cache_.erase(from);
  stat_cache_.erase(to);
  stat_cache_.put_negative(from, StatCache::Clock::now());
  return 0;
}

int Filesystem::rename_dir(std::string_view from, std::string_view to) {
  // Upload what is pending below the directory, so the copies below carry it.
  std::vector<std::shared_ptr<OpenFile>> below;
  {
    std::lock_guard lock(open_mu_);
    for (auto& [path, file] : open_files_) {
      if (is_below(path, from)) below.push_back(file);
    }
  }
  for (auto& file : below) {
    std::lock_guard lock(file->mu);
    if (int rc = upload_locked(*file); rc != 0) return rc;
  }
  std::string from_key = keys_.dir_key(from);
  std::string to_key = keys_.dir_key(to);
  std::vector<std::string> keys;
  s3client::ListObjectsOptions options{.prefix = from_key, .max_keys = 1000};
  for (;;) {
    list_requests_.fetch_add(1);
    auto page = client_->list_objects_v2(config_.bucket, options);
    if (!page.is_ok()) return -errno_for(page.status());
    for (const auto& object : page->objects) keys.push_back(object.key);
    if (!page->is_truncated || page->next_continuation_token.empty()) break;
    options.continuation_token = page->next_continuation_token;
  }
  // Copy everything (in parallel), then delete the sources: a failure leaves both trees.
  std::mutex mu;
  std::condition_variable cv;
  size_t done = 0;
  Status first_error;
  for (const std::string& key : keys) {
    queue_->submit([&, key] {
      std::string target = to_key + key.substr(from_key.size());
      auto copy = client_->copy_object(config_.bucket, key, config_.bucket, target);
      std::lock_guard lock(mu);
      if (!copy.is_ok() && first_error.is_ok()) first_error = copy.status();
      ++done;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done == keys.size(); });
  }
  if (!first_error.is_ok()) return -errno_for(first_error);
  for (size_t i = 0; i < keys.size(); i += 1000) {
    std::vector<s3client::ObjectIdentifier> batch;
    for (size_t j = i; j < std::min(keys.size(), i + 1000); ++j) batch.push_back({keys[j], ""});
    auto deleted = client_->delete_objects(config_.bucket, batch, /*quiet=*/true);
    if (!deleted.is_ok()) return -errno_for(deleted.status());
    if (!deleted->errors.empty()) {
      log_warning("maxio-mount: rename of " + std::string(from) + ": could not delete " +
                  deleted->errors.front().key + ": " + deleted->errors.front().code);
      return -EIO;
    }
  }
  {
    std::lock_guard lock(open_mu_);
    for (auto it = open_files_.begin(); it != open_files_.end();) {
      if (!is_below(it->first, from)) {
        ++it;
        continue;
      }
      std::shared_ptr<OpenFile> moved = it->second;
      std::string new_path = std::string(to) + it->first.substr(from.size());
      it = open_files_.erase(it);
      {
        std::lock_guard file_lock(moved->mu);
        moved->path = new_path;
      }
      open_files_.emplace(new_path, moved);
    }
  }
  stat_cache_.erase_tree(from);
  stat_cache_.erase_tree(to);
  stat_cache_.put_negative(from, StatCache::Clock::now());
  return 0;
}

int Filesystem::symlink(std::string_view target, std::string_view path, uint32_t uid,
                        uint32_t gid) {
  if (config_.read_only) return -EROFS;
  if (target.size() >= kSymlinkMax) return -ENAMETOOLONG;
  Attributes attr{.kind = EntryKind::kSymlink,
                  .size = target.size(),
                  .permissions = 0777,
                  .uid = uid,
                  .gid = gid,
                  .mtime = now()};
  s3client::PutObjectOptions options{.content_type = kFileContentType,
                                     .metadata = encode_attributes(attr)};
  auto put = client_->put_object(config_.bucket, keys_.file_key(path), target, options);
  if (!put.is_ok()) return -errno_for(put.status());
  stat_cache_.put(path, displayed(attr, config_.defaults), StatCache::Clock::now());
  return 0;
}

int Filesystem::readlink(std::string_view path, std::string* target) {
  get_requests_.fetch_add(1);
  auto get = client_->get_object(config_.bucket, keys_.file_key(path));
  if (!get.is_ok()) return -errno_for(get.status());
  auto body = read_all(*get->body, kSymlinkMax);
  if (!body.is_ok()) return body.code() == ErrorCode::kEntityTooLarge ? -ENAMETOOLONG : -EIO;
  *target = std::move(*body);
  return 0;
}

// ---------------------------------------------------------------- attributes changes

int Filesystem::set_attributes(std::string_view path, Handle* handle,
                               const std::function<void(Attributes&)>& change) {
  if (config_.read_only) return -EROFS;
  std::shared_ptr<OpenFile> file = handle ? handle->file : find_open(path);
  if (file) {
    std::lock_guard lock(file->mu);
    change(file->attr);
    if (file->dirty || !file->remote_exists || file->deleted) return 0;  // stored on upload
    path = file->path;
  }
  if (path == "/") return 0;  // the mount's root has no object to hold attributes
  const AttributeDefaults raw = raw_defaults(config_.defaults);
  // What the path is (from the cache when fresh) says which object holds its attributes.
  Attributes current;
  if (int rc = getattr(path, &current); rc != 0) return rc;
  bool is_dir = current.kind == EntryKind::kDirectory;
  std::string key = is_dir ? keys_.dir_key(path) : keys_.file_key(path);
  head_requests_.fetch_add(1);
  auto head = client_->head_object(config_.bucket, key);
  if (!head.is_ok()) {
    if (head.code() != ErrorCode::kNoSuchKey) return -errno_for(head.status());
    if (!is_dir) {  // gone meanwhile, or was a directory after all
      stat_cache_.erase(path);
      return -ENOENT;
    }
  }
  Attributes attr;
  if (head.is_ok()) {
    attr = decode_attributes(head->metadata, head->size, head->last_modified, is_dir, raw);
  } else {  // an implicit directory: give it a marker that holds the attributes
    attr = Attributes{.kind = EntryKind::kDirectory,
                      .permissions = 0755,
                      .uid = raw.uid,
                      .gid = raw.gid,
                      .mtime = now()};
  }
  change(attr);
  if (file) {
    std::lock_guard lock(file->mu);
    file->attr.permissions = attr.permissions;
    file->attr.uid = attr.uid;
    file->attr.gid = attr.gid;
    file->attr.mtime = attr.mtime;
  }
  std::map<std::string, std::string> metadata;
  if (head.is_ok()) metadata = head->metadata;
  bool changed = !head.is_ok();
  for (auto& [name, value] : encode_attributes(attr)) {
    std::string& slot = metadata[name];
    changed = changed || slot != value;
    slot = value;
  }
  if (!changed) {
    // Nothing to store (tar's chown to the owner it already has, say).
  } else if (head.is_ok()) {
    s3client::CopyObjectOptions options{.metadata_directive = s3client::MetadataDirective::kReplace,
                                        .content_type = head->content_type.empty()
                                                            ? std::string(kFileContentType)
                                                            : head->content_type,
                                        .metadata = metadata};
    auto copy = client_->copy_object(config_.bucket, key, config_.bucket, key, options);
    if (!copy.is_ok()) return -errno_for(copy.status());
  } else {
    s3client::PutObjectOptions options{.content_type = kDirectoryContentType, .metadata = metadata};
    auto put = client_->put_object(config_.bucket, key, std::string_view(), options);
    if (!put.is_ok()) return -errno_for(put.status());
  }
  stat_cache_.put(path, displayed(attr, config_.defaults), StatCache::Clock::now());
  return 0;
}

int Filesystem::chmod(std::string_view path, uint32_t mode, Handle* handle) {
  return set_attributes(path, handle, [&](Attributes& a) { a.permissions = mode & 07777; });
}

int Filesystem::chown(std::string_view path, uint32_t uid, uint32_t gid, Handle* handle) {
  return set_attributes(path, handle, [&](Attributes& a) {
    if (uid != static_cast<uint32_t>(-1)) a.uid = uid;
    if (gid != static_cast<uint32_t>(-1)) a.gid = gid;
  });
}

int Filesystem::utimens(std::string_view path, Timestamp mtime, Handle* handle) {
  return set_attributes(path, handle, [&](Attributes& a) { a.mtime = mtime; });
}

// ---------------------------------------------------------------- files

int Filesystem::make_cache_file() {
  int fd = ::open(config_.cache_dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string pattern = config_.cache_dir + "/maxio-mount-XXXXXX";
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return -errno;
  ::unlink(pattern.c_str());
  return fd;
}

int Filesystem::ensure_loaded(OpenFile& file) {
  if (file.loaded) return 0;
  if (file.fd < 0) {
    int fd = make_cache_file();
    if (fd < 0) return fd;
    file.fd = fd;
  }
  uint64_t size = file.remote_exists ? file.attr.size : 0;
  // The chunks random reads kept are replaced, so they do not count against the room.
  if (config_.cache_size != 0 && cache_used_.load() - file.accounted + size > config_.cache_size) {
    return -ENOSPC;
  }
  uint64_t written = 0;
  if (size > 0) {
    get_requests_.fetch_add(1);
    auto get = client_->get_object(config_.bucket, keys_.file_key(file.path));
    if (!get.is_ok()) return -errno_for(get.status());
    std::vector<char> buffer(1 << 20);
    for (;;) {
      auto n = get->body->read(buffer.data(), buffer.size());
      if (!n.is_ok()) return -errno_for(n.status());
      if (*n == 0) break;
      if (int rc = write_all(file.fd, buffer.data(), *n, written); rc != 0) return rc;
      written += *n;
    }
  }
  if (::ftruncate(file.fd, static_cast<off_t>(written)) != 0) return -errno;
  file.attr.size = written;
  cache_used_.fetch_sub(file.accounted);
  file.accounted = written;
  cache_used_.fetch_add(written);
  file.chunks.clear();
  file.loaded = true;
  return 0;
}

int Filesystem::upload_locked(OpenFile& file) {
  if (!file.dirty || file.deleted) return 0;
  if (config_.read_only) return -EROFS;
  if (int rc = ensure_loaded(file); rc != 0) return rc;
  s3client::PutObjectOptions options{.content_type = kFileContentType,
                                     .metadata = encode_attributes(file.attr)};
  auto etag = uploader_->upload(file.fd, file.attr.size, config_.bucket, keys_.file_key(file.path),
                                options);
  if (!etag.is_ok()) {
    log_warning("maxio-mount: upload of " + file.path + " failed: " + etag.status().to_string());
    return -errno_for(etag.status());
  }
  uploads_.fetch_add(1);
  file.etag = *etag;
  file.dirty = false;
  file.remote_exists = true;
  stat_cache_.put(file.path, displayed(file.attr, config_.defaults), StatCache::Clock::now());
  return 0;
}

int Filesystem::open_internal(std::string_view path, int flags, const Attributes* create_attr,
                              Handle** handle) {
  bool writable = (flags & O_ACCMODE) != O_RDONLY;
  if (config_.read_only && (writable || create_attr || (flags & O_TRUNC))) return -EROFS;
  std::shared_ptr<OpenFile> file;
  {
    std::lock_guard lock(open_mu_);
    auto it = open_files_.find(path);
    if (it != open_files_.end()) {
      file = it->second;
      ++file->refs;
    }
  }
  bool keep_page_cache = file != nullptr;  // open already: the kernel's pages are current
  bool truncate = writable && (flags & O_TRUNC);
  if (file && create_attr) truncate = true;
  if (!file) {
    auto fresh = std::make_shared<OpenFile>();
    fresh->path = std::string(path);
    if (create_attr) {
      int fd = make_cache_file();
      if (fd < 0) return fd;
      fresh->fd = fd;
      fresh->attr = *create_attr;
      fresh->loaded = true;
      fresh->dirty = true;
    } else {
      // Close-to-open: every open asks the server for the object as it is now.
      head_requests_.fetch_add(1);
      auto head = client_->head_object(config_.bucket, keys_.file_key(path));
      if (!head.is_ok()) {
        if (head.code() == ErrorCode::kNoSuchKey) {
          Attributes attr;
          if (int rc = getattr(path, &attr); rc != 0) return rc;
          return attr.kind == EntryKind::kDirectory ? -EISDIR : -ENOENT;
        }
        return -errno_for(head.status());
      }
      fresh->attr = decode_attributes(head->metadata, head->size, head->last_modified, false,
                                      raw_defaults(config_.defaults));
      fresh->remote_exists = true;
      fresh->etag = head->etag;
      stat_cache_.put(path, displayed(fresh->attr, config_.defaults), StatCache::Clock::now());
    }
    std::lock_guard lock(open_mu_);
    auto it = open_files_.find(path);
    if (it != open_files_.end()) {  // another thread opened it meanwhile: share that one
      if (fresh->fd >= 0) ::close(fresh->fd);
      file = it->second;
    } else {
      file = fresh;
      open_files_.emplace(std::string(path), file);
    }
    ++file->refs;
  }
  if (!keep_page_cache && !create_attr) {
    std::string etag;
    {
      std::lock_guard lock(file->mu);
      etag = file->etag;
    }
    std::lock_guard lock(etags_mu_);
    auto it = closed_etags_.find(path);
    keep_page_cache = it != closed_etags_.end() && !etag.empty() && it->second == etag;
  }
  auto* h = new Handle;
  h->file = std::move(file);
  h->flags = flags;
  h->keep_page_cache = keep_page_cache && !truncate;
  h->read_ahead = ReadAhead(config_.read_ahead);
  if (truncate) {
    int rc = 0;
    {
      OpenFile& f = *h->file;
      std::lock_guard lock(f.mu);
      if (f.fd < 0) {
        int fd = make_cache_file();
        if (fd < 0) rc = fd;
        f.fd = fd;
      }
      if (rc == 0 && ::ftruncate(f.fd, 0) != 0) rc = -errno;
      if (rc == 0) {
        cache_used_.fetch_sub(f.accounted);
        f.accounted = 0;
        f.attr.size = 0;
        f.attr.mtime = now();
        f.loaded = true;
        f.dirty = true;
      }
    }
    if (rc != 0) {
      release(h);
      return rc;
    }
  }
  if (create_attr) stat_cache_.erase(path);
  *handle = h;
  return 0;
}

int Filesystem::open(std::string_view path, int flags, Handle** handle) {
  return open_internal(path, flags, nullptr, handle);
}

bool Filesystem::keeps_page_cache(const Handle* handle) { return handle->keep_page_cache; }

int Filesystem::create(std::string_view path, uint32_t mode, int flags, uint32_t uid, uint32_t gid,
                       Handle** handle) {
  Attributes attr{.kind = EntryKind::kFile,
                  .size = 0,
                  .permissions = mode & 07777,
                  .uid = uid,
                  .gid = gid,
                  .mtime = now()};
  return open_internal(path, flags, &attr, handle);
}

ssize_t Filesystem::read(Handle* handle, char* buffer, size_t size, uint64_t offset) {
  OpenFile& file = *handle->file;
  uint64_t file_size;
  std::string key;
  {
    std::lock_guard lock(file.mu);
    if (file.loaded) {
      size_t done = 0;
      while (done < size) {
        ssize_t n = ::pread(file.fd, buffer + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -errno;
        if (n == 0) break;
        done += static_cast<size_t>(n);
      }
      return static_cast<ssize_t>(done);
    }
    if (!file.remote_exists) return 0;
    file_size = file.attr.size;
    key = keys_.file_key(file.path);
  }
  std::lock_guard lock(handle->read_mu);
  return read_remote(*handle, buffer, size, offset, file_size, key);
}

ssize_t Filesystem::read_remote(Handle& handle, char* buffer, size_t size, uint64_t offset,
                                uint64_t file_size, const std::string& key) {
  if (offset >= file_size || size == 0) return 0;
  size = static_cast<size_t>(std::min<uint64_t>(size, file_size - offset));
  const uint64_t block = config_.block_size;
  const uint64_t first = offset / block;
  const uint64_t last = (offset + size - 1) / block;
  ReadAhead::Plan plan = handle.read_ahead.on_read(offset, size, file_size);

  auto start_fetch = [&](uint64_t index) {
    uint64_t begin = index * block;
    uint64_t end = std::min(file_size, begin + block);
    auto b = std::make_shared<Block>(read_ahead_bytes_, end - begin, block_buffers_);
    handle.blocks.emplace(index, b);
    get_requests_.fetch_add(1);
    queue_->submit([client = client_, bucket = config_.bucket, key, begin, end, b] {
      std::unique_ptr<char[]> data = b->pool->take();
      size_t size = 0;
      Status status;
      auto get = client->get_object(
          bucket, key, {.range = s3client::ByteRange{.first = begin, .last = end - 1}});
      if (get.is_ok()) {
        auto n = read_full(*get->body, data.get(), static_cast<size_t>(end - begin));
        if (n.is_ok()) {
          size = *n;
        } else {
          status = n.status();
        }
      } else if (get.code() != ErrorCode::kInvalidRange) {
        status = get.status();
      }
      std::lock_guard lock(b->mu);
      b->data = std::move(data);
      b->size = size;
      b->status = status;
      b->done = true;
      b->cv.notify_all();
    });
  };

  bool cached = true;
  for (uint64_t i = first; i <= last; ++i) cached = cached && handle.blocks.count(i) > 0;
  if (!plan.sequential && !cached) {
    handle.blocks.clear();
    return read_chunked(*handle.file, buffer, size, offset, file_size, key);
  }
  uint64_t want_last = last;
  if (plan.sequential && plan.prefetch_end > plan.prefetch_begin) {
    want_last = std::max(last, (plan.prefetch_end - 1) / block);
  }
  for (uint64_t i = first; i <= want_last; ++i) {
    // Blocks the read needs are always fetched; those ahead of it only within the budget
    // shared by every reader of the mount.
    if (i > last && read_ahead_bytes_.load() + block > config_.read_ahead_memory) break;
    if (!handle.blocks.count(i)) start_fetch(i);
  }
  // Blocks well behind the reader are done with (keep one for reordered kernel reads).
  while (!handle.blocks.empty() && handle.blocks.begin()->first + 1 < first) {
    handle.blocks.erase(handle.blocks.begin());
  }
  size_t copied = 0;
  for (uint64_t i = first; i <= last; ++i) {
    std::shared_ptr<Block> b = handle.blocks[i];
    std::unique_lock lock(b->mu);
    b->cv.wait(lock, [&] { return b->done; });
    if (!b->status.is_ok()) {
      Status status = b->status;
      lock.unlock();
      handle.blocks.erase(i);  // a later read tries again
      return -errno_for(status);
    }
    uint64_t block_begin = i * block;
    uint64_t from = std::max(offset, block_begin);
    uint64_t to = std::min<uint64_t>(offset + size, block_begin + b->size);
    if (to <= from) break;  // the object is shorter than it was
    std::memcpy(buffer + (from - offset), b->data.get() + (from - block_begin), to - from);
    copied = to - offset;
    if (block_begin + b->size < std::min(file_size, block_begin + block)) break;
  }
  return static_cast<ssize_t>(copied);
}

ssize_t Filesystem::read_chunked(OpenFile& file, char* buffer, size_t size, uint64_t offset,
                                 uint64_t file_size, const std::string& key) {
  // A random read costs the server about the same for 4 KiB as for its 1 MiB erasure block:
  // fetch the aligned chunks around it and keep them in the file's cache file, where later
  // reads of any handle find them.
  const uint64_t chunk = config_.read_chunk;
  const uint64_t first = offset / chunk;
  const uint64_t last = (offset + size - 1) / chunk;
  thread_local std::string data;  // kept per thread: no allocation per chunk
  for (uint64_t i = first; i <= last; ++i) {
    {
      std::lock_guard lock(file.mu);
      if (file.loaded) break;  // a writer loaded the whole file meanwhile
      if (file.chunks.size() > i && file.chunks[i]) continue;
    }
    uint64_t begin = i * chunk;
    uint64_t end = std::min(file_size, begin + chunk);
    get_requests_.fetch_add(1);
    auto get = client_->get_object(config_.bucket, key,
                                   {.range = s3client::ByteRange{.first = begin, .last = end - 1}});
    if (!get.is_ok()) {
      return get.code() == ErrorCode::kInvalidRange ? 0 : -errno_for(get.status());
    }
    data.resize(end - begin);
    auto n = read_full(*get->body, data.data(), data.size());
    if (!n.is_ok()) return -errno_for(n.status());
    data.resize(*n);
    std::lock_guard lock(file.mu);
    bool fits = config_.cache_size == 0 || cache_used_.load() + data.size() <= config_.cache_size;
    if (file.fd < 0 && fits) {
      int fd = make_cache_file();
      if (fd >= 0) file.fd = fd;
    }
    if (!file.loaded && file.fd >= 0 && fits && *n == end - begin &&
        write_all(file.fd, data.data(), data.size(), begin) == 0) {
      if (file.chunks.size() <= i) file.chunks.resize((file_size + chunk - 1) / chunk);
      file.chunks[i] = true;
      file.accounted += data.size();
      cache_used_.fetch_add(data.size());
      continue;
    }
    if (first == last) {  // not cacheable: answer from the chunk in memory
      uint64_t from = offset - begin;
      if (from >= data.size()) return 0;
      size_t copy = std::min<uint64_t>(size, data.size() - from);
      std::memcpy(buffer, data.data() + from, copy);
      return static_cast<ssize_t>(copy);
    }
    return -ENOSPC;  // a read spanning chunks with no room to keep them
  }
  int fd;
  {
    std::lock_guard lock(file.mu);
    fd = file.fd;  // stays open while this handle holds the file
  }
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

ssize_t Filesystem::write(Handle* handle, const char* data, size_t size, uint64_t offset) {
  if (config_.read_only) return -EROFS;
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mu);
  if (int rc = ensure_loaded(file); rc != 0) return rc;
  if (handle->flags & O_APPEND) offset = file.attr.size;
  uint64_t end = offset + size;
  uint64_t growth = end > file.attr.size ? end - file.attr.size : 0;
  if (config_.cache_size != 0 && cache_used_.load() + growth > config_.cache_size) {
    return -ENOSPC;
  }
  if (int rc = write_all(file.fd, data, size, offset); rc != 0) return rc;
  file.attr.size += growth;
  file.accounted += growth;
  cache_used_.fetch_add(growth);
  file.attr.mtime = now();
  file.dirty = true;
  return static_cast<ssize_t>(size);
}

int Filesystem::truncate(std::string_view path, uint64_t size, Handle* handle) {
  if (config_.read_only) return -EROFS;
  Handle* h = handle;
  if (!h) {
    if (int rc = open_internal(path, O_RDWR, nullptr, &h); rc != 0) return rc;
  }
  int rc = 0;
  {
    OpenFile& file = *h->file;
    std::lock_guard lock(file.mu);
    if (size == 0 && !file.loaded) {
      file.remote_exists = false;  // nothing to download
    }
    rc = ensure_loaded(file);
    if (rc == 0) {
      uint64_t growth = size > file.attr.size ? size - file.attr.size : 0;
      if (config_.cache_size != 0 && cache_used_.load() + growth > config_.cache_size) {
        rc = -ENOSPC;
      } else if (::ftruncate(file.fd, static_cast<off_t>(size)) != 0) {
        rc = -errno;
      } else {
        if (size < file.attr.size) {
          uint64_t shrink = std::min(file.accounted, file.attr.size - size);
          file.accounted -= shrink;
          cache_used_.fetch_sub(shrink);
        } else {
          file.accounted += growth;
          cache_used_.fetch_add(growth);
        }
        file.attr.size = size;
        file.attr.mtime = now();
        file.dirty = true;
        file.remote_exists = true;  // the object (if any) is replaced on upload
        if (!handle) rc = upload_locked(file);
      }
    }
  }
  if (!handle) release(h);
  return rc;
}

int Filesystem::flush(Handle* handle) {
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mu);
  return upload_locked(file);
}

int Filesystem::fsync(Handle* handle) { return flush(handle); }

int Filesystem::flush_all() {
  std::vector<std::shared_ptr<OpenFile>> files;
  {
    std::lock_guard lock(open_mu_);
    for (auto& [path, file] : open_files_) files.push_back(file);
  }
  int failed = 0;
  for (auto& file : files) {
    std::lock_guard lock(file->mu);
    if (upload_locked(*file) != 0) ++failed;
  }
  return failed;
}

int Filesystem::release(Handle* handle) {
  std::unique_ptr<Handle> owned(handle);
  std::shared_ptr<OpenFile> file = handle->file;
  {
    std::lock_guard lock(file->mu);
    (void)upload_locked(*file);  // logged there; close(2) already returned flush's answer
  }
  std::string path;
  {
    std::lock_guard lock(file->mu);
    path = file->path;
  }
  bool last = false;
  {
    std::lock_guard lock(open_mu_);
    if (--file->refs == 0) {
      last = true;
      auto it = open_files_.find(path);
      if (it == open_files_.end() || it->second != file) {  // renamed meanwhile
        it = std::find_if(open_files_.begin(), open_files_.end(),
                          [&](const auto& entry) { return entry.second == file; });
      }
      if (it != open_files_.end()) open_files_.erase(it);
    }
  }
  if (last) {
    std::string etag;
    bool clean;
    {
      std::lock_guard lock(file->mu);
      etag = file->etag;
      clean = !file->dirty && !file->deleted && file->remote_exists;
    }
    std::lock_guard etag_lock(etags_mu_);
    if (closed_etags_.size() >= 10000) closed_etags_.clear();  // a bound, rarely reached
    if (clean && !etag.empty()) {
      closed_etags_.insert_or_assign(path, etag);
    } else {
      closed_etags_.erase(path);
    }
  }
  if (last) {
    std::lock_guard lock(file->mu);
    if (file->fd >= 0) ::close(file->fd);
    file->fd = -1;
    file->loaded = false;
    file->chunks.clear();
    cache_used_.fetch_sub(file->accounted);
    file->accounted = 0;
  }
  return 0;
}

}  // namespace maxio::fuse
