#pragma once
// Validation of the bucket configurations S3 and the admin API accept (versioning, policy,
// tagging, lifecycle, encryption, notification, replication, object lock, quota): each
// parser checks a request body as AWS (or MinIO) does and returns what it means, or the S3
// error to send. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio {

enum class VersioningState;

// <VersioningConfiguration><Status>Enabled|Suspended</Status></...>. MfaDelete is ignored,
// as MinIO does. Errors: kMalformedXML (not XML, wrong root), kIllegalVersioningConfiguration
// (missing or unknown Status), kNotImplemented (MinIO's ExcludedPrefixes/ExcludeFolders).
Result<VersioningState> parse_versioning(std::string_view xml);
// The document stored and returned for `state` (MinIO's normalized form); "" when
// unversioned.
std::string versioning_xml(VersioningState state);

// Whether a stored <ObjectLockConfiguration> has ObjectLockEnabled=Enabled.
bool object_lock_xml_enabled(std::string_view xml);

// MinIO's bucket quota JSON ({"quota":N,"quotatype":"hard"}; newer MinIO writes "size").
// Returns the hard limit in bytes. Errors: kInvalidArgumentS3 when it does not parse, the
// type is not "hard" or the limit is 0.
Result<uint64_t> parse_quota(std::string_view json);
// The JSON stored for a hard quota of `bytes`, as MinIO writes it.
std::string quota_json(uint64_t bytes);

}  // namespace maxio
