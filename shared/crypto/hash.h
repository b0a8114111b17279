#pragma once
// Cryptographic hashes and MACs over OpenSSL EVP: MD5 (ETags), SHA-1 (SigV2, checksums),
// SHA-256 (SigV4), HMAC-SHA1/SHA256, HMAC-SHA384/SHA512 (JWTs). Streaming classes for
// payloads, one-shot helpers for small inputs. Digests are raw bytes; use
// hex_encode/base64_encode to print them. An instance is used by one thread at a time; it
// is movable, not copyable.

#include <memory>
#include <string>
#include <string_view>

namespace maxio {

enum class HashAlgorithm { kMd5, kSha1, kSha256 };

class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm);
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // The raw digest. The hasher is then reset and can hash a new message.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
  HashAlgorithm algorithm_;
};

std::string md5(std::string_view data);     // 16 raw bytes
std::string sha1(std::string_view data);    // 20 raw bytes
std::string sha256(std::string_view data);  // 32 raw bytes
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 raw bytes
std::string hmac_sha384(std::string_view key, std::string_view data);  // 48 raw bytes
std::string hmac_sha512(std::string_view key, std::string_view data);  // 64 raw bytes

}  // namespace maxio
