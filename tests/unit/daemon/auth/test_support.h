#pragma once
// Helpers for the auth tests: requests built from header lists, bodies read to the end.

#include <chrono>
#include <string>
#include <string_view>

#include "daemon/auth/auth.h"
#include "shared/sigv4/signer.h"
#include "shared/util/time.h"

namespace maxio::auth::testing_support {

inline constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
inline constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

inline Timestamp at(std::string_view amz_date) { return parse_amz_date(amz_date).value(); }

inline HttpRequest make_request(std::string method, std::string target,
                                const sigv4::HeaderList& headers) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  request.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
  for (const auto& [name, value] : headers) {
    request.headers.add(name, value);
    if (name == "Content-Length") request.content_length = std::stoull(value);
  }
  return request;
}

// Reads `reader` to its end; the error if any read fails.
inline Result<std::string> drain(Reader& reader, size_t chunk = 4096) {
  std::string out;
  std::string buffer(chunk, '\0');
  for (;;) {
    MAXIO_TRY(size_t n, reader.read(buffer.data(), buffer.size()));
    if (n == 0) return out;
    out.append(buffer.data(), n);
  }
}

}  // namespace maxio::auth::testing_support
