#include "daemon/bucket/configs.h"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "daemon/bucket/bucket_metadata_store.h"
#include "daemon/bucket/internal/xml.h"

namespace maxio {

using bucket_internal::child;
using bucket_internal::child_text;
using bucket_internal::local_name;
using bucket_internal::parse_xml;

Result<VersioningState> parse_versioning(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "VersioningConfiguration") return Status(ErrorCode::kMalformedXML);
  if (child(root, "ExcludedPrefixes") || child(root, "ExcludeFolders")) {
    return Status(ErrorCode::kNotImplemented,
                  "ExcludedPrefixes and ExcludeFolders are not supported.");
  }
  std::string status = child_text(root, "Status");
  if (status == "Enabled") return VersioningState::kEnabled;
  if (status == "Suspended") return VersioningState::kSuspended;
  return Status(ErrorCode::kIllegalVersioningConfiguration,
                "Versioning configuration specified in the request is invalid. (unsupported "
                "Versioning status " +
                    status + ")");
}

std::string versioning_xml(VersioningState state) {
  switch (state) {
    case VersioningState::kUnversioned:
      return "";
    case VersioningState::kEnabled:
      return std::string(kVersioningEnabledXml);
    case VersioningState::kSuspended:
      return "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
             "<Status>Suspended</Status></VersioningConfiguration>";
  }
  return "";
}

bool object_lock_xml_enabled(std::string_view xml) {
  if (xml.empty()) return false;
  pugi::xml_document doc;
  if (!parse_xml(xml, doc).is_ok()) return false;
  pugi::xml_node root = doc.document_element();
  return local_name(root) == "ObjectLockConfiguration" &&
         child_text(root, "ObjectLockEnabled") == "Enabled";
}

Result<uint64_t> parse_quota(std::string_view json) {
  auto invalid = [](const std::string& why) {
    return Status(ErrorCode::kInvalidArgumentS3, "Invalid quota config: " + why);
  };
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return invalid("not a JSON object");
  auto number = [&](const char* name) -> std::optional<uint64_t> {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) return uint64_t{0};
    if (!it->is_number_unsigned()) return std::nullopt;
    return it->get<uint64_t>();
  };
  std::optional<uint64_t> size = number("size");
  std::optional<uint64_t> quota = number("quota");
  if (!size || !quota) return invalid("the limit is not a non-negative integer");
  auto type = doc.find("quotatype");
  if (type == doc.end() || !type->is_string() || type->get<std::string>() != "hard") {
    return invalid("quotatype must be \"hard\"");
  }
  uint64_t limit = *size > 0 ? *size : *quota;
  if (limit == 0) return invalid("the quota must be greater than 0");
  return limit;
}

std::string quota_json(uint64_t bytes) {
  nlohmann::ordered_json doc;
  doc["quota"] = bytes;
  doc["size"] = bytes;
  doc["quotatype"] = "hard";
  return doc.dump();
}

}  // namespace maxio
