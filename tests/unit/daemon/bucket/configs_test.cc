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

TEST(Versioning, StoredStateIsReadLeniently) {
  EXPECT_EQ(stored_versioning_state(""), VersioningState::kUnversioned);
  EXPECT_EQ(stored_versioning_state("garbage"), VersioningState::kUnversioned);
  // MinIO's extension, refused on PUT, still reads as Enabled when MinIO stored it.
  EXPECT_EQ(stored_versioning_state("<VersioningConfiguration><Status>Enabled</Status>"
                                    "<ExcludedPrefixes><Prefix>tmp/</Prefix></ExcludedPrefixes>"
                                    "</VersioningConfiguration>"),
            VersioningState::kEnabled);
  EXPECT_EQ(stored_versioning_state(versioning_xml(VersioningState::kSuspended)),
            VersioningState::kSuspended);
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
  EXPECT_EQ(parse_quota(R"({"quota":0,"quotatype":"hard"})").code(), ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(parse_quota(R"({"quota":-1,"quotatype":"hard"})").code(),
            ErrorCode::kInvalidArgumentS3);
}

std::string policy(const std::string& statement) {
  return R"({"Version":"2012-10-17","Statement":[)" + statement + "]}";
}

TEST(Policy, Accepts) {
  EXPECT_TRUE(
      validate_bucket_policy(policy(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                                    R"("Resource":"arn:aws:s3:::b/*"})"),
                             "b")
          .is_ok());
  EXPECT_TRUE(validate_bucket_policy(
                  R"({"Statement":{"Sid":"x","Effect":"Deny","Principal":{"AWS":["*"]},)"
                  R"("NotAction":["s3:*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b*/k"],)"
                  R"("Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}})",
                  "b")
                  .is_ok());
}

