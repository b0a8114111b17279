// The bucket configuration validators: what each accepts, and the S3 error of each refusal.

#include "daemon/bucket/configs.h"

#include <gtest/gtest.h>

#include "daemon/bucket/bucket_metadata_store.h"

namespace maxio {
namespace {

TEST(Versioning, ParsesStatus) {
  EXPECT_EQ(*parse_versioning("<VersioningConfiguration><Status>Enabled</Status>"
                              "</VersioningConfiguration>"),
            VersioningState::kEnabled);
  EXPECT_EQ(*parse_versioning(
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<Status>Suspended</Status><MfaDelete>Disabled</MfaDelete>"
                "</VersioningConfiguration>"),
            VersioningState::kSuspended);
}

TEST(Versioning, Refusals) {
  EXPECT_EQ(parse_versioning("").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_versioning("<VersioningConfiguration>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_versioning("<Versioning><Status>Enabled</Status></Versioning>").code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_versioning("<VersioningConfiguration/>").code(),
            ErrorCode::kIllegalVersioningConfiguration);
  EXPECT_EQ(parse_versioning("<VersioningConfiguration><Status>enabled</Status>"
                             "</VersioningConfiguration>")
                .code(),
            ErrorCode::kIllegalVersioningConfiguration);
  EXPECT_EQ(parse_versioning("<VersioningConfiguration><Status>Enabled</Status>"
                             "<ExcludeFolders>true</ExcludeFolders></VersioningConfiguration>")
                .code(),
            ErrorCode::kNotImplemented);
}

TEST(Versioning, StoredFormRoundTrips) {
  for (auto state : {VersioningState::kEnabled, VersioningState::kSuspended}) {
    EXPECT_EQ(*parse_versioning(versioning_xml(state)), state);
  }
  EXPECT_EQ(versioning_xml(VersioningState::kEnabled), kVersioningEnabledXml);
  EXPECT_EQ(versioning_xml(VersioningState::kUnversioned), "");
}

TEST(ObjectLock, EnabledXml) {
  EXPECT_TRUE(object_lock_xml_enabled(kObjectLockEnabledXml));
  EXPECT_FALSE(object_lock_xml_enabled(""));
  EXPECT_FALSE(object_lock_xml_enabled("<ObjectLockConfiguration/>"));
}

TEST(Quota, ParsesMinioJson) {
  EXPECT_EQ(*parse_quota(R"({"quota":1048576,"quotatype":"hard"})"), 1048576u);
  EXPECT_EQ(*parse_quota(R"({"size":5,"quota":0,"quotatype":"hard"})"), 5u);
  EXPECT_EQ(*parse_quota(quota_json(77)), 77u);
  EXPECT_EQ(parse_quota("nope").code(), ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(parse_quota(R"({"quota":10,"quotatype":"fifo"})").code(),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(parse_quota(R"({"quota":0,"quotatype":"hard"})").code(),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(parse_quota(R"({"quota":-1,"quotatype":"hard"})").code(),
            ErrorCode::kInvalidArgumentS3);
}

}  // namespace
}  // namespace maxio
