// ASCII string helpers and the AWS URI encoding rules.

#include "shared/util/strings.h"

#include <cstdint>

namespace maxio {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (s.size() - i < 3) return Status(ErrorCode::kInvalidArgument, "truncated percent escape");
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return Status(ErrorCode::kInvalidArgument, "invalid percent escape");
      out.push_back(static_cast<char>((hi << 4) | lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  return s.substr(begin, end - begin);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string uri_encode(std::string_view s, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (const char c : s) {
    if (is_unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<uint8_t>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0f]);
    }
  }
  return out;
}

Result<std::string> uri_decode(std::string_view s) { return percent_decode(s, false); }

Result<std::string> form_decode(std::string_view s) { return percent_decode(s, true); }

Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (raw.empty()) return pairs;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view item = raw.substr(start, end - start);
    if (!item.empty()) {
      const size_t eq = item.find('=');
      const std::string_view key = item.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      MAXIO_TRY(std::string decoded_key, form_decode(key));
      MAXIO_TRY(std::string decoded_value, form_decode(value));
      pairs.emplace_back(std::move(decoded_key), std::move(decoded_value));
    }
    start = end + 1;
  }
  return pairs;
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t min_code_point;
    uint32_t code_point;
    if ((c & 0xe0) == 0xc0) {
      length = 2;
      min_code_point = 0x80;
      code_point = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      min_code_point = 0x800;
      code_point = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      min_code_point = 0x10000;
      code_point = c & 0x07;
    } else {
      return false;  // a continuation byte or 0xf8..0xff as a lead byte
    }
    if (n - i < length) return false;  // truncated sequence
    for (size_t k = 1; k < length; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (cc & 0x3f);
    }
    if (code_point < min_code_point) return false;                   // overlong
    if (code_point > 0x10ffff) return false;                         // beyond Unicode
    if (code_point >= 0xd800 && code_point <= 0xdfff) return false;  // UTF-16 surrogate
    i += length;
  }
  return true;
}

std::string collapse_spaces(std::string_view s) {
  const std::string_view trimmed = trim(s);
  std::string out;
  out.reserve(trimmed.size());
  bool previous_space = false;
  for (const char c : trimmed) {
    if (c == ' ') {
      if (!previous_space) out.push_back(' ');
      previous_space = true;
    } else {
      out.push_back(c);
      previous_space = false;
    }
  }
  return out;
}

}  // namespace maxio
