#include "daemon/storage/xlmeta/internal/msgpack.h"

#include <limits>

namespace maxio::xlmeta_internal {
namespace {

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_prefixed(std::string& out, uint8_t prefix, uint64_t v, int bytes) {
  out.push_back(static_cast<char>(prefix));
  put_be(out, v, bytes);
}

constexpr int kMaxDepth = 64;

}  // namespace

void MsgWriter::append_int(int64_t v) {
  if (v >= 0) {
    if (v <= std::numeric_limits<int8_t>::max()) {
      out_.push_back(static_cast<char>(v));
    } else if (v <= std::numeric_limits<int16_t>::max()) {
      put_prefixed(out_, 0xd1, static_cast<uint64_t>(v), 2);
    } else if (v <= std::numeric_limits<int32_t>::max()) {
      put_prefixed(out_, 0xd2, static_cast<uint64_t>(v), 4);
    } else {
      put_prefixed(out_, 0xd3, static_cast<uint64_t>(v), 8);
    }
    return;
  }
  if (v >= -32) {
    out_.push_back(static_cast<char>(static_cast<int8_t>(v)));
  } else if (v >= std::numeric_limits<int8_t>::min()) {
    put_prefixed(out_, 0xd0, static_cast<uint64_t>(v) & 0xff, 1);
  } else if (v >= std::numeric_limits<int16_t>::min()) {
    put_prefixed(out_, 0xd1, static_cast<uint64_t>(v) & 0xffff, 2);
  } else if (v >= std::numeric_limits<int32_t>::min()) {
    put_prefixed(out_, 0xd2, static_cast<uint64_t>(v) & 0xffffffff, 4);
  } else {
    put_prefixed(out_, 0xd3, static_cast<uint64_t>(v), 8);
  }
}

void MsgWriter::append_uint(uint64_t v) {
  if (v <= 0x7f) {
    out_.push_back(static_cast<char>(v));
  } else if (v <= 0xff) {
    put_prefixed(out_, 0xcc, v, 1);
  } else if (v <= 0xffff) {
    put_prefixed(out_, 0xcd, v, 2);
  } else if (v <= 0xffffffff) {
    put_prefixed(out_, 0xce, v, 4);
  } else {
    put_prefixed(out_, 0xcf, v, 8);
  }
}

void MsgWriter::append_str(std::string_view s) {
  const size_t n = s.size();
  if (n < 32) {
    out_.push_back(static_cast<char>(0xa0 | n));
  } else if (n <= 0xff) {
    put_prefixed(out_, 0xd9, n, 1);
  } else if (n <= 0xffff) {
    put_prefixed(out_, 0xda, n, 2);
  } else {
    put_prefixed(out_, 0xdb, n, 4);
  }
  out_.append(s);
}

void MsgWriter::append_bin(std::string_view b) {
  const size_t n = b.size();
  if (n <= 0xff) {
    put_prefixed(out_, 0xc4, n, 1);
  } else if (n <= 0xffff) {
    put_prefixed(out_, 0xc5, n, 2);
  } else {
    put_prefixed(out_, 0xc6, n, 4);
  }
  out_.append(b);
}

void MsgWriter::append_map_header(uint32_t n) {
  if (n <= 15) {
    out_.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    put_prefixed(out_, 0xde, n, 2);
  } else {
    put_prefixed(out_, 0xdf, n, 4);
  }
}

void MsgWriter::append_array_header(uint32_t n) {
  if (n <= 15) {
    out_.push_back(static_cast<char>(0x90 | n));
  } else if (n <= 0xffff) {
    put_prefixed(out_, 0xdc, n, 2);
  } else {
    put_prefixed(out_, 0xdd, n, 4);
  }
}

void MsgWriter::append_fixed_uint32(uint32_t v) { put_prefixed(out_, 0xce, v, 4); }

uint64_t MsgReader::read_be(size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(buf_[pos_ + i]);
  pos_ += n;
  return v;
}

bool MsgReader::try_nil() {
  if (need(1) && static_cast<uint8_t>(buf_[pos_]) == 0xc0) {
    ++pos_;
    return true;
  }
  return false;
}

std::optional<uint32_t> MsgReader::read_map_header() {
  if (!need(1)) return std::nullopt;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  if ((b & 0xf0) == 0x80) {
    ++pos_;
    return b & 0x0f;
  }
  if (b == 0xde && need(3)) {
    ++pos_;
    return static_cast<uint32_t>(read_be(2));
  }
  if (b == 0xdf && need(5)) {
    ++pos_;
    return static_cast<uint32_t>(read_be(4));
  }
  return std::nullopt;
}

std::optional<uint32_t> MsgReader::read_array_header() {
  if (!need(1)) return std::nullopt;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  if ((b & 0xf0) == 0x90) {
    ++pos_;
    return b & 0x0f;
  }
  if (b == 0xdc && need(3)) {
    ++pos_;
    return static_cast<uint32_t>(read_be(2));
  }
  if (b == 0xdd && need(5)) {
    ++pos_;
    return static_cast<uint32_t>(read_be(4));
  }
  return std::nullopt;
}

std::optional<int64_t> MsgReader::read_int() {
  if (!need(1)) return std::nullopt;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  if (b <= 0x7f) {
    ++pos_;
    return b;
  }
  if (b >= 0xe0) {
    ++pos_;
    return static_cast<int8_t>(b);
  }
  size_t width = 0;
  bool is_signed = false;
  switch (b) {
    case 0xcc:
      width = 1;
      break;
    case 0xcd:
      width = 2;
      break;
    case 0xce:
      width = 4;
      break;
    case 0xcf:
      width = 8;
      break;
    case 0xd0:
      width = 1;
      is_signed = true;
      break;
    case 0xd1:
      width = 2;
      is_signed = true;
      break;
    case 0xd2:
      width = 4;
      is_signed = true;
      break;
    case 0xd3:
      width = 8;
      is_signed = true;
      break;
    default:
      return std::nullopt;
  }
  if (!need(1 + width)) return std::nullopt;
  ++pos_;
  const uint64_t raw = read_be(width);
  if (!is_signed) {
    if (raw > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(raw);
  }
  switch (width) {
    case 1:
      return static_cast<int8_t>(raw);
    case 2:
      return static_cast<int16_t>(raw);
    case 4:
      return static_cast<int32_t>(raw);
    default:
      return static_cast<int64_t>(raw);
  }
}

std::optional<uint64_t> MsgReader::read_uint() {
  if (!need(1)) return std::nullopt;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  if (b == 0xcf) {
    if (!need(9)) return std::nullopt;
    ++pos_;
    return read_be(8);
  }
  const size_t start = pos_;
  auto v = read_int();
  if (!v || *v < 0) {
    pos_ = start;
    return std::nullopt;
  }
  return static_cast<uint64_t>(*v);
}

std::optional<std::string_view> MsgReader::read_bytes() {
  if (!need(1)) return std::nullopt;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  size_t len = 0;
  if ((b & 0xe0) == 0xa0) {
    ++pos_;
    len = b & 0x1f;
  } else {
    size_t width = 0;
    switch (b) {
      case 0xc4:
      case 0xd9:
        width = 1;
        break;
      case 0xc5:
      case 0xda:
        width = 2;
        break;
      case 0xc6:
      case 0xdb:
        width = 4;
        break;
      default:
        return std::nullopt;
    }
    if (!need(1 + width)) return std::nullopt;
    ++pos_;
    len = static_cast<size_t>(read_be(width));
  }
  if (!need(len)) return std::nullopt;
  std::string_view out = buf_.substr(pos_, len);
  pos_ += len;
  return out;
}

bool MsgReader::skip(int depth) {
  if (depth > kMaxDepth || !need(1)) return false;
  const uint8_t b = static_cast<uint8_t>(buf_[pos_]);
  auto skip_n = [&](size_t n) {
    if (!need(n)) return false;
    pos_ += n;
    return true;
  };
  if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) return skip_n(1);
  if ((b & 0xf0) == 0x80 || b == 0xde || b == 0xdf) {
    auto n = read_map_header();
    if (!n) return false;
    for (uint64_t i = 0; i < 2ull * *n; ++i) {
      if (!skip(depth + 1)) return false;
    }
    return true;
  }
  if ((b & 0xf0) == 0x90 || b == 0xdc || b == 0xdd) {
    auto n = read_array_header();
    if (!n) return false;
    for (uint32_t i = 0; i < *n; ++i) {
      if (!skip(depth + 1)) return false;
    }
    return true;
  }
  if ((b & 0xe0) == 0xa0 || b == 0xc4 || b == 0xc5 || b == 0xc6 || b == 0xd9 || b == 0xda ||
      b == 0xdb) {
    return read_bytes().has_value();
  }
  switch (b) {
    case 0xcc:
    case 0xd0:
      return skip_n(2);
    case 0xcd:
    case 0xd1:
      return skip_n(3);
    case 0xce:
    case 0xd2:
    case 0xca:
      return skip_n(5);
    case 0xcf:
    case 0xd3:
    case 0xcb:
      return skip_n(9);
    case 0xd4:
      return skip_n(3);
    case 0xd5:
      return skip_n(4);
    case 0xd6:
      return skip_n(6);
    case 0xd7:
      return skip_n(10);
    case 0xd8:
      return skip_n(18);
    case 0xc7:
    case 0xc8:
    case 0xc9: {
      const size_t width = b == 0xc7 ? 1 : (b == 0xc8 ? 2 : 4);
      if (!need(1 + width)) return false;
      ++pos_;
      const size_t len = static_cast<size_t>(read_be(width));
      return skip_n(1 + len);
    }
    default:
      return false;
  }
}

}  // namespace maxio::xlmeta_internal
