// Transfers: a RangeSource opens readers over byte ranges of a local file or a remote object;
// a local destination writes ranges in place with pwrite, a remote one uploads them as
// parts (or as one PUT). Every reader counts progress and stops on SIGINT.

#include "cli/transfer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "shared/util/strings.h"

namespace maxio::cli {

namespace {

namespace fs = std::filesystem;

constexpr size_t kCopyBuffer = 1 << 20;
constexpr int kRangeAttempts = 3;

Status errno_status(ErrorCode code, const std::string& what, int err) {
  return Status(code, what + ": " + std::strerror(err));
}

Timestamp to_timestamp(const struct timespec& ts) {
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(
      std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
}

// An open file descriptor, closed on destruction.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Opens readers over byte ranges [offset, offset + length) of one source.
class RangeSource {
 public:
  virtual ~RangeSource() = default;
  virtual Result<std::unique_ptr<Reader>> open(uint64_t offset, uint64_t length) = 0;
};

// pread over a shared descriptor: any number of ranges read at once.
class FileRangeReader final : public Reader {
 public:
  FileRangeReader(int fd, uint64_t offset, uint64_t length, std::string path)
      : fd_(fd), offset_(offset), left_(length), path_(std::move(path)) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size, left_));
    if (want == 0) return size_t{0};
    while (true) {
      ssize_t n = ::pread(fd_, buffer, want, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status(ErrorCode::kIo, "cannot read " + path_, errno);
      if (n == 0) return Status(ErrorCode::kEndOfStream, path_ + " shrank while being copied");
      offset_ += static_cast<uint64_t>(n);
      left_ -= static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  uint64_t offset_;
  uint64_t left_;
  std::string path_;
};

class LocalSource final : public RangeSource {
 public:
  LocalSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Result<std::unique_ptr<Reader>> open(uint64_t offset, uint64_t length) override {
    return std::unique_ptr<Reader>(new FileRangeReader(fd_.get(), offset, length, path_));
  }

 private:
  Fd fd_;
  std::string path_;
};

class RemoteSource final : public RangeSource {
 public:
  RemoteSource(s3client::S3Client& client, const SourceObject& source)
      : client_(client), source_(source) {}
  Result<std::unique_ptr<Reader>> open(uint64_t offset, uint64_t length) override {
    s3client::GetObjectOptions options;
    options.version_id = source_.version_id;
    // The parts of one copy must all come from the same object.
    if (!source_.etag.empty()) options.if_match = source_.etag;
    bool whole = offset == 0 && length == source_.size;
    if (!whole) {
      if (length == 0) return std::unique_ptr<Reader>(new StringReader({}));
      options.range = s3client::ByteRange{offset, offset + length - 1};
    }
    MAXIO_TRY(auto result, client_.get_object(source_.target.bucket, source_.target.key, options));
    if (result.content_length != length) {
      return Status(ErrorCode::kIo, source_.target.display() + " changed while being copied");
    }
    return std::move(result.body);
  }

 private:
  s3client::S3Client& client_;
  const SourceObject& source_;
};

// A range of a source as one Reader: opened on first read, reopened by rewind() (so that
// the S3 client can resend it), counting progress and stopping on SIGINT.
class RangeReader final : public Reader {
 public:
  RangeReader(RangeSource& source, uint64_t offset, uint64_t length, Progress* progress)
      : source_(source), offset_(offset), length_(length), progress_(progress) {}
  ~RangeReader() override { uncount(); }

  Result<size_t> read(char* buffer, size_t size) override {
    MAXIO_RETURN_IF_ERROR(check_interrupted());
    if (!inner_) {
      MAXIO_TRY(inner_, source_.open(offset_, length_));
    }
    MAXIO_TRY(size_t n, inner_->read(buffer, size));
    counted_ += n;
    if (progress_ != nullptr) progress_->add(n);
    return n;
  }

  Status rewind() {
    uncount();
    inner_.reset();
    return Status::ok();
  }

  // Keeps the bytes counted once the range is done.
  void commit() { counted_ = 0; }

 private:
  void uncount() {
    if (progress_ != nullptr && counted_ > 0) progress_->remove(counted_);
    counted_ = 0;
  }

  RangeSource& source_;
  uint64_t offset_;
  uint64_t length_;
  Progress* progress_;
  std::unique_ptr<Reader> inner_;
  uint64_t counted_ = 0;
};

bool retryable(const Status& status) {
  return status.code() == ErrorCode::kIo || status.code() == ErrorCode::kTimeout ||
         status.code() == ErrorCode::kEndOfStream;
}

// ---- remote destinations ----

Result<TransferResult> upload(Session& session, RangeSource& source, uint64_t size,
                              const Target& destination, const s3client::PutObjectOptions& put,
                              const TransferOptions& options) {
  MAXIO_TRY(s3client::S3Client * client, session.s3(destination.alias));
  const std::string& bucket = destination.bucket;
  const std::string& key = destination.key;
  TransferResult result;
  result.bytes = size;

  if (size > options.part_size && !session.multipart_unsupported(destination.alias)) {
    auto upload_id = client->create_multipart_upload(bucket, key, put);
    if (upload_id) {
      const uint64_t part_size = choose_part_size(size, options.part_size);
      const size_t count = static_cast<size_t>((size + part_size - 1) / part_size);
      std::vector<s3client::CompletedPart> parts(count);
      Status status = run_parallel(options.parallel, count, [&](size_t i) -> Status {
        const uint64_t offset = i * part_size;
        const uint64_t length = std::min(part_size, size - offset);
        RangeReader reader(source, offset, length, options.progress);
        s3client::Payload payload{reader, length, [&reader] { return reader.rewind(); }};
        MAXIO_TRY(std::string etag,
                  client->upload_part(bucket, key, *upload_id, static_cast<int>(i + 1), payload));
        reader.commit();
        parts[i] = {static_cast<int>(i + 1), std::move(etag)};
        return Status::ok();
      });
      if (status) {
        auto done = client->complete_multipart_upload(bucket, key, *upload_id, parts);
        if (done) {
          result.method = "multipart";
          result.etag = done->etag;
          result.version_id = done->version_id;
          return result;
        }
        status = done.status();
      }
      (void)client->abort_multipart_upload(bucket, key, *upload_id);
      return status;
    }
    if (upload_id.code() != ErrorCode::kNotImplemented) return upload_id.status();
    // The server has no multipart uploads (maxiod today): one streamed PUT instead.
    session.set_multipart_unsupported(destination.alias);
  }
  if (size > kMaxSinglePut) {
    return Status(ErrorCode::kEntityTooLarge,
                  "the server does not support multipart uploads, and a single PUT holds at "
                  "most 5 GiB");
  }
  RangeReader reader(source, 0, size, options.progress);
  s3client::Payload payload{reader, size, [&reader] { return reader.rewind(); }};
  MAXIO_TRY(auto put_result, client->put_object(bucket, key, payload, put));
  reader.commit();
  result.method = "put";
  result.etag = put_result.etag;
  result.version_id = put_result.version_id;
  return result;
}

// ---- local destinations ----

// Copies one range of `source` to `fd` at the same offset, retrying a broken stream.
Status write_range(RangeSource& source, int fd, uint64_t offset, uint64_t length,
                   const std::string& path, const TransferOptions& options) {
  std::unique_ptr<char[]> buffer(new char[kCopyBuffer]);
  Status last;
  for (int attempt = 0; attempt < kRangeAttempts; ++attempt) {
    RangeReader reader(source, offset, length, options.progress);
    uint64_t at = offset;
    last = Status::ok();
    while (at < offset + length) {
      auto n = reader.read(
          buffer.get(), static_cast<size_t>(std::min<uint64_t>(kCopyBuffer, offset + length - at)));
      if (!n) {
        last = n.status();
        break;
      }
      if (*n == 0) {
        last = Status(ErrorCode::kEndOfStream, "the source ended early");
        break;
      }
      size_t written = 0;
      while (written < *n) {
        ssize_t w =
            ::pwrite(fd, buffer.get() + written, *n - written, static_cast<off_t>(at + written));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno_status(ErrorCode::kIo, "cannot write " + path, errno);
        written += static_cast<size_t>(w);
      }
      at += *n;
    }
    if (last) {
      reader.commit();
      return last;
    }
    if (!retryable(last)) return last;
  }
  return last;
}

Result<TransferResult> write_local(RangeSource& source, uint64_t size, const std::string& path,
                                   Timestamp mtime, const TransferOptions& options) {
  fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    return Status(ErrorCode::kIsNotRegular, path + " is a directory");
  }
  fs::path dir = target.parent_path();
  if (!dir.empty()) {
    fs::create_directories(dir, ec);
    if (ec) return Status(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  }
  static std::atomic<uint64_t> counter{0};
  fs::path temp = (dir.empty() ? fs::path(".") : dir) /
                  ("." + target.filename().string() + ".maxioctl-" + std::to_string(::getpid()) +
                   "-" + std::to_string(counter++) + ".part");
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) return errno_status(ErrorCode::kIo, "cannot create " + temp.string(), errno);

  Status status = Status::ok();
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    status = errno_status(ErrorCode::kIo, "cannot size " + temp.string(), errno);
  }
  if (status) {
    const uint64_t part_size = size > options.part_size ? choose_part_size(size, options.part_size)
                                                        : std::max<uint64_t>(size, 1);
    const size_t count = size == 0 ? 0 : static_cast<size_t>((size + part_size - 1) / part_size);
    status = run_parallel(options.parallel, count, [&](size_t i) {
      const uint64_t offset = i * part_size;
      return write_range(source, fd.get(), offset, std::min(part_size, size - offset), path,
                         options);
    });
  }
  if (status && options.preserve_mtime) {
    auto since_epoch = mtime.time_since_epoch();
    auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = static_cast<time_t>(seconds.count());
    times[1].tv_nsec = static_cast<long>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds).count());
    if (::futimens(fd.get(), times) != 0) {
      status = errno_status(ErrorCode::kIo, "cannot set the time of " + temp.string(), errno);
    }
  }
  if (::close(fd.release()) != 0 && status) {
    status = errno_status(ErrorCode::kIo, "cannot write " + temp.string(), errno);
  }
  if (status && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = errno_status(ErrorCode::kIo, "cannot create " + path, errno);
  }
  if (!status) {
    ::unlink(temp.c_str());
    return status;
  }
  TransferResult result;
  result.bytes = size;
  result.method = "download";
  return result;
}

}  // namespace

