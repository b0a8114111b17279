#pragma once
// Uploader: writes a local cache file to an object, by one streamed PUT or, for files of at
// least the multipart threshold, by a multipart upload with parts sent in parallel. A server
// that answers CreateMultipartUpload with 501 NotImplemented (maxiod today) is remembered,
// and every later upload of the mount uses a single PUT. Thread-safe.

#include <atomic>
#include <cstdint>
#include <string>

#include "shared/s3/client.h"
#include "shared/util/status.h"

namespace maxio::fuse {

class WorkQueue;

struct UploaderConfig {
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
};

class Uploader {
 public:
  // `client` and `queue` (runs the parts) must outlive the uploader.
  Uploader(s3client::S3Client& client, WorkQueue& queue, UploaderConfig config)
      : client_(client), queue_(queue), config_(config) {}

  // Uploads bytes [0, size) of the open file `fd` (read with pread, so its offset is
  // untouched) to bucket/key. Returns the ETag. The S3 call's error on failure; a failed
  // multipart upload is aborted.
  Result<std::string> upload(int fd, uint64_t size, const std::string& bucket,
                             const std::string& key, const s3client::PutObjectOptions& options);

  // False once the server refused a multipart upload with NotImplemented.
  bool multipart_supported() const { return multipart_supported_.load(); }
  // Uploads that went through multipart / a single PUT (for tests and logs).
  uint64_t multipart_uploads() const { return multipart_uploads_.load(); }
  uint64_t single_uploads() const { return single_uploads_.load(); }

 private:
  Result<std::string> put_single(int fd, uint64_t size, const std::string& bucket,
                                 const std::string& key, const s3client::PutObjectOptions& options);
  Result<std::string> put_multipart(int fd, uint64_t size, const std::string& bucket,
                                    const std::string& key, const std::string& upload_id);

  s3client::S3Client& client_;
  WorkQueue& queue_;
  const UploaderConfig config_;
  std::atomic<bool> multipart_supported_{true};
  std::atomic<uint64_t> multipart_uploads_{0};
  std::atomic<uint64_t> single_uploads_{0};
};

// A Reader over bytes [begin, end) of an open file, by pread; rewindable.
class FileRangeReader final : public Reader {
 public:
  FileRangeReader(int fd, uint64_t begin, uint64_t end)
      : fd_(fd), begin_(begin), end_(end), pos_(begin) {}
  Result<size_t> read(char* buffer, size_t size) override;
  void rewind() { pos_ = begin_; }

 private:
  int fd_;
  uint64_t begin_;
  uint64_t end_;
  uint64_t pos_;
};

}  // namespace maxio::fuse
