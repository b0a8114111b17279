#pragma once
// Private to daemon/s3: the pieces every S3 response document is built from (xml.cc's
// documents and the multipart handlers' ones). Pure functions; thread-safe.

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace maxio::s3 {

// The whole document with its XML declaration, unindented, carriage returns escaped.
std::string xml_document(const pugi::xml_document& doc);
// The root element `name` with S3's namespace.
pugi::xml_node add_root(pugi::xml_document& doc, const char* name);
// A child element holding `value` as text (escaped by pugixml).
void add(pugi::xml_node parent, const char* name, std::string_view value);
void add_bool(pugi::xml_node parent, const char* name, bool value);
// An owner element (`name`: Owner, Initiator) naming the one owner every object reports.
void add_owner(pugi::xml_node parent, const char* name = "Owner");

}  // namespace maxio::s3
