#include "daemon/bucket/cors.h"

#include <algorithm>
#include <charconv>

#include "daemon/bucket/internal/xml.h"

namespace maxio {

using bucket_internal::child;
using bucket_internal::child_text;
using bucket_internal::children;
using bucket_internal::local_name;
using bucket_internal::parse_xml;
using bucket_internal::text;

namespace {

constexpr size_t kMaxRules = 100;
constexpr size_t kMaxIdLength = 255;
constexpr std::string_view kMethods[] = {"GET", "PUT", "POST", "DELETE", "HEAD"};

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidRequest, std::move(message));
}

}  // namespace

Result<CorsConfiguration> parse_cors(std::string_view xml) {
  pugi::xml_document doc;
  MAXIO_RETURN_IF_ERROR(parse_xml(xml, doc));
  pugi::xml_node root = doc.document_element();
  if (local_name(root) != "CORSConfiguration") return Status(ErrorCode::kMalformedXML);
  CorsConfiguration config;
  std::vector<pugi::xml_node> rules = children(root, "CORSRule");
  if (rules.empty()) return Status(ErrorCode::kMalformedXML);
  if (rules.size() > kMaxRules) {
    return invalid("The CORS configuration must not have more than 100 rules.");
  }
  for (pugi::xml_node node : rules) {
    CorsRule rule;
    rule.id = child_text(node, "ID");
    if (rule.id.size() > kMaxIdLength) {
      return invalid("The ID of a CORS rule must not be longer than 255 characters.");
    }
    for (pugi::xml_node o : children(node, "AllowedOrigin")) {
      std::string origin = text(o);
      if (std::count(origin.begin(), origin.end(), '*') > 1) {
        return invalid("AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
      }
      rule.allowed_origins.push_back(std::move(origin));
    }
    for (pugi::xml_node m : children(node, "AllowedMethod")) {
      std::string method = text(m);
      if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
        return invalid("Found unsupported HTTP method in CORS config. Unsupported method is " +
                       method);
      }
      rule.allowed_methods.push_back(std::move(method));
    }
    for (pugi::xml_node h : children(node, "AllowedHeader")) {
      std::string header = lower(text(h));
      if (std::count(header.begin(), header.end(), '*') > 1) {
        return invalid("AllowedHeader \"" + header + "\" can not have more than one wildcard.");
      }
      rule.allowed_headers.push_back(std::move(header));
    }
    for (pugi::xml_node h : children(node, "ExposeHeader")) rule.expose_headers.push_back(text(h));
    if (pugi::xml_node age = child(node, "MaxAgeSeconds")) {
      std::string value = text(age);
      int64_t seconds = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
        return Status(ErrorCode::kMalformedXML);
      }
      rule.max_age_seconds = seconds;
    }
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) {
      return Status(ErrorCode::kMalformedXML);
    }
    config.rules.push_back(std::move(rule));
  }
  return config;
}

bool cors_wildcard_match(std::string_view pattern, std::string_view value) {
  auto star = pattern.find('*');
  if (star == pattern.npos) return pattern == value;
  std::string_view prefix = pattern.substr(0, star);
  std::string_view suffix = pattern.substr(star + 1);
  return value.size() >= prefix.size() + suffix.size() && value.starts_with(prefix) &&
         value.ends_with(suffix);
}

const CorsRule* match_cors_rule(const CorsConfiguration& config, std::string_view origin,
                                std::string_view method,
                                const std::vector<std::string>& request_headers) {
  for (const CorsRule& rule : config.rules) {
    bool origin_ok = std::any_of(
        rule.allowed_origins.begin(), rule.allowed_origins.end(),
        [&](const std::string& pattern) { return cors_wildcard_match(pattern, origin); });
    if (!origin_ok) continue;
    if (std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(), method) ==
        rule.allowed_methods.end()) {
      continue;
    }
    bool headers_ok =
        std::all_of(request_headers.begin(), request_headers.end(), [&](const std::string& header) {
          std::string name = lower(header);
          return std::any_of(
              rule.allowed_headers.begin(), rule.allowed_headers.end(),
              [&](const std::string& pattern) { return cors_wildcard_match(pattern, name); });
        });
    if (headers_ok) return &rule;
  }
  return nullptr;
}

}  // namespace maxio
