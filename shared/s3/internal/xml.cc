#include "shared/s3/internal/xml.h"

#include <charconv>
#include <pugixml.hpp>
#include <sstream>

#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3client::internal {

namespace {

constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

Status malformed(std::string_view document, std::string_view why) {
  return Status(ErrorCode::kInternal,
                "malformed " + std::string(document) + " response: " + std::string(why));
}

// ---- Building ----

class Document {
 public:
  explicit Document(const char* root_name) {
    root_ = doc_.append_child(root_name);
    root_.append_attribute("xmlns").set_value(std::string(kS3Namespace).c_str());
  }
  pugi::xml_node root() const { return root_; }
  static void add(pugi::xml_node parent, const char* name, std::string_view value) {
    parent.append_child(name).text().set(std::string(value).c_str());
  }
  std::string str() const {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    doc_.save(out, "", pugi::format_raw | pugi::format_no_declaration);
    // A raw CR in text would reach the server as LF (XML end-of-line handling).
    std::string text = out.str();
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : text) {
      if (c == '\r') {
        escaped += "&#13;";
      } else {
        escaped += c;
      }
    }
    return escaped;
  }

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

// ---- Parsing ----

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

// Every text and CDATA piece of `node`, in order.
std::string text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string child_text(pugi::xml_node node, std::string_view name) {
  return text(child(node, name));
}

bool child_bool(pugi::xml_node node, std::string_view name) {
  return trim(child_text(node, name)) == "true";
}

template <typename T>
T child_number(pugi::xml_node node, std::string_view name) {
  std::string value(trim(child_text(node, name)));
  T out{};
  std::from_chars(value.data(), value.data() + value.size(), out);
  return out;
}

Timestamp child_time(pugi::xml_node node, std::string_view name) {
  auto parsed = parse_iso8601(trim(child_text(node, name)));
  return parsed.is_ok() ? *parsed : Timestamp();
}

// Parses `body` and checks that its root is `root_name`.
Result<pugi::xml_node> parse_root(pugi::xml_document& doc, std::string_view body,
                                  std::string_view root_name) {
  constexpr unsigned kFlags = (pugi::parse_default | pugi::parse_ws_pcdata) & ~pugi::parse_eol;
  pugi::xml_parse_result parsed =
      doc.load_buffer(body.data(), body.size(), kFlags, pugi::encoding_utf8);
  if (!parsed) return malformed(root_name, parsed.description());
  pugi::xml_node root = doc.document_element();
  if (!root || local_name(root) != root_name) {
    return malformed(root_name,
                     "the root element is <" + std::string(root ? root.name() : "") + ">");
  }
  return root;
}

// Decodes listing fields when the server applied EncodingType=url.
class Decoder {
 public:
  explicit Decoder(pugi::xml_node root)
      : url_(iequals(trim(child_text(root, "EncodingType")), "url")) {}
  Result<std::string> operator()(std::string value) const {
    if (!url_) return value;
    auto decoded = form_decode(value);
    if (!decoded.is_ok()) return malformed("listing", "bad url-encoding of \"" + value + "\"");
    return decoded;
  }

 private:
  bool url_;
};

Result<std::vector<std::string>> common_prefixes(pugi::xml_node root, const Decoder& decode) {
  std::vector<std::string> prefixes;
  for (pugi::xml_node node : root.children()) {
    if (local_name(node) != "CommonPrefixes") continue;
    MAXIO_TRY(std::string prefix, decode(child_text(node, "Prefix")));
    prefixes.push_back(std::move(prefix));
  }
  return prefixes;
}

Result<ObjectSummary> object_summary(pugi::xml_node node, const Decoder& decode) {
  ObjectSummary object;
  MAXIO_TRY(object.key, decode(child_text(node, "Key")));
  object.size = child_number<uint64_t>(node, "Size");
  object.etag = unquote_etag(child_text(node, "ETag"));
  object.last_modified = child_time(node, "LastModified");
  object.storage_class = child_text(node, "StorageClass");
  return object;
}

}  // namespace

std::string unquote_etag(std::string_view etag) {
  etag = trim(etag);
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

std::string create_bucket_configuration_xml(std::string_view location) {
  Document doc("CreateBucketConfiguration");
  Document::add(doc.root(), "LocationConstraint", location);
  return doc.str();
}

std::string delete_objects_xml(const std::vector<ObjectIdentifier>& objects, bool quiet) {
  Document doc("Delete");
  if (quiet) Document::add(doc.root(), "Quiet", "true");
  for (const ObjectIdentifier& object : objects) {
    pugi::xml_node node = doc.root().append_child("Object");
    Document::add(node, "Key", object.key);
    if (!object.version_id.empty()) Document::add(node, "VersionId", object.version_id);
  }
  return doc.str();
}

std::string complete_multipart_upload_xml(const std::vector<CompletedPart>& parts) {
  Document doc("CompleteMultipartUpload");
  for (const CompletedPart& part : parts) {
    pugi::xml_node node = doc.root().append_child("Part");
    Document::add(node, "PartNumber", std::to_string(part.part_number));
    Document::add(node, "ETag", "\"" + unquote_etag(part.etag) + "\"");
  }
  return doc.str();
}

std::optional<ErrorDocument> parse_error(std::string_view body) {
  pugi::xml_document doc;
  auto root = parse_root(doc, body, "Error");
  if (!root.is_ok()) return std::nullopt;
  ErrorDocument error;
  error.code = std::string(trim(child_text(*root, "Code")));
  error.message = child_text(*root, "Message");
  error.request_id = std::string(trim(child_text(*root, "RequestId")));
  return error;
}

Result<std::vector<BucketInfo>> parse_list_buckets(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "ListAllMyBucketsResult"));
  std::vector<BucketInfo> buckets;
  for (pugi::xml_node node : child(root, "Buckets").children()) {
    if (local_name(node) != "Bucket") continue;
    buckets.push_back({child_text(node, "Name"), child_time(node, "CreationDate")});
  }
  return buckets;
}

