#include "fuse/mount/errno_map.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "shared/s3/error.h"

namespace maxio::fuse {
namespace {

TEST(ErrnoFor, S3Errors) {
  EXPECT_EQ(errno_for(Status::ok()), 0);
  EXPECT_EQ(errno_for(Status(ErrorCode::kNoSuchKey)), ENOENT);
  EXPECT_EQ(errno_for(Status(ErrorCode::kNoSuchBucket)), ENOENT);
  EXPECT_EQ(errno_for(Status(ErrorCode::kAccessDenied)), EACCES);
  EXPECT_EQ(errno_for(Status(ErrorCode::kSignatureDoesNotMatch)), EACCES);
  EXPECT_EQ(errno_for(Status(ErrorCode::kInvalidAccessKeyId)), EACCES);
  EXPECT_EQ(errno_for(Status(ErrorCode::kKeyTooLong)), ENAMETOOLONG);
  EXPECT_EQ(errno_for(Status(ErrorCode::kEntityTooLarge)), EFBIG);
  EXPECT_EQ(errno_for(Status(ErrorCode::kNotImplemented)), EOPNOTSUPP);
}

TEST(ErrnoFor, ServerAndNetworkFailuresAreEio) {
  EXPECT_EQ(errno_for(Status(ErrorCode::kInternal)), EIO);
  EXPECT_EQ(errno_for(Status(ErrorCode::kServiceUnavailable)), EIO);
  EXPECT_EQ(errno_for(Status(ErrorCode::kSlowDown)), EIO);
  EXPECT_EQ(errno_for(Status(ErrorCode::kIo)), EIO);
  EXPECT_EQ(errno_for(Status(ErrorCode::kTimeout)), EIO);
}

TEST(ErrnoFor, StatusesMadeByTheClientFromHttpAnswers) {
  // The client turns an error response into a Status through S3Error; check the path end to
  // end for the codes a mount meets.
  auto st = [](const char* code, int http) {
    s3client::S3Error error;
    error.http_status = http;
    error.code = code;
    return error.to_status();
  };
  EXPECT_EQ(errno_for(st("AccessDenied", 403)), EACCES);
  EXPECT_EQ(errno_for(st("NoSuchKey", 404)), ENOENT);
  EXPECT_EQ(errno_for(st("InternalError", 500)), EIO);
  EXPECT_EQ(errno_for(st("", 503)), EIO);
  EXPECT_EQ(errno_for(st("", 403)), EACCES);  // a HEAD answer has no body
}

}  // namespace
}  // namespace maxio::fuse
