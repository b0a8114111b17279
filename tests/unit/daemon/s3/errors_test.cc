#include "daemon/s3/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace maxio::s3 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ErrorTable, EveryCodeMapsToAnS3Error) {
  int count = 0;
  for (int i = 1; error_code_name(static_cast<ErrorCode>(i)) != "Unknown"; ++i) {
    auto code = static_cast<ErrorCode>(i);
    const ErrorInfo& info = error_info(code);
    EXPECT_FALSE(info.code.empty()) << error_code_name(code);
    EXPECT_FALSE(info.message.empty()) << error_code_name(code);
    EXPECT_GE(info.http_status, 300) << error_code_name(code);
    EXPECT_LT(info.http_status, 600) << error_code_name(code);
    ++count;
  }
  EXPECT_GE(count, static_cast<int>(ErrorCode::kInvalidPartNumber));
}

TEST(ErrorTable, KeyStatuses) {
  struct Row {
    ErrorCode code;
    std::string_view s3_code;
    int status;
  };
  const Row rows[] = {
      {ErrorCode::kNoSuchKey, "NoSuchKey", 404},
      {ErrorCode::kNoSuchUpload, "NoSuchUpload", 404},
      {ErrorCode::kInvalidPart, "InvalidPart", 400},
      {ErrorCode::kInvalidPartOrder, "InvalidPartOrder", 400},
      {ErrorCode::kEntityTooSmall, "EntityTooSmall", 400},
      {ErrorCode::kFileNotFound, "NoSuchKey", 404},
      {ErrorCode::kNoSuchBucket, "NoSuchBucket", 404},
      {ErrorCode::kVolumeNotFound, "NoSuchBucket", 404},
      {ErrorCode::kVolumeExists, "BucketAlreadyOwnedByYou", 409},
      {ErrorCode::kBucketNotEmpty, "BucketNotEmpty", 409},
      {ErrorCode::kAccessDenied, "AccessDenied", 403},
      {ErrorCode::kExpiredPresignRequest, "AccessDenied", 403},
      {ErrorCode::kSignatureDoesNotMatch, "SignatureDoesNotMatch", 403},
      {ErrorCode::kInvalidAccessKeyId, "InvalidAccessKeyId", 403},
      {ErrorCode::kRequestTimeTooSkewed, "RequestTimeTooSkewed", 403},
      {ErrorCode::kInvalidRange, "InvalidRange", 416},
      {ErrorCode::kPreconditionFailed, "PreconditionFailed", 412},
      {ErrorCode::kNotModified, "NotModified", 304},
      {ErrorCode::kMissingContentLength, "MissingContentLength", 411},
      {ErrorCode::kMethodNotAllowed, "MethodNotAllowed", 405},
      {ErrorCode::kNotImplemented, "NotImplemented", 501},
      {ErrorCode::kInternal, "InternalError", 500},
      {ErrorCode::kIo, "InternalError", 500},
      {ErrorCode::kDriveFull, "XMinioStorageFull", 507},
      {ErrorCode::kInsufficientWriteQuorum, "SlowDownWrite", 503},
      {ErrorCode::kInsufficientReadQuorum, "SlowDownRead", 503},
      {ErrorCode::kSlowDown, "SlowDown", 503},
      {ErrorCode::kMalformedXML, "MalformedXML", 400},
      {ErrorCode::kInvalidBucketName, "InvalidBucketName", 400},
      {ErrorCode::kKeyTooLong, "KeyTooLongError", 400},
      {ErrorCode::kInvalidObjectName, "XMinioInvalidObjectName", 400},
      {ErrorCode::kEntityTooLarge, "EntityTooLarge", 400},
      {ErrorCode::kBadDigest, "BadDigest", 400},
      {ErrorCode::kInvalidDigest, "InvalidDigest", 400},
      {ErrorCode::kInvalidArgumentS3, "InvalidArgument", 400},
      {ErrorCode::kInvalidEncodingMethod, "InvalidArgument", 400},
      {ErrorCode::kXAmzContentSHA256Mismatch, "XAmzContentSHA256Mismatch", 400},
      {ErrorCode::kIncompleteBody, "IncompleteBody", 400},
      {ErrorCode::kInvalidPartNumber, "InvalidPartNumber", 416},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(error_info(row.code).code, row.s3_code) << error_code_name(row.code);
    EXPECT_EQ(error_info(row.code).http_status, row.status) << error_code_name(row.code);
  }
}

