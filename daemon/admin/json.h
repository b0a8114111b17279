#pragma once
// Private to daemon/admin: how admin responses serialize JSON. Strings that are not valid
// UTF-8 (a bucket or key from a request, a drive path) are written with U+FFFD in place of
// the bad bytes instead of failing the response. Pure functions; thread-safe.

#include <string>

#include <nlohmann/json.hpp>

namespace maxio::admin {

// Compact, one line, never throws for bad UTF-8.
inline std::string dump_json(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace maxio::admin