uint64_t choose_part_size(uint64_t size, uint64_t preferred) {
  constexpr uint64_t kMiB = 1 << 20;
  uint64_t part = std::max(preferred, kMinPartSize);
  uint64_t needed = (size + kMaxParts - 1) / kMaxParts;
  if (needed > part) part = (needed + kMiB - 1) / kMiB * kMiB;
  return std::min(part, kMaxPartSize);
}

std::string guess_content_type(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {"txt", "text/plain"},        {"log", "text/plain"},
      {"md", "text/markdown"},      {"csv", "text/csv"},
      {"html", "text/html"},        {"htm", "text/html"},
      {"css", "text/css"},          {"js", "text/javascript"},
      {"json", "application/json"}, {"xml", "application/xml"},
      {"yaml", "application/yaml"}, {"yml", "application/yaml"},
      {"pdf", "application/pdf"},   {"zip", "application/zip"},
      {"gz", "application/gzip"},   {"tgz", "application/gzip"},
      {"tar", "application/x-tar"}, {"zst", "application/zstd"},
      {"png", "image/png"},         {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},       {"gif", "image/gif"},
      {"svg", "image/svg+xml"},     {"webp", "image/webp"},
      {"mp4", "video/mp4"},         {"mp3", "audio/mpeg"},
      {"wasm", "application/wasm"}, {"parquet", "application/vnd.apache.parquet"},
  };
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  auto it = kTypes.find(to_lower(name.substr(dot + 1)));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Status run_parallel(int threads, size_t count, const std::function<Status(size_t)>& task) {
  if (count == 0) return Status::ok();
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;  // guarded by mu
  Status cancelled;    // guarded by mu
  auto worker = [&] {
    while (!failed.load()) {
      size_t i = next.fetch_add(1);
      if (i >= count) return;
      Status status = task(i);
      if (!status) {
        std::lock_guard lock(mu);
        if (status.code() == ErrorCode::kCancelled) {
          if (cancelled.is_ok()) cancelled = status;
        } else if (first_error.is_ok()) {
          first_error = status;
        }
        failed.store(true);
      }
    }
  };
  size_t extra = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), count) - 1;
  std::vector<std::thread> pool;
  pool.reserve(extra);
  for (size_t i = 0; i < extra; ++i) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (!first_error.is_ok()) return first_error;
  return cancelled;
}

