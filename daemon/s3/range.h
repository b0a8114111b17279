#pragma once
// The HTTP Range header as S3 reads it for GetObject/HeadObject: one byte range
// ("bytes=a-b", "bytes=a-", "bytes=-n"); a malformed header or several ranges are ignored
// and the whole object is served. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio::s3 {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool operator==(const ByteRange&) const = default;
};

// Resolves `header` against an object of `size` bytes. nullopt: serve the whole object
// (no header, malformed, or several ranges). kInvalidRange when the range starts at or past
// the end, or is a zero-length suffix. An end past the object is clamped.
Result<std::optional<ByteRange>> resolve_range(std::string_view header, uint64_t size);

// The range GetObject/HeadObject ?partNumber=`part` reads from an object with `etag`
// (unquoted) and `size` bytes. An object uploaded in one piece has one part: part 1 is the
// whole object, answered as a range (206) as AWS does, or nullopt (200) when the object is
// empty; any other part is kInvalidPartNumber. A multipart object (etag "<md5>-<N>") fails
// with kNotImplemented: the sizes of its parts are not known here.
Result<std::optional<ByteRange>> resolve_part_number(int part, std::string_view etag,
                                                     uint64_t size);

// The range of part `part` of a multipart object whose parts have `part_sizes` bytes, in
// order: always a range (206); kInvalidPartNumber for a part it does not have.
Result<ByteRange> resolve_multipart_part(int part, const std::vector<uint64_t>& part_sizes);

// "bytes 0-9/100".
std::string content_range(const ByteRange& range, uint64_t size);

}  // namespace maxio::s3
