#pragma once
// Copying one file or object to a local file or a remote object, whichever side is which:
// uploads go in parallel parts (multipart; one streamed PUT when the server answers 501 or
// the object is small), downloads in parallel ranges written in place into a temporary file
// that is renamed when complete, copies between aliases of one server are server-side.
// Memory stays bounded whatever the size: a buffer per running part or range.
// Also the listings recursive commands walk. Thread-safe as the Session is: transfers of
// different objects may run on different threads.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cli/console.h"
#include "cli/session.h"
#include "cli/target.h"
#include "shared/util/status.h"
#include "shared/util/time.h"

namespace maxio::cli {

inline constexpr uint64_t kDefaultPartSize = 16ull << 20;
inline constexpr uint64_t kMinPartSize = 5ull << 20;   // S3's smallest part but the last
inline constexpr uint64_t kMaxPartSize = 5ull << 30;   // S3's largest part
inline constexpr uint64_t kMaxSinglePut = 5ull << 30;  // S3's largest single PUT
inline constexpr uint64_t kMaxParts = 10000;
inline constexpr int kDefaultParallel = 4;

// A file or object to copy, with what is known about it.
struct SourceObject {
  Target target;
  uint64_t size = 0;
  Timestamp mtime;  // local: modification time; remote: Last-Modified
  std::string etag;
  std::string version_id;
  // Remote only: known after a HEAD (metadata_known); a listing does not give them.
  bool metadata_known = false;
  std::string content_type;
  std::map<std::string, std::string> metadata;
};

struct TransferOptions {
  uint64_t part_size = kDefaultPartSize;  // the smallest part; grown to stay within 10000 parts
  int parallel = kDefaultParallel;        // parts or ranges of one object in flight
  std::string content_type;               // uploads: overrides the guess from the extension
  bool preserve_mtime = false;            // downloads: the file gets the object's Last-Modified
  Progress* progress = nullptr;           // counts every byte moved; may be null
};

// How a transfer went.
struct TransferResult {
  uint64_t bytes = 0;
  std::string method;  // "put", "multipart", "copy" (server-side), "download", "local"
  std::string etag;    // remote destinations
  std::string version_id;
};

// A local file (kFileNotFound when absent, kIsNotRegular for a directory) or a remote object
// (HEAD; kNoSuchKey when absent) as a source. `version_id` selects a version of an object.
Result<SourceObject> stat_source(Session& session, const Target& target,
                                 const std::string& version_id = {});

// Copies `source` to `destination`, a complete file path or object key (not a directory);
// existing files and objects are replaced. kCancelled after SIGINT (the partial file is
// removed, the multipart upload aborted).
Result<TransferResult> transfer(Session& session, const SourceObject& source,
                                const Target& destination, const TransferOptions& options);

// The part size for an object of `size` bytes: at least `preferred`, a multiple of 1 MiB
// large enough for at most 10000 parts.
uint64_t choose_part_size(uint64_t size, uint64_t preferred);

// A Content-Type for a file name from its extension ("application/octet-stream" when
// unknown).
std::string guess_content_type(std::string_view name);

// Runs task(0) ... task(count - 1) on up to `threads` threads (the caller's among them).
// After the first failure no new task starts; returns that failure (ok when all succeeded).
// A kCancelled failure is reported only when no other error happened.
Status run_parallel(int threads, size_t count, const std::function<Status(size_t)>& task);

// One file or object found by a recursive walk.
struct ListedObject {
  std::string name;  // relative to the walked directory or prefix, '/'-separated
  uint64_t size = 0;
  Timestamp mtime;
  std::string etag;  // remote only
};

// Every regular file under `dir` (symbolic links to files are followed, to directories
// not), sorted by name. kFileNotFound when `dir` does not exist.
Result<std::vector<ListedObject>> list_local_tree(const std::string& dir);
// Every object whose key starts with `prefix` (names relative to it), in key order.
// Keys ending in '/' (directory markers) are left out when `skip_markers`.
Result<std::vector<ListedObject>> list_remote_tree(Session& session, const Target& target,
                                                   const std::string& prefix, bool skip_markers);

}  // namespace maxio::cli
