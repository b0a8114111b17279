// HttpHeaders: an ordered list of fields with ASCII case-insensitive lookups.

#include "daemon/http/exchange.h"

#include <algorithm>

#include "shared/util/strings.h"

namespace maxio {

void HttpHeaders::set(std::string_view name, std::string value) {
  remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void HttpHeaders::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& field) { return iequals(field.first, name); });
}

std::optional<std::string_view> HttpHeaders::get(std::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (iequals(field_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view HttpHeaders::value_or_empty(std::string_view name) const {
  return get(name).value_or(std::string_view());
}

}  // namespace maxio
