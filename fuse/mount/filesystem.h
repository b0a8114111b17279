#pragma once
// Filesystem: the POSIX operations of maxio-mount over one bucket (or a prefix of it),
// independent of libfuse (mount.cc binds them to libfuse). Files are objects; directories are
// common prefixes and "dir/" marker objects; attributes live in s3fs-compatible metadata.
// Reads are ranged GETs with adaptive read-ahead; writes go to a local cache file that is
// uploaded when the file is flushed, fsynced or released (close-to-open consistency).
//
// Errors: every operation returns 0 (or a byte count) on success and a negative errno on
// failure, as FUSE wants. Thread-safe: any number of FUSE threads may call at once; one
// Handle may be used by several threads (its state has its own locks).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "fuse/mount/metadata.h"
#include "fuse/mount/path_map.h"
#include "fuse/mount/read_ahead.h"
#include "fuse/mount/stat_cache.h"

namespace maxio::s3client {
class S3Client;
}

namespace maxio::fuse {

class BlockBuffers;
class Uploader;
class WorkQueue;

struct FilesystemConfig {
  std::string bucket;
  std::string prefix;  // "" or ends with '/'
  AttributeDefaults defaults;
  bool read_only = false;
  std::chrono::milliseconds stat_cache_ttl{5000};
  std::chrono::milliseconds negative_cache_ttl{2000};
  std::string cache_dir = "/tmp";
  uint64_t cache_size = 0;  // 0: no limit
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
  int parallel = 8;
  // readdir fetches the attributes of up to this many entries per listing ahead, in
  // parallel, so that `ls -l` and tree walks find them cached. 0: never.
  uint64_t readdir_prefetch = 5000;
  uint64_t block_size = 4ull << 20;  // read-ahead fetch unit
  // Most bytes of read-ahead blocks held at once by all readers together; beyond it a
  // sequential reader fetches only what it reads.
  uint64_t read_ahead_memory = 256ull << 20;
  uint64_t read_chunk = 1ull << 20;  // random-read fetch unit, kept in the cache file
  ReadAheadConfig read_ahead = {.min_window = 4ull << 20, .max_window = 32ull << 20};
};

// Counters for tests and diagnostics.
struct FilesystemStats {
  uint64_t head_requests = 0;
  uint64_t list_requests = 0;
  uint64_t get_requests = 0;
  uint64_t uploads = 0;
};

class Filesystem {
 public:
  struct Handle;  // an open file; defined in filesystem.cc

  Filesystem(const Filesystem&) = delete;
  Filesystem& operator=(const Filesystem&) = delete;
  ~Filesystem();

  // The filesystem shares `client`. Fails with kIo when the cache directory is not
  // usable.
  static Result<std::unique_ptr<Filesystem>> create(std::shared_ptr<s3client::S3Client> client,
                                                    FilesystemConfig config);

  // ---- metadata ----
  // `handle` (may be null) is the open file FUSE names, also after its path was unlinked.
  int getattr(std::string_view path, Attributes* out, Handle* handle = nullptr);
  // Calls `emit` for every entry ("." and ".." first), paging through the listing. `emit`
  // returns false to stop (the FUSE buffer is full). Never caches the listing.
  int readdir(std::string_view path,
              const std::function<bool(std::string_view name, EntryKind kind)>& emit);
  int mkdir(std::string_view path, uint32_t mode, uint32_t uid, uint32_t gid);
  int rmdir(std::string_view path);
  int unlink(std::string_view path);
  // flags: 0, or RENAME_NOREPLACE (1); RENAME_EXCHANGE is EINVAL. A directory is renamed by
  // copying and deleting every object below it: not atomic.
  int rename(std::string_view from, std::string_view to, unsigned flags);
  int symlink(std::string_view target, std::string_view path, uint32_t uid, uint32_t gid);
  int readlink(std::string_view path, std::string* target);
  int chmod(std::string_view path, uint32_t mode, Handle* handle = nullptr);
  // A value of uint32_t(-1) leaves that id unchanged.
  int chown(std::string_view path, uint32_t uid, uint32_t gid, Handle* handle = nullptr);
  int utimens(std::string_view path, Timestamp mtime, Handle* handle = nullptr);
  int truncate(std::string_view path, uint64_t size, Handle* handle = nullptr);

