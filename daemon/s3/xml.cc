#include "daemon/s3/xml.h"

#include <pugixml.hpp>
#include <sstream>

#include "daemon/s3/internal/xml_writer.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3 {

std::string xml_document(const pugi::xml_document& doc) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return escape_carriage_returns(out.str());
}

pugi::xml_node add_root(pugi::xml_document& doc, const char* name) {
  pugi::xml_node root = doc.append_child(name);
  root.append_attribute("xmlns").set_value(std::string(kS3Namespace).c_str());
  return root;
}

void add(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

void add_bool(pugi::xml_node parent, const char* name, bool value) {
  add(parent, name, value ? "true" : "false");
}

void add_owner(pugi::xml_node parent, const char* name) {
  pugi::xml_node owner = parent.append_child(name);
  add(owner, "ID", kOwnerId);
  add(owner, "DisplayName", kOwnerDisplayName);
}

namespace {

// True when `body` holds a character reference to U+0000 ("&#0;", "&#x00;"): not allowed
// in XML, and pugixml would decode it into a NUL that cuts the text short.
bool has_nul_reference(std::string_view body) {
  for (size_t at = body.find("&#"); at != body.npos; at = body.find("&#", at + 2)) {
    size_t i = at + 2;
    if (i < body.size() && (body[i] == 'x' || body[i] == 'X')) ++i;
    const size_t digits = i;
    while (i < body.size() && body[i] == '0') ++i;
    if (i > digits && i < body.size() && body[i] == ';') return true;
  }
  return false;
}

// Parses a request document. A NUL byte or NUL character reference makes it malformed:
// pugixml's text ends at the first NUL, so "a&#0;b" would read as the key "a".
Result<pugi::xml_document*> parse_document(std::string_view body, pugi::xml_document& doc) {
  if (body.find('\0') != body.npos || has_nul_reference(body)) {
    return Status(ErrorCode::kMalformedXML);
  }
  // Keys keep carriage returns and all-space text.
  constexpr unsigned kFlags = (pugi::parse_default | pugi::parse_ws_pcdata) & ~pugi::parse_eol;
  pugi::xml_parse_result parsed =
      doc.load_buffer(body.data(), body.size(), kFlags, pugi::encoding_utf8);
  if (!parsed) return Status(ErrorCode::kMalformedXML);
  return &doc;
}

// The local part of an element name ("s3:Delete" → "Delete").
std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == name.npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_local(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  }
  return {};
}

// All the character data of `node`, every text and CDATA child in order ("<Key>a<![CDATA[b]]>c"
// is "abc"; pugixml's text() would give only the first piece).
std::string all_text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

class Encoder {
 public:
  explicit Encoder(bool url) : url_(url) {}
  std::string operator()(std::string_view s) const {
    return url_ ? uri_encode(s, /*encode_slash=*/false) : std::string(s);
  }

 private:
  bool url_;
};

void add_object_fields(pugi::xml_node node, const ObjectInfo& object, const Encoder& encode,
                       bool owner) {
  add(node, "Key", encode(object.name));
  add(node, "LastModified", format_iso8601(object.mod_time));
  add(node, "ETag", quote_etag(object.etag));
  add(node, "Size", std::to_string(object.size));
  if (owner) add_owner(node);
  add(node, "StorageClass", object.storage_class.empty() ? "STANDARD" : object.storage_class);
}

void add_common_prefixes(pugi::xml_node root, const std::vector<std::string>& prefixes,
                         const Encoder& encode) {
  for (const std::string& prefix : prefixes) {
    add(root.append_child("CommonPrefixes"), "Prefix", encode(prefix));
  }
}

}  // namespace

std::string escape_carriage_returns(std::string_view xml) {
  std::string out;
  out.reserve(xml.size());
  for (char c : xml) {
    if (c == '\r') {
      out += "&#13;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string quote_etag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

bool DeleteObjectsRequest::operator==(const DeleteObjectsRequest& other) const {
  if (quiet != other.quiet || objects.size() != other.objects.size()) return false;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (objects[i].name != other.objects[i].name ||
        objects[i].version_id != other.objects[i].version_id) {
      return false;
    }
  }
  return true;
}

Result<DeleteObjectsRequest> parse_delete_objects(std::string_view body, size_t max_objects) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_document(body, doc));
  pugi::xml_node root = doc.document_element();
  if (!root || local_name(root) != "Delete") return Status(ErrorCode::kMalformedXML);
  DeleteObjectsRequest request;
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "Quiet") {
      std::string value = to_lower(trim(child.text().get()));
      if (value == "true") {
        request.quiet = true;
      } else if (value != "false" && !value.empty()) {
        return Status(ErrorCode::kMalformedXML);
      }
    } else if (name == "Object") {
      pugi::xml_node key = child_local(child, "Key");
      if (!key) return Status(ErrorCode::kMalformedXML);
      ObjectToDelete object;
      object.name = all_text(key);  // keys keep their spaces
      pugi::xml_node version = child_local(child, "VersionId");
      if (version) object.version_id = std::string(trim(version.text().get()));
      if (request.objects.size() == max_objects) return Status(ErrorCode::kMalformedXML);
      request.objects.push_back(std::move(object));
    }
  }
  if (request.objects.empty()) return Status(ErrorCode::kMalformedXML);
  return request;
}

