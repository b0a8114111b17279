#include "daemon/bucket/configs.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "daemon/bucket/bucket_metadata_store.h"
#include "daemon/bucket/internal/xml.h"
#include "shared/util/strings.h"

namespace maxio {

using bucket_internal::child;
using bucket_internal::child_text;
using bucket_internal::children;
using bucket_internal::local_name;
using bucket_internal::parse_xml;
using bucket_internal::text;

namespace {

constexpr size_t kMaxPolicySize = 20 * 1024;
constexpr size_t kMaxBucketTags = 50;
constexpr size_t kMaxTagKey = 128;
constexpr size_t kMaxTagValue = 256;
constexpr size_t kMaxLifecycleRules = 1000;
constexpr size_t kMaxRuleId = 255;

// Characters (code points) of UTF-8 text.
size_t utf8_length(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

Status malformed_policy(std::string message) {
  return Status(ErrorCode::kMalformedPolicy, std::move(message));
}

Status invalid_argument(std::string message) {
  return Status(ErrorCode::kInvalidArgumentS3, std::move(message));
}

// A string or a non-empty array of strings, each checked by `check`.
template <typename Check>
Status string_or_array(const nlohmann::json& value, const std::string& what, Check check) {
  if (value.is_string()) return check(value.get<std::string>());
  if (!value.is_array() || value.empty()) return malformed_policy("Invalid " + what);
  for (const auto& item : value) {
    if (!item.is_string()) return malformed_policy("Invalid " + what);
    MAXIO_RETURN_IF_ERROR(check(item.get<std::string>()));
  }
  return Status::ok();
}

Status check_principal(const nlohmann::json& principal) {
  if (principal.is_string()) {
    if (principal.get<std::string>() == "*") return Status::ok();
    return malformed_policy("Invalid principal in policy");
  }
  if (!principal.is_object() || principal.empty()) {
    return malformed_policy("Invalid principal in policy");
  }
  for (const auto& [kind, who] : principal.items()) {
    if (kind != "AWS") return malformed_policy("Invalid principal in policy");
    MAXIO_RETURN_IF_ERROR(string_or_array(who, "principal in policy", [](const std::string& p) {
      return p.empty() ? malformed_policy("Invalid principal in policy") : Status::ok();
    }));
  }
  return Status::ok();
}

Status check_action(const std::string& action) {
  if (action == "*" || (action.starts_with("s3:") && action.size() > 3)) return Status::ok();
  return malformed_policy("Policy has invalid action");
}

// '*' matches any run of characters, '?' any one (linear backtracking on the last '*').
bool glob_match(std::string_view pattern, std::string_view value) {
  size_t p = 0, v = 0, star = std::string_view::npos, resume = 0;
  while (v < value.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == value[v])) {
      ++p;
      ++v;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// "arn:aws:s3:::<bucket>[/<object pattern>]" whose bucket part matches `bucket`.
Status check_resource(const std::string& resource, std::string_view bucket) {
  constexpr std::string_view kArn = "arn:aws:s3:::";
  if (!resource.starts_with(kArn)) return malformed_policy("Policy has invalid resource");
  std::string_view rest = std::string_view(resource).substr(kArn.size());
  std::string_view named = rest.substr(0, rest.find('/'));
  if (named.empty() || named.size() > 64 || !glob_match(named, bucket)) {
    return malformed_policy("Policy has invalid resource");
  }
  return Status::ok();
}

Status check_statement(const nlohmann::json& st, std::string_view bucket) {
  if (!st.is_object()) return malformed_policy("Statement is not an object");
  static const std::set<std::string> kKeys = {"Sid",          "Effect",      "Principal",
                                              "NotPrincipal", "Action",      "NotAction",
                                              "Resource",     "NotResource", "Condition"};
  for (const auto& [key, value] : st.items()) {
    if (!kKeys.contains(key)) return malformed_policy("Unknown field " + key);
  }
  if (st.contains("Sid") && !st["Sid"].is_string()) return malformed_policy("Invalid Sid");
  auto effect = st.find("Effect");
  if (effect == st.end() || !effect->is_string() || (*effect != "Allow" && *effect != "Deny")) {
    return malformed_policy("Invalid effect");
  }
  if (st.contains("NotPrincipal")) {
    return malformed_policy("NotPrincipal is not supported in bucket policies");
  }
  auto principal = st.find("Principal");
  if (principal == st.end()) return malformed_policy("Missing required field Principal");
  MAXIO_RETURN_IF_ERROR(check_principal(*principal));
  const bool action = st.contains("Action");
  if (action == st.contains("NotAction")) {
    return malformed_policy("Missing required field Action");
  }
  MAXIO_RETURN_IF_ERROR(
      string_or_array(st[action ? "Action" : "NotAction"], "action", check_action));
  const bool resource = st.contains("Resource");
  if (resource == st.contains("NotResource")) {
    return malformed_policy("Missing required field Resource");
  }
  MAXIO_RETURN_IF_ERROR(
      string_or_array(st[resource ? "Resource" : "NotResource"], "resource",
                      [&](const std::string& r) { return check_resource(r, bucket); }));
  if (st.contains("Condition") && !st["Condition"].is_object()) {
    return malformed_policy("Invalid Condition");
  }
  return Status::ok();
}

// A non-negative decimal integer (no sign, no spaces), or nullopt.
std::optional<int64_t> parse_int(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// RFC 3339 ("2030-01-01T00:00:00Z", "...T00:00:00.000Z", "...+02:00"): whether it is
// midnight UTC. nullopt when it is not a date-time at all.
std::optional<bool> is_utc_midnight(const std::string& s) {
  int y, mo, d, h, mi, sec;
  char t;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &t, &h, &mi, &sec,
                  &consumed) != 7 ||
      (t != 'T' && t != 't')) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(s).substr(static_cast<size_t>(consumed));
  bool zero_fraction = true;
  if (rest.starts_with(".")) {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      if (rest[i] != '0') zero_fraction = false;
      ++i;
    }
    rest.remove_prefix(i);
  }
  int offset_minutes = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto oh = parse_int(std::string(rest.substr(1, 2)));
    auto om = parse_int(std::string(rest.substr(4, 2)));
    if (!oh || !om) return std::nullopt;
    offset_minutes = static_cast<int>(*oh * 60 + *om) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int minutes = (h * 60 + mi - offset_minutes) % (24 * 60);
  if (minutes < 0) minutes += 24 * 60;
  return minutes == 0 && sec == 0 && zero_fraction;
}

// A positive integer element, or the error `message` (InvalidArgument).
Status positive_child(pugi::xml_node parent, std::string_view name, const std::string& message) {
  auto v = parse_int(child_text(parent, name));
  if (!v) return child(parent, name) ? invalid_argument(message) : Status(ErrorCode::kMalformedXML);
  if (*v <= 0) return invalid_argument(message);
  return Status::ok();
}

Status check_tag(pugi::xml_node tag) {
  if (!child(tag, "Key") || !child(tag, "Value")) return Status(ErrorCode::kMalformedXML);
  std::string key = child(tag, "Key").text().get();
  std::string value = child(tag, "Value").text().get();
  if (key.empty() || utf8_length(key) > kMaxTagKey) {
    return Status(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
  }
  if (utf8_length(value) > kMaxTagValue) {
    return Status(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
  }
  return Status::ok();
}

// Keys unique and not prefixed "aws:".
Status check_tag_keys(const TagSet& tags) {
  std::set<std::string> keys;
  for (const auto& [key, value] : tags) {
    if (key.starts_with("aws:")) {
      return Status(ErrorCode::kInvalidTag, "Your TagKey cannot be prefixed with aws:");
    }
    if (!keys.insert(key).second) {
      return Status(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
  }
  return Status::ok();
}

Status check_lifecycle_filter(pugi::xml_node rule, bool& has_tags) {
  pugi::xml_node filter = child(rule, "Filter");
  pugi::xml_node prefix = child(rule, "Prefix");
  if (filter && prefix) {
    return Status(ErrorCode::kMalformedXML);  // a rule has a Filter or a Prefix, not both
  }
  if (!filter) return Status::ok();
  int parts = 0;
  for (pugi::xml_node c : filter.children()) {
    if (c.type() != pugi::node_element) continue;
    ++parts;
    std::string_view name = local_name(c);
    if (name == "Tag") {
      has_tags = true;
      MAXIO_RETURN_IF_ERROR(check_tag(c));
    } else if (name == "And") {
      for (pugi::xml_node a : c.children()) {
        if (a.type() != pugi::node_element) continue;
        std::string_view an = local_name(a);
        if (an == "Tag") {
          has_tags = true;
          MAXIO_RETURN_IF_ERROR(check_tag(a));
        } else if (an != "Prefix" && an != "ObjectSizeGreaterThan" && an != "ObjectSizeLessThan") {
          return Status(ErrorCode::kMalformedXML);
        }
      }
    } else if (name == "ObjectSizeGreaterThan" || name == "ObjectSizeLessThan") {
      if (!parse_int(text(c))) return Status(ErrorCode::kMalformedXML);
    } else if (name != "Prefix") {
      return Status(ErrorCode::kMalformedXML);
    }
  }
  // Filter holds one condition; several go inside And.
  if (parts > 1) return Status(ErrorCode::kMalformedXML);
  return Status::ok();
}

Status check_lifecycle_rule(pugi::xml_node rule, std::set<std::string>& ids) {
  std::string id = child_text(rule, "ID");
  if (id.size() > kMaxRuleId) return invalid_argument("ID length is limited to 255 characters");
  if (!id.empty() && !ids.insert(id).second) {
    return invalid_argument("Rule ID must be unique. Found same ID for more than one rule");
  }
  std::string status = child_text(rule, "Status");
  if (status != "Enabled" && status != "Disabled") return Status(ErrorCode::kMalformedXML);
  bool has_tags = false;
  MAXIO_RETURN_IF_ERROR(check_lifecycle_filter(rule, has_tags));
  if (child(rule, "Transition") || child(rule, "NoncurrentVersionTransition")) {
    return Status(ErrorCode::kInvalidStorageClass,
                  "Transitions need a remote tier, and none can be configured yet.");
  }
  bool action = false;
  if (pugi::xml_node exp = child(rule, "Expiration")) {
    action = true;
    const bool days = child(exp, "Days");
    const bool date = child(exp, "Date");
    const bool marker = child(exp, "ExpiredObjectDeleteMarker");
    if (days + date + marker != 1) {
      return invalid_argument(
          "Exactly one of Days, Date or ExpiredObjectDeleteMarker must be specified in "
          "Expiration");
    }
    if (days) {
      MAXIO_RETURN_IF_ERROR(
          positive_child(exp, "Days", "'Days' for Expiration action must be a positive integer"));
    } else if (date) {
      auto midnight = is_utc_midnight(child_text(exp, "Date"));
      if (!midnight) return Status(ErrorCode::kMalformedXML);
      if (!*midnight) return invalid_argument("'Date' must be at midnight GMT");
    } else {
      std::string v = child_text(exp, "ExpiredObjectDeleteMarker");
      if (v != "true" && v != "false") return Status(ErrorCode::kMalformedXML);
      if (has_tags) {
        return invalid_argument("Delete marker cannot be specified with Tag based filter");
      }
    }
  }
  if (pugi::xml_node nc = child(rule, "NoncurrentVersionExpiration")) {
    action = true;
    MAXIO_RETURN_IF_ERROR(positive_child(nc, "NoncurrentDays",
                                         "'NoncurrentDays' for NoncurrentVersionExpiration action "
                                         "must be a positive integer"));
    if (child(nc, "NewerNoncurrentVersions")) {
      MAXIO_RETURN_IF_ERROR(positive_child(nc, "NewerNoncurrentVersions",
                                           "'NewerNoncurrentVersions' must be a positive integer"));
    }
  }
  if (pugi::xml_node abort = child(rule, "AbortIncompleteMultipartUpload")) {
    action = true;
    MAXIO_RETURN_IF_ERROR(positive_child(
        abort, "DaysAfterInitiation",
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive "
        "integer"));
    if (has_tags) {
      return invalid_argument("AbortIncompleteMultipartUpload cannot be specified with Tags.");
    }
  }
  if (!action) {
    return Status(ErrorCode::kInvalidRequest,
                  "At least one action needs to be specified in a rule");
  }
  return Status::ok();
}

}  // namespace

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

VersioningState stored_versioning_state(std::string_view xml) {
  pugi::xml_document doc;
  if (xml.empty() || !parse_xml(xml, doc).is_ok()) return VersioningState::kUnversioned;
  std::string status = child_text(doc.document_element(), "Status");
  if (status == "Enabled") return VersioningState::kEnabled;
  if (status == "Suspended") return VersioningState::kSuspended;
  return VersioningState::kUnversioned;
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

Status validate_bucket_policy(std::string_view json, std::string_view bucket) {
  if (json.size() > kMaxPolicySize) {
    return malformed_policy("Policy exceeds the maximum allowed document size.");
  }
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return malformed_policy("Policies must be valid JSON and the first byte must be '{'");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      return malformed_policy("Unknown field " + key);
    }
  }
  if (doc.contains("Version")) {
    const auto& v = doc["Version"];
    if (!v.is_string() || (v != "2012-10-17" && v != "2008-10-17")) {
      return malformed_policy("The policy must contain a valid version string");
    }
  }
  if (doc.contains("Id") && !doc["Id"].is_string()) return malformed_policy("Invalid Id");
  auto statements = doc.find("Statement");
  if (statements == doc.end()) return malformed_policy("Missing required field Statement");
  if (statements->is_object()) return check_statement(*statements, bucket);
  if (!statements->is_array() || statements->empty()) {
    return malformed_policy("Missing required field Statement");
  }
  for (const auto& st : *statements) MAXIO_RETURN_IF_ERROR(check_statement(st, bucket));
  return Status::ok();
}

namespace {

// The tags of a <Tagging> document, validated: at most `max_tags` (`too_many` otherwise).
Result<TagSet> parse_tagging(std::string_view xml, size_t max_tags, const char* too_many) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "Tagging") return Status(ErrorCode::kMalformedXML);
  pugi::xml_node set = child(root, "TagSet");
  if (!set) return Status(ErrorCode::kMalformedXML);
  std::vector<pugi::xml_node> tags = children(set, "Tag");
  if (tags.size() > max_tags) return Status(ErrorCode::kInvalidTag, too_many);
  TagSet out;
  for (pugi::xml_node tag : tags) {
    MAXIO_RETURN_IF_ERROR(check_tag(tag));
    out.emplace_back(child(tag, "Key").text().get(), child(tag, "Value").text().get());
  }
  MAXIO_RETURN_IF_ERROR(check_tag_keys(out));
  return out;
}

}  // namespace

Status validate_bucket_tagging(std::string_view xml) {
  return parse_tagging(xml, kMaxBucketTags, "Bucket tags cannot be greater than 50").status();
}

Result<TagSet> parse_object_tagging_xml(std::string_view xml) {
  return parse_tagging(xml, kMaxObjectTags, "Object tags cannot be greater than 10");
}

Result<TagSet> parse_object_tagging_query(std::string_view query) {
  TagSet tags;
  if (query.empty()) return tags;
  for (std::string_view item : split(query, '&')) {
    if (item.empty()) continue;
    auto eq = item.find('=');
    auto key = form_decode(item.substr(0, eq));
    auto value = form_decode(eq == item.npos ? std::string_view() : item.substr(eq + 1));
    if (!key || !value) {
      return Status(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (key->empty() || utf8_length(*key) > kMaxTagKey || !is_valid_utf8(*key)) {
      return Status(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (utf8_length(*value) > kMaxTagValue || !is_valid_utf8(*value)) {
      return Status(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
    }
    tags.emplace_back(std::move(key).value(), std::move(value).value());
  }
  if (tags.size() > kMaxObjectTags) {
    return Status(ErrorCode::kInvalidTag, "Object tags cannot be greater than 10");
  }
  MAXIO_RETURN_IF_ERROR(check_tag_keys(tags));
  return tags;
}

std::string object_tagging_query(const TagSet& tags) {
  auto escape = [](std::string_view s) {
    std::string encoded = uri_encode(s, true);
    std::string out;
    for (size_t i = 0; i < encoded.size(); ++i) {
      if (encoded.compare(i, 3, "%20") == 0) {
        out += '+';
        i += 2;
      } else {
        out += encoded[i];
      }
    }
    return out;
  };
  TagSet sorted = tags;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, value] : sorted) {
    if (!out.empty()) out += '&';
    out += escape(key) + "=" + escape(value);
  }
  return out;
}

std::string object_tagging_xml(const TagSet& tags) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("Tagging");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  pugi::xml_node set = root.append_child("TagSet");
  for (const auto& [key, value] : tags) {
    pugi::xml_node tag = set.append_child("Tag");
    tag.append_child("Key").text().set(key.c_str());
    tag.append_child("Value").text().set(value.c_str());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

Status validate_lifecycle(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "LifecycleConfiguration") return Status(ErrorCode::kMalformedXML);
  std::vector<pugi::xml_node> rules = children(root, "Rule");
  if (rules.empty()) return Status(ErrorCode::kMalformedXML);
  if (rules.size() > kMaxLifecycleRules) {
    return invalid_argument("Lifecycle configuration allows a maximum of 1000 rules");
  }
  std::set<std::string> ids;
  for (pugi::xml_node rule : rules) MAXIO_RETURN_IF_ERROR(check_lifecycle_rule(rule, ids));
  return Status::ok();
}

Status validate_bucket_encryption(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "ServerSideEncryptionConfiguration") {
    return Status(ErrorCode::kMalformedXML);
  }
  std::vector<pugi::xml_node> rules = children(root, "Rule");
  if (rules.size() != 1) return Status(ErrorCode::kMalformedXML);
  pugi::xml_node apply = child(rules[0], "ApplyServerSideEncryptionByDefault");
  if (!apply) return Status(ErrorCode::kMalformedXML);
  std::string algorithm = child_text(apply, "SSEAlgorithm");
  const bool key = child(apply, "KMSMasterKeyID");
  if (algorithm == "AES256" && !key) return Status::ok();
  if (algorithm == "aws:kms") return Status::ok();
  return Status(ErrorCode::kMalformedXML);
}

Status validate_notification(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "NotificationConfiguration") return Status(ErrorCode::kMalformedXML);
  for (pugi::xml_node c : root.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = local_name(c);
    if (name == "QueueConfiguration" || name == "TopicConfiguration" ||
        name == "CloudFunctionConfiguration" || name == "EventBridgeConfiguration") {
      return Status(ErrorCode::kInvalidNotificationArn);
    }
    return Status(ErrorCode::kMalformedXML);
  }
  return Status::ok();
}

std::string empty_notification_xml() {
  return "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
         "</NotificationConfiguration>";
}

Status validate_replication(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "ReplicationConfiguration") return Status(ErrorCode::kMalformedXML);
  std::vector<pugi::xml_node> rules = children(root, "Rule");
  if (rules.empty()) return Status(ErrorCode::kMalformedXML);
  for (pugi::xml_node rule : rules) {
    std::string status = child_text(rule, "Status");
    if (status != "Enabled" && status != "Disabled") return Status(ErrorCode::kMalformedXML);
    if (child_text(child(rule, "Destination"), "Bucket").empty()) {
      return Status(ErrorCode::kMalformedXML);
    }
  }
  // Every destination names a remote target, and none exists yet.
  return Status(ErrorCode::kRemoteTargetNotFound);
}

Status validate_object_lock(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "ObjectLockConfiguration") return Status(ErrorCode::kMalformedXML);
  if (child_text(root, "ObjectLockEnabled") != "Enabled") return Status(ErrorCode::kMalformedXML);
  pugi::xml_node rule = child(root, "Rule");
  if (!rule) return Status::ok();
  pugi::xml_node retention = child(rule, "DefaultRetention");
  if (!retention) return Status(ErrorCode::kMalformedXML);
  std::string mode = child_text(retention, "Mode");
  if (mode != "GOVERNANCE" && mode != "COMPLIANCE") return Status(ErrorCode::kMalformedXML);
  const bool days = child(retention, "Days");
  const bool years = child(retention, "Years");
  if (days == years) return Status(ErrorCode::kMalformedXML);  // exactly one of them
  const char* name = days ? "Days" : "Years";
  auto v = parse_int(child_text(retention, name));
  if (!v) return Status(ErrorCode::kMalformedXML);
  if (*v <= 0) {
    return invalid_argument(std::string("Default retention period must be a positive integer "
                                        "value for '") +
                            name + "'");
  }
  return Status::ok();
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
