#pragma once
// Reader and Writer: the streaming byte interfaces that connect sockets, auth decoders,
// hashing filters and drives. Every object byte in Maxio flows through these, a bounded
// buffer at a time; nothing holds a whole object. Implementations are not thread-safe:
// one reader or writer is driven by one thread at a time.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio {

class Reader {
 public:
  Reader() = default;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  virtual ~Reader() = default;

  // Reads up to `size` bytes into `buffer`. Returns the number read, 0 only at the end of
  // the stream, or an error (the stream is then unusable).
  virtual Result<size_t> read(char* buffer, size_t size) = 0;
};

class Writer {
 public:
  Writer() = default;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  virtual ~Writer() = default;

  // Writes all `size` bytes or returns an error.
  virtual Status write(const char* data, size_t size) = 0;
  Status write(std::string_view data) { return write(data.data(), data.size()); }
};

// Reads until `size` bytes are read or the stream ends; returns the count read.
Result<size_t> read_full(Reader& reader, char* buffer, size_t size);

// Copies `reader` to `writer` until the end of the stream with a bounded buffer; returns
// the number of bytes copied.
Result<uint64_t> copy_stream(Reader& reader, Writer& writer, size_t buffer_size = 1 << 20);

// A Reader over a string the caller keeps alive (tests, small XML bodies).
class StringReader final : public Reader {
 public:
  explicit StringReader(std::string_view data) : data_(data) {}
  Result<size_t> read(char* buffer, size_t size) override;

 private:
  std::string_view data_;
};

// A Writer that appends to a string (tests, small responses).
class StringWriter final : public Writer {
 public:
  using Writer::write;
  Status write(const char* data, size_t size) override {
    out_.append(data, size);
    return Status::ok();
  }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads a whole stream into a string, failing with kEntityTooLarge beyond `limit` bytes.
// Only for bodies that are small by contract (XML requests, policies).
Result<std::string> read_all(Reader& reader, size_t limit);

}  // namespace maxio