  // ---- files ----
  // `flags` as open(2) gives them (O_ACCMODE, O_TRUNC, O_APPEND). On success *handle is
  // owned by the caller until release().
  int open(std::string_view path, int flags, Handle** handle);
  // True when the kernel may keep the pages it cached of this file: the object is the one
  // this mount last saw when the file was closed (same ETag), or the file was already open.
  static bool keeps_page_cache(const Handle* handle);
  int create(std::string_view path, uint32_t mode, int flags, uint32_t uid, uint32_t gid,
             Handle** handle);
  // Bytes read (fewer than `size` only at the end of the file) or -errno.
  ssize_t read(Handle* handle, char* buffer, size_t size, uint64_t offset);
  // Bytes written (all of `size`) or -errno.
  ssize_t write(Handle* handle, const char* data, size_t size, uint64_t offset);
  // Uploads the file when it changed since the last upload.
  int flush(Handle* handle);
  int fsync(Handle* handle);
  // Uploads pending changes (errors are logged: close already returned), frees `handle`.
  int release(Handle* handle);

  // Uploads every file with changes not uploaded yet (at unmount: the kernel may not have
  // released every file when the mount is torn down by a signal). Returns how many failed.
  int flush_all();

  FilesystemStats stats() const;
  const FilesystemConfig& config() const { return config_; }
  // Forgets every cached attribute (tests).
  void drop_caches() { stat_cache_.clear(); }

  struct OpenFile;  // the state shared by every handle of one path

 private:
  Filesystem(std::shared_ptr<s3client::S3Client> client, FilesystemConfig config);

  // Attributes from S3 (HEAD, then a one-key listing for directories); caches the answer.
  int fetch_attributes(std::string_view path, Attributes* out);
  // Queues a HEAD of `path` (a file, or a directory's marker) whose answer fills the stat
  // cache unless something fresher is there by then.
  void prefetch_attributes(std::string path, EntryKind kind);
  std::shared_ptr<OpenFile> find_open(std::string_view path);
  int ensure_loaded(OpenFile& file);  // file.mu held
  int upload_locked(OpenFile& file);  // file.mu held
  int set_attributes(std::string_view path, Handle* handle,
                     const std::function<void(Attributes&)>& change);
  int rename_file(std::string_view from, std::string_view to);
  int rename_dir(std::string_view from, std::string_view to);
  int list_is_empty(const std::string& dir_key, bool* empty);
  int open_internal(std::string_view path, int flags, const Attributes* create_attr,
                    Handle** handle);
  ssize_t read_remote(Handle& handle, char* buffer, size_t size, uint64_t offset,
                      uint64_t file_size, const std::string& key);
  ssize_t read_chunked(OpenFile& file, char* buffer, size_t size, uint64_t offset,
                       uint64_t file_size, const std::string& key);
  int make_cache_file();
  Timestamp now() const;

  std::shared_ptr<s3client::S3Client> client_;
  const FilesystemConfig config_;
  const KeyMapper keys_;
  StatCache stat_cache_;
  std::shared_ptr<BlockBuffers> block_buffers_;  // read-ahead block buffers for reuse
  std::unique_ptr<WorkQueue> queue_;             // read-ahead blocks, parts, directory copies
  std::unique_ptr<WorkQueue> meta_queue_;        // readdir's attribute prefetch
  std::atomic<int64_t> prefetch_pending_{0};
  std::unique_ptr<Uploader> uploader_;

  std::mutex open_mu_;
  std::map<std::string, std::shared_ptr<OpenFile>, std::less<>> open_files_;  // by open_mu_

  // ETag of each recently closed file as this mount last saw it (for keeps_page_cache).
  std::mutex etags_mu_;
  std::map<std::string, std::string, std::less<>> closed_etags_;  // guarded by etags_mu_

  std::atomic<uint64_t> cache_used_{0};
  std::atomic<uint64_t> read_ahead_bytes_{0};  // bytes of live read-ahead blocks
  mutable std::atomic<uint64_t> head_requests_{0};
  mutable std::atomic<uint64_t> list_requests_{0};
  mutable std::atomic<uint64_t> get_requests_{0};
  std::atomic<uint64_t> uploads_{0};
};

}  // namespace maxio::fuse