std::string delete_objects_request_xml(const DeleteObjectsRequest& request) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "Delete");
  if (request.quiet) add_bool(root, "Quiet", true);
  for (const ObjectToDelete& object : request.objects) {
    pugi::xml_node node = root.append_child("Object");
    add(node, "Key", object.name);
    if (!object.version_id.empty()) add(node, "VersionId", object.version_id);
  }
  return xml_document(doc);
}

Result<CreateBucketConfiguration> parse_create_bucket_configuration(std::string_view body) {
  CreateBucketConfiguration config;
  if (trim(body).empty()) return config;
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_document(body, doc));
  pugi::xml_node root = doc.document_element();
  if (!root || local_name(root) != "CreateBucketConfiguration") {
    return Status(ErrorCode::kMalformedXML);
  }
  pugi::xml_node location = child_local(root, "LocationConstraint");
  if (location) config.location_constraint = std::string(trim(location.text().get()));
  return config;
}

std::string create_bucket_configuration_xml(const CreateBucketConfiguration& config) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "CreateBucketConfiguration");
  if (!config.location_constraint.empty()) {
    add(root, "LocationConstraint", config.location_constraint);
  }
  return xml_document(doc);
}

std::string list_buckets_xml(const std::vector<BucketInfo>& buckets) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListAllMyBucketsResult");
  add_owner(root);
  pugi::xml_node list = root.append_child("Buckets");
  for (const BucketInfo& bucket : buckets) {
    pugi::xml_node node = list.append_child("Bucket");
    add(node, "Name", bucket.name);
    add(node, "CreationDate", format_iso8601(bucket.created));
  }
  return xml_document(doc);
}

std::string location_constraint_xml(std::string_view region) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "LocationConstraint");
  if (region != "us-east-1") root.text().set(std::string(region).c_str());
  return xml_document(doc);
}

std::string versioning_configuration_xml() {
  pugi::xml_document doc;
  add_root(doc, "VersioningConfiguration");
  return xml_document(doc);
}

std::string access_control_policy_xml() {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "AccessControlPolicy");
  add_owner(root);
  pugi::xml_node grant = root.append_child("AccessControlList").append_child("Grant");
  pugi::xml_node grantee = grant.append_child("Grantee");
  grantee.append_attribute("xmlns:xsi").set_value("http://www.w3.org/2001/XMLSchema-instance");
  grantee.append_attribute("xsi:type").set_value("CanonicalUser");
  add(grantee, "ID", kOwnerId);
  add(grantee, "DisplayName", kOwnerDisplayName);
  add(grant, "Permission", "FULL_CONTROL");
  return xml_document(doc);
}

std::string list_objects_v1_xml(const ListObjectsParams& params, const ListObjectsInfo& result) {
  Encoder encode(params.url_encode);
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListBucketResult");
  add(root, "Name", params.bucket);
  add(root, "Prefix", encode(params.prefix));
  add(root, "Marker", encode(params.marker));
  add(root, "MaxKeys", std::to_string(params.max_keys));
  if (!params.delimiter.empty()) add(root, "Delimiter", encode(params.delimiter));
  add_bool(root, "IsTruncated", result.is_truncated);
  if (result.is_truncated && !params.delimiter.empty()) {
    add(root, "NextMarker", encode(result.next_marker));
  }
  if (params.url_encode) add(root, "EncodingType", "url");
  for (const ObjectInfo& object : result.objects) {
    add_object_fields(root.append_child("Contents"), object, encode, true);
  }
  add_common_prefixes(root, result.prefixes, encode);
  return xml_document(doc);
}

std::string list_objects_v2_xml(const ListObjectsParams& params, const ListObjectsInfo& result,
                                std::string_view next_token) {
  Encoder encode(params.url_encode);
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListBucketResult");
  add(root, "Name", params.bucket);
  add(root, "Prefix", encode(params.prefix));
  if (!params.start_after.empty()) add(root, "StartAfter", encode(params.start_after));
  if (!params.continuation_token.empty()) {
    add(root, "ContinuationToken", params.continuation_token);
  }
  if (result.is_truncated) add(root, "NextContinuationToken", next_token);
  add(root, "KeyCount", std::to_string(result.objects.size() + result.prefixes.size()));
  add(root, "MaxKeys", std::to_string(params.max_keys));
  if (!params.delimiter.empty()) add(root, "Delimiter", encode(params.delimiter));
  add_bool(root, "IsTruncated", result.is_truncated);
  if (params.url_encode) add(root, "EncodingType", "url");
  for (const ObjectInfo& object : result.objects) {
    add_object_fields(root.append_child("Contents"), object, encode, params.fetch_owner);
  }
  add_common_prefixes(root, result.prefixes, encode);
  return xml_document(doc);
}

