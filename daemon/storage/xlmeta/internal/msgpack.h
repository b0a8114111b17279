#pragma once
// A minimal MessagePack reader and writer that reproduce the exact encodings of Go's
// tinylib/msgp (what MinIO uses for xl.meta): smallest signed form for int64, smallest
// unsigned form for uint64, bin for []byte. Reader works on a borrowed buffer; no
// exceptions, every read reports failure. Single-threaded value types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace maxio::xlmeta_internal {

// Appends MessagePack values to a string.
class MsgWriter {
 public:
  void append_nil() { out_.push_back(static_cast<char>(0xc0)); }
  void append_bool(bool v) { out_.push_back(static_cast<char>(v ? 0xc3 : 0xc2)); }
  void append_int(int64_t v);    // msgp.AppendInt64
  void append_uint(uint64_t v);  // msgp.AppendUint64
  void append_str(std::string_view s);
  void append_bin(std::string_view b);
  void append_map_header(uint32_t n);
  void append_array_header(uint32_t n);
  // Raw bytes (an already-encoded value).
  void append_raw(std::string_view raw) { out_.append(raw); }
  // A fixed-width uint32 (0xce + 4 bytes big endian), as MinIO writes the xl.meta CRC.
  void append_fixed_uint32(uint32_t v);

  std::string& buffer() { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads MessagePack values from a borrowed buffer. Every read returns false/nullopt on a
// type mismatch or truncation and then leaves the position unspecified.
class MsgReader {
 public:
  explicit MsgReader(std::string_view buf) : buf_(buf) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return buf_.size() - pos_; }
  std::string_view rest() const { return buf_.substr(pos_); }
  bool at_end() const { return pos_ >= buf_.size(); }

  // True (and consumes it) when the next value is nil.
  bool try_nil();
  std::optional<uint32_t> read_map_header();
  std::optional<uint32_t> read_array_header();
  // Any integer encoding; range-checked.
  std::optional<int64_t> read_int();
  std::optional<uint64_t> read_uint();
  // str or bin; returns a view into the buffer.
  std::optional<std::string_view> read_bytes();
  std::optional<std::string_view> read_str() { return read_bytes(); }
  // Skips one value of any type (bounded nesting depth).
  bool skip(int depth = 0);

 private:
  bool need(size_t n) const { return remaining() >= n; }
  uint64_t read_be(size_t n);

  std::string_view buf_;
  size_t pos_ = 0;
};

}  // namespace maxio::xlmeta_internal