TEST(Policy, Refusals) {
  auto code = [](const std::string& doc) { return validate_bucket_policy(doc, "b").code(); };
  const ErrorCode kBad = ErrorCode::kMalformedPolicy;
  EXPECT_EQ(code(""), kBad);
  EXPECT_EQ(code("[]"), kBad);
  EXPECT_EQ(code(R"({"Version":"2012-10-17"})"), kBad);
  EXPECT_EQ(code(R"({"Version":"2012-10-17","Statement":[]})"), kBad);
  EXPECT_EQ(code(R"({"Version":"1999","Statement":[{}]})"), kBad);
  EXPECT_EQ(code(R"({"Version":"2012-10-17","Statement":[],"Extra":1})"), kBad);
  const std::string ok_rest = R"("Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})";
  EXPECT_EQ(code(policy(R"({"Effect":"allow","Principal":"*",)" + ok_rest)), kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow",)" + ok_rest)), kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"bob",)" + ok_rest)), kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":{"CanonicalUser":"x"},)" + ok_rest)),
            kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"*","Action":"GetObject",)"
                        R"("Resource":"arn:aws:s3:::b/*"})")),
            kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::b/*"})")),
            kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                        R"("Resource":"arn:aws:s3:::other/*"})")),
            kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                        R"("Resource":"*"})")),
            kBad);
  EXPECT_EQ(code(policy(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                        R"("Resource":"arn:aws:s3:::b/*","Condition":"x"})")),
            kBad);
  EXPECT_EQ(code(std::string(21 * 1024, ' ')), kBad);
}

std::string tagging(const std::string& tags) {
  return "<Tagging><TagSet>" + tags + "</TagSet></Tagging>";
}
std::string tag(const std::string& k, const std::string& v) {
  return "<Tag><Key>" + k + "</Key><Value>" + v + "</Value></Tag>";
}

TEST(Tagging, LimitsAndDuplicates) {
  EXPECT_TRUE(validate_bucket_tagging(tagging(tag("a", "1") + tag("b", ""))).is_ok());
  EXPECT_TRUE(validate_bucket_tagging(tagging("")).is_ok());
  std::string fifty;
  for (int i = 0; i < 50; ++i) fifty += tag("k" + std::to_string(i), "v");
  EXPECT_TRUE(validate_bucket_tagging(tagging(fifty)).is_ok());
  EXPECT_EQ(validate_bucket_tagging(tagging(fifty + tag("x", "y"))).code(), ErrorCode::kInvalidTag);
  EXPECT_TRUE(
      validate_bucket_tagging(tagging(tag(std::string(128, 'k'), std::string(256, 'v')))).is_ok());
  // 128 characters of two bytes each are still 128 characters.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xc3\xa9";
  EXPECT_TRUE(validate_bucket_tagging(tagging(tag(wide, "v"))).is_ok());
  EXPECT_EQ(validate_bucket_tagging(tagging(tag(std::string(129, 'k'), "v"))).code(),
            ErrorCode::kInvalidTag);
  EXPECT_EQ(validate_bucket_tagging(tagging(tag("k", std::string(257, 'v')))).code(),
            ErrorCode::kInvalidTag);
  EXPECT_EQ(validate_bucket_tagging(tagging(tag("", "v"))).code(), ErrorCode::kInvalidTag);
  EXPECT_EQ(validate_bucket_tagging(tagging(tag("d", "1") + tag("d", "2"))).code(),
            ErrorCode::kInvalidTag);
  EXPECT_EQ(validate_bucket_tagging(tagging(tag("aws:x", "1"))).code(), ErrorCode::kInvalidTag);
  EXPECT_EQ(validate_bucket_tagging("<Tagging/>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_bucket_tagging(tagging("<Tag><Key>k</Key></Tag>")).code(),
            ErrorCode::kMalformedXML);
}

TEST(ObjectTagging, XmlLimitsAndMessages) {
  auto tags = parse_object_tagging_xml(tagging(tag("b", "2") + tag("a", "")));
  ASSERT_TRUE(tags.is_ok());
  EXPECT_EQ(*tags, (TagSet{{"b", "2"}, {"a", ""}}));
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += tag("k" + std::to_string(i), "v");
  EXPECT_TRUE(parse_object_tagging_xml(tagging(ten)).is_ok());
  auto eleven = parse_object_tagging_xml(tagging(ten + tag("x", "y")));
  EXPECT_EQ(eleven.code(), ErrorCode::kInvalidTag);
  EXPECT_EQ(eleven.status().message(), "Object tags cannot be greater than 10");
  auto long_key = parse_object_tagging_xml(tagging(tag(std::string(129, 'k'), "v")));
  EXPECT_EQ(long_key.status().message(), "The TagKey you have provided is invalid");
  auto long_value = parse_object_tagging_xml(tagging(tag("k", std::string(257, 'v'))));
  EXPECT_EQ(long_value.status().message(), "The TagValue you have provided is invalid");
  auto dup = parse_object_tagging_xml(tagging(tag("d", "1") + tag("d", "2")));
  EXPECT_EQ(dup.status().message(), "Cannot provide multiple Tags with the same key");
  EXPECT_EQ(parse_object_tagging_xml(tagging(tag("aws:k", "1"))).code(), ErrorCode::kInvalidTag);
  EXPECT_EQ(parse_object_tagging_xml("<Tagging><TagSet>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_object_tagging_xml("<Other/>").code(), ErrorCode::kMalformedXML);
}

TEST(ObjectTagging, QueryFormRoundTrips) {
  auto tags = parse_object_tagging_query("b=2&a=1+x&c=%26%3D&e=");
  ASSERT_TRUE(tags.is_ok()) << tags.status().to_string();
  EXPECT_EQ(*tags, (TagSet{{"b", "2"}, {"a", "1 x"}, {"c", "&="}, {"e", ""}}));
  // Stored as MinIO writes it: sorted, query-escaped.
  EXPECT_EQ(object_tagging_query(*tags), "a=1+x&b=2&c=%26%3D&e=");
  EXPECT_EQ(*parse_object_tagging_query(object_tagging_query(*tags)),
            (TagSet{{"a", "1 x"}, {"b", "2"}, {"c", "&="}, {"e", ""}}));
  EXPECT_TRUE(parse_object_tagging_query("")->empty());
  std::string eleven;
  for (int i = 0; i < 11; ++i) eleven += "k" + std::to_string(i) + "=v&";
  EXPECT_EQ(parse_object_tagging_query(eleven).status().message(),
            "Object tags cannot be greater than 10");
  EXPECT_EQ(parse_object_tagging_query("a=1&a=2").status().message(),
            "Cannot provide multiple Tags with the same key");
  EXPECT_EQ(parse_object_tagging_query("=v").status().message(),
            "The TagKey you have provided is invalid");
  EXPECT_EQ(parse_object_tagging_query("k=" + std::string(257, 'v')).status().message(),
            "The TagValue you have provided is invalid");
  EXPECT_EQ(parse_object_tagging_query("k=%zz").code(), ErrorCode::kInvalidTag);
  EXPECT_EQ(parse_object_tagging_query("aws:x=1").code(), ErrorCode::kInvalidTag);
}

TEST(ObjectTagging, ResponseDocument) {
  EXPECT_EQ(object_tagging_xml({{"a", "<1>"}}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>a</Key><Value>"
            "&lt;1&gt;</Value></Tag></TagSet></Tagging>");
}

std::string lifecycle(const std::string& rules) {
  return "<LifecycleConfiguration>" + rules + "</LifecycleConfiguration>";
}
std::string rule(const std::string& body, const std::string& status = "Enabled") {
  return "<Rule><Status>" + status + "</Status>" + body + "</Rule>";
}

TEST(Lifecycle, Accepts) {
  EXPECT_TRUE(validate_lifecycle(lifecycle(rule("<ID>a</ID><Filter><Prefix>logs/</Prefix></Filter>"
                                                "<Expiration><Days>1</Days></Expiration>")))
                  .is_ok());
  EXPECT_TRUE(
      validate_lifecycle(
          lifecycle(rule("<Prefix>x</Prefix><Expiration><Date>2030-01-01T00:00:00.000Z</Date>"
                         "</Expiration>") +
                    rule("<Filter><And><Prefix>p</Prefix>" + tag("t", "1") +
                             "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>"
                             "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
                             "</NoncurrentVersionExpiration>",
                         "Disabled") +
                    rule("<Filter/><AbortIncompleteMultipartUpload><DaysAfterInitiation>1"
                         "</DaysAfterInitiation></AbortIncompleteMultipartUpload>"
                         "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                         "</Expiration>")))
          .is_ok());
  EXPECT_TRUE(validate_lifecycle(
                  lifecycle(rule(
                      "<Filter/><Expiration><Date>2030-01-01T02:00:00+02:00</Date></Expiration>")))
                  .is_ok());
}

TEST(Lifecycle, Refusals) {
  auto code = [](const std::string& rules) { return validate_lifecycle(lifecycle(rules)).code(); };
  const std::string days1 = "<Expiration><Days>1</Days></Expiration>";
  EXPECT_EQ(validate_lifecycle("<LifecycleConfiguration>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(code(""), ErrorCode::kMalformedXML);
  EXPECT_EQ(code(rule("<Filter/>" + days1, "On")), ErrorCode::kMalformedXML);
  EXPECT_EQ(code(rule("<ID>" + std::string(256, 'i') + "</ID><Filter/>" + days1)),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<ID>x</ID><Filter/>" + days1) + rule("<ID>x</ID><Filter/>" + days1)),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/><Prefix/>" + days1)), ErrorCode::kMalformedXML);
  EXPECT_EQ(code(rule("<Filter><Prefix>a</Prefix>" + tag("t", "1") + "</Filter>" + days1)),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(code(rule("<Filter/><Expiration><Days>0</Days></Expiration>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/><Expiration><Days>x</Days></Expiration>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date>"
                      "</Expiration>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/><Expiration><Date>2030-01-01T00:00:01Z</Date></Expiration>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/><Expiration><Date>tomorrow</Date></Expiration>")),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(code(rule("<Filter/><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                      "</NoncurrentVersionExpiration>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter>" + tag("t", "1") +
                      "</Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1"
                      "</DaysAfterInitiation></AbortIncompleteMultipartUpload>")),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(code(rule("<Filter/>")), ErrorCode::kInvalidRequest);
  EXPECT_EQ(code(rule("<Filter/><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass>"
                      "</Transition>")),
            ErrorCode::kInvalidStorageClass);
}

TEST(Encryption, Algorithms) {
  auto doc = [](const std::string& apply) {
    return "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>" + apply +
           "</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
  };
  EXPECT_TRUE(validate_bucket_encryption(doc("<SSEAlgorithm>AES256</SSEAlgorithm>")).is_ok());
  EXPECT_TRUE(validate_bucket_encryption(doc("<SSEAlgorithm>aws:kms</SSEAlgorithm>")).is_ok());
  EXPECT_TRUE(validate_bucket_encryption(
                  doc("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>"))
                  .is_ok());
  EXPECT_EQ(validate_bucket_encryption(
                doc("<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>"))
                .code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_bucket_encryption(doc("<SSEAlgorithm>DES</SSEAlgorithm>")).code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_bucket_encryption("<ServerSideEncryptionConfiguration/>").code(),
            ErrorCode::kMalformedXML);
}

TEST(Notification, OnlyEmpty) {
  EXPECT_TRUE(validate_notification("<NotificationConfiguration/>").is_ok());
  EXPECT_TRUE(validate_notification(empty_notification_xml()).is_ok());
  EXPECT_EQ(validate_notification("<NotificationConfiguration><QueueConfiguration><Queue>"
                                  "arn:minio:sqs::1:webhook</Queue></QueueConfiguration>"
                                  "</NotificationConfiguration>")
                .code(),
            ErrorCode::kInvalidNotificationArn);
  EXPECT_EQ(validate_notification("<NotificationConfiguration><TopicConfiguration/>"
                                  "</NotificationConfiguration>")
                .code(),
            ErrorCode::kInvalidNotificationArn);
  EXPECT_EQ(validate_notification("<Notification/>").code(), ErrorCode::kMalformedXML);
}

TEST(Replication, EveryDestinationIsUnknown) {
  EXPECT_EQ(validate_replication("<ReplicationConfiguration><Rule><Status>Enabled</Status>"
                                 "<Destination><Bucket>arn:minio:replication::x:b</Bucket>"
                                 "</Destination></Rule></ReplicationConfiguration>")
                .code(),
            ErrorCode::kRemoteTargetNotFound);
  EXPECT_EQ(validate_replication("<ReplicationConfiguration><Rule><Status>Enabled</Status>"
                                 "</Rule></ReplicationConfiguration>")
                .code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_replication("<ReplicationConfiguration/>").code(), ErrorCode::kMalformedXML);
}

TEST(ObjectLock, DefaultRetention) {
  auto doc = [](const std::string& retention) {
    return "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
           "<DefaultRetention>" +
           retention + "</DefaultRetention></Rule></ObjectLockConfiguration>";
  };
  EXPECT_TRUE(validate_object_lock(kObjectLockEnabledXml).is_ok());
  EXPECT_TRUE(validate_object_lock(doc("<Mode>GOVERNANCE</Mode><Days>1</Days>")).is_ok());
  EXPECT_TRUE(validate_object_lock(doc("<Mode>COMPLIANCE</Mode><Years>2</Years>")).is_ok());
  EXPECT_EQ(validate_object_lock(doc("<Mode>SOFT</Mode><Days>1</Days>")).code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_object_lock(doc("<Mode>GOVERNANCE</Mode>")).code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(
      validate_object_lock(doc("<Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>")).code(),
      ErrorCode::kMalformedXML);
  EXPECT_EQ(validate_object_lock(doc("<Mode>GOVERNANCE</Mode><Days>0</Days>")).code(),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(validate_object_lock("<ObjectLockConfiguration><ObjectLockEnabled>Disabled"
                                 "</ObjectLockEnabled></ObjectLockConfiguration>")
                .code(),
            ErrorCode::kMalformedXML);
}

}  // namespace
}  // namespace maxio
