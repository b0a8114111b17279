#pragma once
// Validation of the bucket configurations S3 and the admin API accept (versioning, policy,
// tagging, lifecycle, encryption, notification, replication, object lock, quota): each
// parser checks a request body as AWS (or MinIO) does and returns what it means, or the S3
// error to send. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

enum class VersioningState;

// <VersioningConfiguration><Status>Enabled|Suspended</Status></...>. MfaDelete is ignored,
// as MinIO does. Errors: kMalformedXML (not XML, wrong root), kIllegalVersioningConfiguration
// (missing or unknown Status), kNotImplemented (MinIO's ExcludedPrefixes/ExcludeFolders).
Result<VersioningState> parse_versioning(std::string_view xml);
// The state a stored document means, read leniently (MinIO may have stored its
// ExcludedPrefixes extension beside Status): kUnversioned when it has no valid Status.
VersioningState stored_versioning_state(std::string_view xml);
// The document stored and returned for `state` (MinIO's normalized form); "" when
// unversioned.
std::string versioning_xml(VersioningState state);

// Whether a stored <ObjectLockConfiguration> has ObjectLockEnabled=Enabled.
bool object_lock_xml_enabled(std::string_view xml);

// A bucket policy (JSON, as AWS structures it): an object with Version "2012-10-17" or
// "2008-10-17" (optional), an optional Id, and Statement — one statement or a non-empty
// array — each with an optional Sid, Effect Allow|Deny, Principal ("*" or {"AWS": ...}),
// Action or NotAction ("s3:..." or "*"), Resource or NotResource naming `bucket`
// ("arn:aws:s3:::<bucket>" or "arn:aws:s3:::<bucket>/<pattern>"), an optional Condition
// object. At most 20 KiB. Errors: kMalformedPolicy with AWS's reason.
Status validate_bucket_policy(std::string_view json, std::string_view bucket);

// <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>: at most 50 tags, keys
// 1–128 and values 0–256 characters, unique keys not prefixed "aws:". Errors: kMalformedXML,
// kInvalidTag.
Status validate_bucket_tagging(std::string_view xml);

// Object tags: a tag set in request order; at most 10 per object.
using TagSet = std::vector<std::pair<std::string, std::string>>;
inline constexpr size_t kMaxObjectTags = 10;
// PutObjectTagging's body, checked like bucket tagging but with at most 10 tags ("Object
// tags cannot be greater than 10"). Errors: kMalformedXML, kInvalidTag.
Result<TagSet> parse_object_tagging_xml(std::string_view xml);
// The URL-encoded form "k1=v1&k2=v2" (the x-amz-tagging header, and how xl.meta stores
// tags under X-Amz-Tagging), with the same limits; "" is no tags. kInvalidTag otherwise.
Result<TagSet> parse_object_tagging_query(std::string_view query);
// The stored form of `tags`: keys sorted, query-escaped (spaces as '+'), as MinIO writes it.
std::string object_tagging_query(const TagSet& tags);
// <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging> with its declaration.
std::string object_tagging_xml(const TagSet& tags);

// <LifecycleConfiguration><Rule>...</Rule>...</LifecycleConfiguration>: at most 1000 rules
// with unique IDs of at most 255 characters, Status Enabled|Disabled, a Filter (Prefix, Tag,
// And, ObjectSizeGreaterThan/LessThan) or a legacy Prefix, and at least one action:
// Expiration (Days > 0, a Date at midnight UTC, or ExpiredObjectDeleteMarker),
// NoncurrentVersionExpiration (NoncurrentDays > 0), AbortIncompleteMultipartUpload
// (DaysAfterInitiation > 0, not with tag filters). Transitions name a storage tier, and no
// tier can be configured: refused. Errors: kMalformedXML, kInvalidArgumentS3 (a rule that
// breaks a limit), kInvalidRequest (no action), kInvalidStorageClass (transitions).
Status validate_lifecycle(std::string_view xml);

// <ServerSideEncryptionConfiguration> with exactly one Rule whose
// ApplyServerSideEncryptionByDefault has SSEAlgorithm AES256 (no KMSMasterKeyID) or
// aws:kms. Errors: kMalformedXML.
Status validate_bucket_encryption(std::string_view xml);

// <NotificationConfiguration>: no event target can be configured yet, so only an empty
// configuration is accepted. Errors: kMalformedXML, kInvalidNotificationArn (any Queue,
// Topic or CloudFunction configuration).
Status validate_notification(std::string_view xml);
// What GetBucketNotificationConfiguration returns when none is stored.
std::string empty_notification_xml();

// <ReplicationConfiguration> with at least one Rule, each with a Destination Bucket ARN.
// No remote target can be configured yet, so every destination is unknown. Errors:
// kMalformedXML, kRemoteTargetNotFound.
Status validate_replication(std::string_view xml);

// <ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled> with an optional
// <Rule><DefaultRetention><Mode>GOVERNANCE|COMPLIANCE</Mode> and exactly one of <Days> or
// <Years>. Errors: kMalformedXML, kInvalidArgumentS3 (a period that is not positive).
Status validate_object_lock(std::string_view xml);

// MinIO's bucket quota JSON ({"quota":N,"quotatype":"hard"}; newer MinIO writes "size").
// Returns the hard limit in bytes. Errors: kInvalidArgumentS3 when it does not parse, the
// type is not "hard" or the limit is 0.
Result<uint64_t> parse_quota(std::string_view json);
// The JSON stored for a hard quota of `bytes`, as MinIO writes it.
std::string quota_json(uint64_t bytes);

}  // namespace maxio
