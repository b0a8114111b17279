#include "daemon/s3/range.h"

#include <charconv>

#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

std::optional<uint64_t> parse_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<std::optional<ByteRange>> resolve_range(std::string_view header, uint64_t size) {
  std::optional<ByteRange> none;
  header = trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size() || !iequals(header.substr(0, kUnit.size()), kUnit)) {
    return none;
  }
  std::string_view spec = trim(header.substr(kUnit.size()));
  if (spec.find(',') != spec.npos) return none;
  auto dash = spec.find('-');
  if (dash == spec.npos) return none;
  std::string_view first = trim(spec.substr(0, dash));
  std::string_view last = trim(spec.substr(dash + 1));
  if (first.empty()) {
    auto suffix = parse_u64(last);
    if (!suffix) return none;
    if (*suffix == 0 || size == 0) return Status(ErrorCode::kInvalidRange);
    uint64_t length = std::min(*suffix, size);
    return std::optional<ByteRange>(ByteRange{size - length, length});
  }
  auto start = parse_u64(first);
  if (!start) return none;
  uint64_t end = 0;
  if (last.empty()) {
    end = size == 0 ? 0 : size - 1;
  } else {
    auto parsed = parse_u64(last);
    if (!parsed || *parsed < *start) return none;
    end = std::min(*parsed, size == 0 ? 0 : size - 1);
  }
  if (*start >= size) return Status(ErrorCode::kInvalidRange);
  return std::optional<ByteRange>(ByteRange{*start, end - *start + 1});
}

Result<std::optional<ByteRange>> resolve_part_number(int part, std::string_view etag,
                                                     uint64_t size) {
  if (etag.find('-') != std::string_view::npos) {
    return Status(ErrorCode::kNotImplemented,
                  "Reading a multipart object by part number is not implemented yet.");
  }
  if (part != 1) return Status(ErrorCode::kInvalidPartNumber);
  if (size == 0) return std::optional<ByteRange>();
  return std::optional<ByteRange>(ByteRange{0, size});
}

Result<ByteRange> resolve_multipart_part(int part, const std::vector<uint64_t>& part_sizes) {
  if (part < 1 || static_cast<size_t>(part) > part_sizes.size()) {
    return Status(ErrorCode::kInvalidPartNumber);
  }
  uint64_t offset = 0;
  for (int i = 0; i + 1 < part; ++i) offset += part_sizes[static_cast<size_t>(i)];
  return ByteRange{offset, part_sizes[static_cast<size_t>(part - 1)]};
}

std::string content_range(const ByteRange& range, uint64_t size) {
  return "bytes " + std::to_string(range.offset) + "-" +
         std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size);
}

}  // namespace maxio::s3