Result<SourceObject> stat_source(Session& session, const Target& target,
                                 const std::string& version_id) {
  SourceObject source;
  source.target = target;
  if (!target.remote) {
    struct stat st;
    if (::stat(target.path.c_str(), &st) != 0) {
      return errno_status(errno == ENOENT ? ErrorCode::kFileNotFound : ErrorCode::kIo, target.path,
                          errno);
    }
    if (S_ISDIR(st.st_mode)) {
      return Status(ErrorCode::kIsNotRegular, target.path + " is a directory (use -r)");
    }
    if (!S_ISREG(st.st_mode)) {
      return Status(ErrorCode::kIsNotRegular, target.path + " is not a regular file");
    }
    source.size = static_cast<uint64_t>(st.st_size);
    source.mtime = to_timestamp(st.st_mtim);
    return source;
  }
  if (target.bucket.empty()) {
    return Status(ErrorCode::kInvalidArgument, target.display() + " names no object");
  }
  if (target.key.empty()) {
    return Status(ErrorCode::kIsNotRegular, target.display() + " is a bucket (use -r)");
  }
  MAXIO_TRY(s3client::S3Client * client, session.s3(target.alias));
  s3client::GetObjectOptions options;
  options.version_id = version_id;
  MAXIO_TRY(auto info, client->head_object(target.bucket, target.key, options));
  source.size = info.size;
  source.mtime = info.last_modified;
  source.etag = info.etag;
  source.version_id = version_id;
  source.metadata_known = true;
  source.content_type = info.content_type;
  source.metadata = info.metadata;
  return source;
}

