#include "fuse/mount/uploader.h"

#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include "fuse/mount/work_queue.h"
#include "shared/util/log.h"

namespace maxio::fuse {

namespace {
constexpr uint64_t kSmallUpload = 1 << 20;
}  // namespace

Result<size_t> FileRangeReader::read(char* buffer, size_t size) {
  if (pos_ >= end_) return size_t{0};
  size_t want = static_cast<size_t>(std::min<uint64_t>(size, end_ - pos_));
  for (;;) {
    ssize_t n = ::pread(fd_, buffer, want, static_cast<off_t>(pos_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(ErrorCode::kIo, std::string("cache file read: ") + strerror(errno));
    if (n == 0) return Status(ErrorCode::kEndOfStream, "cache file shorter than expected");
    pos_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

Result<std::string> Uploader::upload(int fd, uint64_t size, const std::string& bucket,
                                     const std::string& key,
                                     const s3client::PutObjectOptions& options) {
  if (size >= config_.multipart_threshold && size > config_.part_size &&
      multipart_supported_.load()) {
    auto upload_id = client_.create_multipart_upload(bucket, key, options);
    if (upload_id.is_ok()) {
      auto etag = put_multipart(fd, size, bucket, key, *upload_id);
      if (etag.is_ok()) multipart_uploads_.fetch_add(1);
      return etag;
    }
    if (upload_id.code() != ErrorCode::kNotImplemented) return upload_id.status();
    log_info("maxio-mount: the server does not support multipart uploads; using single PUTs");
    multipart_supported_.store(false);
  }
  return put_single(fd, size, bucket, key, options);
}

Result<std::string> Uploader::put_single(int fd, uint64_t size, const std::string& bucket,
                                         const std::string& key,
                                         const s3client::PutObjectOptions& options) {
  FileRangeReader reader(fd, 0, size);
  if (size <= kSmallUpload) {
    // Small bodies go in one signed request: cheaper than aws-chunked framing and signing.
    std::string body(size, '\0');
    MAXIO_TRY(size_t n, read_full(reader, body.data(), body.size()));
    if (n != size) return Status(ErrorCode::kEndOfStream, "cache file shorter than expected");
    MAXIO_TRY(auto result, client_.put_object(bucket, key, std::string_view(body), options));
    single_uploads_.fetch_add(1);
    return result.etag;
  }
  s3client::Payload payload{reader, size, [&reader] {
                              reader.rewind();
                              return Status::ok();
                            }};
  MAXIO_TRY(auto result, client_.put_object(bucket, key, payload, options));
  single_uploads_.fetch_add(1);
  return result.etag;
}

Result<std::string> Uploader::put_multipart(int fd, uint64_t size, const std::string& bucket,
                                            const std::string& key, const std::string& upload_id) {
  const uint64_t part_size = config_.part_size;
  const int parts = static_cast<int>((size + part_size - 1) / part_size);
  std::vector<s3client::CompletedPart> completed(parts);
  std::mutex mu;
  std::condition_variable done_cv;
  int done = 0;
  Status first_error;
  for (int i = 0; i < parts; ++i) {
    queue_.submit([&, i] {
      {
        std::lock_guard lock(mu);
        if (!first_error.is_ok()) {  // stop sending parts after a failure
          ++done;
          done_cv.notify_all();
          return;
        }
      }
      uint64_t begin = static_cast<uint64_t>(i) * part_size;
      uint64_t end = std::min(size, begin + part_size);
      FileRangeReader reader(fd, begin, end);
      s3client::Payload payload{reader, end - begin, [&reader] {
                                  reader.rewind();
                                  return Status::ok();
                                }};
      auto etag = client_.upload_part(bucket, key, upload_id, i + 1, payload);
      std::lock_guard lock(mu);
      if (etag.is_ok()) {
        completed[i] = {i + 1, *etag};
      } else if (first_error.is_ok()) {
        first_error = etag.status();
      }
      ++done;
      done_cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    done_cv.wait(lock, [&] { return done == parts; });
  }
  if (first_error.is_ok()) {
    auto result = client_.complete_multipart_upload(bucket, key, upload_id, completed);
    if (result.is_ok()) return result->etag;
    first_error = result.status();
  }
  if (Status s = client_.abort_multipart_upload(bucket, key, upload_id); !s.is_ok()) {
    log_warning("maxio-mount: abort of multipart upload " + upload_id +
                " failed: " + s.to_string());
  }
  return first_error;
}

}  // namespace maxio::fuse