Result<ListObjectsResult> parse_list_objects_v2(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "ListBucketResult"));
  Decoder decode(root);
  ListObjectsResult result;
  for (pugi::xml_node node : root.children()) {
    if (local_name(node) != "Contents") continue;
    MAXIO_TRY(ObjectSummary object, object_summary(node, decode));
    result.objects.push_back(std::move(object));
  }
  MAXIO_TRY(result.common_prefixes, common_prefixes(root, decode));
  result.is_truncated = child_bool(root, "IsTruncated");
  result.next_continuation_token = child_text(root, "NextContinuationToken");
  return result;
}

Result<ListVersionsResult> parse_list_object_versions(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "ListVersionsResult"));
  Decoder decode(root);
  ListVersionsResult result;
  for (pugi::xml_node node : root.children()) {
    std::string_view name = local_name(node);
    if (name != "Version" && name != "DeleteMarker") continue;
    MAXIO_TRY(ObjectSummary version, object_summary(node, decode));
    version.version_id = child_text(node, "VersionId");
    version.is_latest = child_bool(node, "IsLatest");
    version.is_delete_marker = name == "DeleteMarker";
    result.versions.push_back(std::move(version));
  }
  MAXIO_TRY(result.common_prefixes, common_prefixes(root, decode));
  result.is_truncated = child_bool(root, "IsTruncated");
  MAXIO_TRY(result.next_key_marker, decode(child_text(root, "NextKeyMarker")));
  result.next_version_id_marker = child_text(root, "NextVersionIdMarker");
  return result;
}

Result<CopyObjectResult> parse_copy_object(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "CopyObjectResult"));
  CopyObjectResult result;
  result.etag = unquote_etag(child_text(root, "ETag"));
  result.last_modified = child_time(root, "LastModified");
  return result;
}

Result<DeleteObjectsResult> parse_delete_objects(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "DeleteResult"));
  DeleteObjectsResult result;
  for (pugi::xml_node node : root.children()) {
    std::string_view name = local_name(node);
    if (name == "Deleted") {
      DeletedObject deleted;
      deleted.key = child_text(node, "Key");
      deleted.version_id = child_text(node, "VersionId");
      deleted.delete_marker = child_bool(node, "DeleteMarker");
      deleted.delete_marker_version_id = child_text(node, "DeleteMarkerVersionId");
      result.deleted.push_back(std::move(deleted));
    } else if (name == "Error") {
      DeleteFailure failure;
      failure.key = child_text(node, "Key");
      failure.version_id = child_text(node, "VersionId");
      failure.code = child_text(node, "Code");
      failure.message = child_text(node, "Message");
      result.errors.push_back(std::move(failure));
    }
  }
  return result;
}

Result<std::string> parse_create_multipart_upload(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "InitiateMultipartUploadResult"));
  std::string upload_id(trim(child_text(root, "UploadId")));
  if (upload_id.empty()) return malformed("InitiateMultipartUploadResult", "no UploadId");
  return upload_id;
}

Result<CompleteMultipartUploadResult> parse_complete_multipart_upload(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "CompleteMultipartUploadResult"));
  CompleteMultipartUploadResult result;
  result.location = child_text(root, "Location");
  result.bucket = child_text(root, "Bucket");
  result.key = child_text(root, "Key");
  result.etag = unquote_etag(child_text(root, "ETag"));
  return result;
}

Result<ListPartsResult> parse_list_parts(std::string_view body) {
  pugi::xml_document doc;
  MAXIO_TRY(pugi::xml_node root, parse_root(doc, body, "ListPartsResult"));
  ListPartsResult result;
  for (pugi::xml_node node : root.children()) {
    if (local_name(node) != "Part") continue;
    PartInfo part;
    part.part_number = child_number<int>(node, "PartNumber");
    part.etag = unquote_etag(child_text(node, "ETag"));
    part.size = child_number<uint64_t>(node, "Size");
    part.last_modified = child_time(node, "LastModified");
    result.parts.push_back(std::move(part));
  }
  result.is_truncated = child_bool(root, "IsTruncated");
  result.next_part_number_marker = child_number<int>(root, "NextPartNumberMarker");
  return result;
}

}  // namespace maxio::s3client::internal