TEST(ErrorTable, OkIsNotAnError) { EXPECT_EQ(error_info(ErrorCode::kOk).http_status, 200); }

TEST(ErrorXml, CarriesContextAndDefaultMessage) {
  ErrorContext context{"bucket", "a&b", "/bucket/a&b", "0123456789ABCDEF", "host"};
  std::string xml = error_xml(Status(ErrorCode::kNoSuchKey), context);
  EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(xml, HasSubstr("<Error><Code>NoSuchKey</Code>"));
  EXPECT_THAT(xml, HasSubstr("<Message>The specified key does not exist.</Message>"));
  EXPECT_THAT(xml, HasSubstr("<Key>a&amp;b</Key>"));
  EXPECT_THAT(xml, HasSubstr("<BucketName>bucket</BucketName>"));
  EXPECT_THAT(xml, HasSubstr("<Resource>/bucket/a&amp;b</Resource>"));
  EXPECT_THAT(xml, HasSubstr("<RequestId>0123456789ABCDEF</RequestId>"));
  EXPECT_THAT(xml, HasSubstr("<HostId>host</HostId>"));
}

TEST(ErrorXml, StatusMessageOverridesAndEmptyFieldsAreOmitted) {
  ErrorContext context;
  context.request_id = "R";
  std::string xml = error_xml(Status(ErrorCode::kInvalidArgumentS3, "bad max-keys"), context);
  EXPECT_THAT(xml, HasSubstr("<Message>bad max-keys</Message>"));
  EXPECT_THAT(xml, Not(HasSubstr("<Key>")));
  EXPECT_THAT(xml, Not(HasSubstr("<BucketName>")));
  EXPECT_THAT(xml, HasSubstr("<HostId"));
}

// Regression: the <Key> of an error for a key with a carriage return must keep it.
TEST(ErrorXml, CarriageReturnIsACharacterReference) {
  ErrorContext context{"bucket", "a\rb", "/bucket/a\rb", "R", "H"};
  std::string xml = error_xml(Status(ErrorCode::kNoSuchKey), context);
  EXPECT_THAT(xml, HasSubstr("<Key>a&#13;b</Key>"));
  EXPECT_THAT(xml, Not(HasSubstr("\r")));
}

// Regression: storage messages ("no version x", the bucket name, drive paths) reached the
// client as <Message>; only request-specific detail may replace AWS's message.
TEST(ErrorXml, StorageMessagesAreNotShown) {
  ErrorContext context{"b", "", "/b", "R", "H"};
  EXPECT_THAT(error_xml(Status(ErrorCode::kNoSuchBucket, "b"), context),
              HasSubstr("<Message>The specified bucket does not exist</Message>"));
  EXPECT_EQ(error_message(Status(ErrorCode::kIo, "open /drive/b/x: EIO")),
            "We encountered an internal error, please try again.");
  EXPECT_EQ(error_message(Status(ErrorCode::kNoSuchVersion, "no version x")),
            "The specified version does not exist.");
  EXPECT_EQ(error_message(Status(ErrorCode::kPreconditionFailed, "object missing")),
            "At least one of the pre-conditions you specified did not hold");
  EXPECT_EQ(error_message(Status(ErrorCode::kInvalidArgument, "seek past end of /drive")),
            "Invalid argument");
  EXPECT_EQ(error_message(Status(ErrorCode::kInvalidRequest, "Cannot specify both")),
            "Cannot specify both");
  EXPECT_EQ(error_message(Status(ErrorCode::kNotImplemented, "The tagging sub-resource")),
            "The tagging sub-resource");
  EXPECT_EQ(error_message(Status(ErrorCode::kInvalidRequest)), "Invalid Request");
}

}  // namespace
}  // namespace maxio::s3
