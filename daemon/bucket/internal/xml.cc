#include "daemon/bucket/internal/xml.h"

namespace maxio::bucket_internal {

namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto begin = s.find_first_not_of(ws);
  if (begin == s.npos) return {};
  auto end = s.find_last_not_of(ws);
  return s.substr(begin, end - begin + 1);
}

}  // namespace

Status parse_xml(std::string_view xml, pugi::xml_document& doc) {
  if (xml.find('\0') != xml.npos) return Status(ErrorCode::kMalformedXML);
  pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed || !doc.document_element()) return Status(ErrorCode::kMalformedXML);
  return Status::ok();
}

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == name.npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

std::vector<pugi::xml_node> children(pugi::xml_node node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) out.push_back(c);
  }
  return out;
}

std::string text(pugi::xml_node node) { return std::string(trim(node.text().get())); }

std::string child_text(pugi::xml_node node, std::string_view name) {
  pugi::xml_node c = child(node, name);
  return c ? text(c) : std::string();
}

}  // namespace maxio::bucket_internal