std::string list_object_versions_xml(const ListObjectsParams& params,
                                     const ListObjectVersionsInfo& result) {
  Encoder encode(params.url_encode);
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListVersionsResult");
  add(root, "Name", params.bucket);
  add(root, "Prefix", encode(params.prefix));
  add(root, "KeyMarker", encode(params.key_marker));
  add(root, "VersionIdMarker", params.version_id_marker);
  add(root, "MaxKeys", std::to_string(params.max_keys));
  if (!params.delimiter.empty()) add(root, "Delimiter", encode(params.delimiter));
  add_bool(root, "IsTruncated", result.is_truncated);
  if (result.is_truncated) {
    add(root, "NextKeyMarker", encode(result.next_key_marker));
    add(root, "NextVersionIdMarker",
        result.next_version_id_marker.empty() ? "null" : result.next_version_id_marker);
  }
  if (params.url_encode) add(root, "EncodingType", "url");
  for (const ObjectInfo& version : result.versions) {
    pugi::xml_node node = root.append_child(version.delete_marker ? "DeleteMarker" : "Version");
    add(node, "Key", encode(version.name));
    add(node, "VersionId", version.version_id.empty() ? "null" : version.version_id);
    add_bool(node, "IsLatest", version.is_latest);
    add(node, "LastModified", format_iso8601(version.mod_time));
    if (!version.delete_marker) {
      add(node, "ETag", quote_etag(version.etag));
      add(node, "Size", std::to_string(version.size));
    }
    add_owner(node);
    if (!version.delete_marker) {
      add(node, "StorageClass", version.storage_class.empty() ? "STANDARD" : version.storage_class);
    }
  }
  add_common_prefixes(root, result.prefixes, encode);
  return xml_document(doc);
}

std::string copy_object_result_xml(const ObjectInfo& info) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "CopyObjectResult");
  add(root, "LastModified", format_iso8601(info.mod_time));
  add(root, "ETag", quote_etag(info.etag));
  return xml_document(doc);
}

std::string delete_result_xml(bool quiet, const std::vector<DeletedObject>& deleted,
                              const std::vector<DeleteError>& errors) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "DeleteResult");
  if (!quiet) {
    for (const DeletedObject& object : deleted) {
      pugi::xml_node node = root.append_child("Deleted");
      add(node, "Key", object.name);
      if (!object.version_id.empty()) add(node, "VersionId", object.version_id);
      if (object.delete_marker) {
        add_bool(node, "DeleteMarker", true);
        add(node, "DeleteMarkerVersionId", object.delete_marker_version_id);
      }
    }
  }
  for (const DeleteError& error : errors) {
    pugi::xml_node node = root.append_child("Error");
    add(node, "Key", error.key);
    if (!error.version_id.empty()) add(node, "VersionId", error.version_id);
    add(node, "Code", error.code);
    add(node, "Message", error.message);
  }
  return xml_document(doc);
}

std::string post_response_xml(std::string_view location, std::string_view bucket,
                              std::string_view key, std::string_view etag) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("PostResponse");
  add(root, "Location", location);
  add(root, "Bucket", bucket);
  add(root, "Key", key);
  add(root, "ETag", quote_etag(etag));
  return xml_document(doc);
}

std::string object_attributes_xml(const ObjectAttributes& attributes) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "GetObjectAttributesResponse");
  if (attributes.etag) add(root, "ETag", *attributes.etag);
  if (attributes.checksum_algorithm) {
    pugi::xml_node checksum = root.append_child("Checksum");
    add(checksum, ("Checksum" + checksum_algorithm_name(*attributes.checksum_algorithm)).c_str(),
        attributes.checksum_value);
    add(checksum, "ChecksumType", attributes.checksum_type);
  }
  if (attributes.total_parts_count) {
    pugi::xml_node parts = root.append_child("ObjectParts");
    add(parts, "TotalPartsCount", std::to_string(*attributes.total_parts_count));
  }
  if (attributes.storage_class) add(root, "StorageClass", *attributes.storage_class);
  if (attributes.object_size) add(root, "ObjectSize", std::to_string(*attributes.object_size));
  return xml_document(doc);
}

}  // namespace maxio::s3
