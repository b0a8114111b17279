#pragma once
// Private to daemon/bucket: the few pugixml helpers the configuration parsers share.
// Pure functions; thread-safe.

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio::bucket_internal {

// Parses `xml` into `doc` (no NUL bytes, well-formed, one root). kMalformedXML otherwise.
Status parse_xml(std::string_view xml, pugi::xml_document& doc);
// "s3:Rule" → "Rule".
std::string_view local_name(pugi::xml_node node);
// The first element child named `name` (local name), or a null node.
pugi::xml_node child(pugi::xml_node node, std::string_view name);
// Every element child named `name`, in order.
std::vector<pugi::xml_node> children(pugi::xml_node node, std::string_view name);
// The text of child `name` ("" when absent), surrounding whitespace trimmed.
std::string child_text(pugi::xml_node node, std::string_view name);
// The text of `node`, trimmed.
std::string text(pugi::xml_node node);

}  // namespace maxio::bucket_internal