Result<TransferResult> transfer(Session& session, const SourceObject& source,
                                const Target& destination, const TransferOptions& options) {
  MAXIO_RETURN_IF_ERROR(check_interrupted());
  if (options.progress != nullptr) options.progress->add_total(source.size);
  const Target& from = source.target;

  if (from.remote && destination.remote && session.same_server(from.alias, destination.alias) &&
      source.size <= kMaxSinglePut) {
    if (from.bucket == destination.bucket && from.key == destination.key &&
        source.version_id.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    from.display() + " and " + destination.display() + " are the same object");
    }
    MAXIO_TRY(s3client::S3Client * client, session.s3(destination.alias));
    s3client::CopyObjectOptions copy;
    copy.source_version_id = source.version_id;
    MAXIO_TRY(auto copied, client->copy_object(from.bucket, from.key, destination.bucket,
                                               destination.key, copy));
    if (options.progress != nullptr) options.progress->add(source.size);
    TransferResult result;
    result.bytes = source.size;
    result.method = "copy";
    result.etag = copied.etag;
    result.version_id = copied.version_id;
    return result;
  }

  std::unique_ptr<RangeSource> range_source;
  SourceObject described = source;
  if (from.remote) {
    MAXIO_TRY(s3client::S3Client * client, session.s3(from.alias));
    if (destination.remote && !described.metadata_known) {
      // A streamed copy carries the content type and metadata: they need a HEAD.
      MAXIO_TRY(described, stat_source(session, from, source.version_id));
    }
    range_source = std::make_unique<RemoteSource>(*client, described);
  } else {
    int fd = ::open(from.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return errno_status(errno == ENOENT ? ErrorCode::kFileNotFound : ErrorCode::kIo,
                          "cannot open " + from.path, errno);
    }
    range_source = std::make_unique<LocalSource>(fd, from.path);
  }

  if (!destination.remote) {
    MAXIO_TRY(TransferResult result, write_local(*range_source, described.size, destination.path,
                                                 described.mtime, options));
    if (!from.remote) result.method = "local";
    return result;
  }
  s3client::PutObjectOptions put;
  if (from.remote) {
    put.content_type = described.content_type;
    put.metadata = described.metadata;
  } else {
    put.content_type = guess_content_type(from.path);
  }
  if (!options.content_type.empty()) put.content_type = options.content_type;
  return upload(session, *range_source, described.size, destination, put, options);
}

Result<std::vector<ListedObject>> list_local_tree(const std::string& dir) {
  std::vector<ListedObject> out;
  std::error_code ec;
  fs::path root(dir.empty() ? "." : dir);
  if (!fs::exists(root, ec)) {
    return Status(ErrorCode::kFileNotFound, dir + ": No such file or directory");
  }
  if (!fs::is_directory(root, ec)) {
    return Status(ErrorCode::kInvalidArgument, dir + " is not a directory");
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return Status(ErrorCode::kIo, "cannot read " + dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status(ErrorCode::kIo, "cannot read " + dir + ": " + ec.message());
    const fs::directory_entry& entry = *it;
    struct stat st;
    if (::stat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    ListedObject object;
    object.name = fs::relative(entry.path(), root, ec).generic_string();
    if (ec) return Status(ErrorCode::kIo, "cannot read " + entry.path().string());
    object.size = static_cast<uint64_t>(st.st_size);
    object.mtime = to_timestamp(st.st_mtim);
    out.push_back(std::move(object));
  }
  if (ec) return Status(ErrorCode::kIo, "cannot read " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end(),
            [](const ListedObject& a, const ListedObject& b) { return a.name < b.name; });
  return out;
}

Result<std::vector<ListedObject>> list_remote_tree(Session& session, const Target& target,
                                                   const std::string& prefix, bool skip_markers) {
  MAXIO_TRY(s3client::S3Client * client, session.s3(target.alias));
  std::vector<ListedObject> out;
  s3client::ListObjectsOptions options;
  options.prefix = prefix;
  while (true) {
    MAXIO_RETURN_IF_ERROR(check_interrupted());
    MAXIO_TRY(auto page, client->list_objects_v2(target.bucket, options));
    for (auto& object : page.objects) {
      if (skip_markers && object.key.ends_with('/')) continue;
      ListedObject listed;
      listed.name = object.key.substr(std::min(prefix.size(), object.key.size()));
      listed.size = object.size;
      listed.mtime = object.last_modified;
      listed.etag = object.etag;
      out.push_back(std::move(listed));
    }
    if (!page.is_truncated || page.next_continuation_token.empty()) break;
    options.continuation_token = page.next_continuation_token;
  }
  return out;
}

}  // namespace maxio::cli
