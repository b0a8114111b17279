#include "shared/util/io.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace maxio {

Result<size_t> read_full(Reader& reader, char* buffer, size_t size) {
  size_t total = 0;
  while (total < size) {
    MAXIO_TRY(size_t n, reader.read(buffer + total, size - total));
    if (n == 0) break;
    total += n;
  }
  return total;
}

Result<uint64_t> copy_stream(Reader& reader, Writer& writer, size_t buffer_size) {
  std::vector<char> buffer(buffer_size);
  uint64_t total = 0;
  for (;;) {
    MAXIO_TRY(size_t n, reader.read(buffer.data(), buffer.size()));
    if (n == 0) return total;
    MAXIO_RETURN_IF_ERROR(writer.write(buffer.data(), n));
    total += n;
  }
}

Result<size_t> StringReader::read(char* buffer, size_t size) {
  size_t n = std::min(size, data_.size());
  std::memcpy(buffer, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

Result<std::string> read_all(Reader& reader, size_t limit) {
  std::string out;
  char buffer[16 * 1024];
  for (;;) {
    MAXIO_TRY(size_t n, reader.read(buffer, sizeof buffer));
    if (n == 0) return out;
    if (out.size() + n > limit) return Status(ErrorCode::kEntityTooLarge, "body exceeds limit");
    out.append(buffer, n);
  }
}

}  // namespace maxio
