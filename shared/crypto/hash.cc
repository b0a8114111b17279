// Hashes and HMACs over OpenSSL 3 EVP.

#include "shared/crypto/hash.h"

#include "shared/util/encoding.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdlib>

namespace maxio {
namespace {

const EVP_MD* evp_md(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kMd5:
      return EVP_md5();
    case HashAlgorithm::kSha1:
      return EVP_sha1();
    case HashAlgorithm::kSha256:
      return EVP_sha256();
  }
  return EVP_sha256();
}

// OpenSSL failures here mean a broken installation (no default provider); there is no
// sensible recovery, so fail loudly.
void check_openssl(int ok) {
  if (ok != 1) std::abort();
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_size = 0;
  const unsigned char* result =
      HMAC(md, key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &out_size);
  if (result == nullptr) std::abort();
  return std::string(reinterpret_cast<const char*>(out), out_size);
}

std::string one_shot(HashAlgorithm algorithm, std::string_view data) {
  Hasher hasher(algorithm);
  hasher.update(data);
  return hasher.finish();
}

}  // namespace

struct Hasher::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlgorithm algorithm) : state_(std::make_unique<State>()), algorithm_(algorithm) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr) std::abort();
  check_openssl(EVP_DigestInit_ex(state_->ctx, evp_md(algorithm_), nullptr));
}

Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::update(const void* data, size_t size) {
  assert(state_ && "use of a moved-from Hasher");
  if (size == 0) return;
  check_openssl(EVP_DigestUpdate(state_->ctx, data, size));
}

std::string Hasher::finish() {
  assert(state_ && "use of a moved-from Hasher");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_size = 0;
  check_openssl(EVP_DigestFinal_ex(state_->ctx, out, &out_size));
  check_openssl(EVP_DigestInit_ex(state_->ctx, evp_md(algorithm_), nullptr));
  return std::string(reinterpret_cast<const char*>(out), out_size);
}

std::string md5(std::string_view data) { return one_shot(HashAlgorithm::kMd5, data); }
std::string sha1(std::string_view data) { return one_shot(HashAlgorithm::kSha1, data); }
std::string sha256(std::string_view data) { return one_shot(HashAlgorithm::kSha256, data); }

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  return hmac(EVP_sha256(), key, data);
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
  return hmac(EVP_sha1(), key, data);
}

std::string hmac_sha384(std::string_view key, std::string_view data) {
  return hmac(EVP_sha384(), key, data);
}

std::string hmac_sha512(std::string_view key, std::string_view data) {
  return hmac(EVP_sha512(), key, data);
}

}  // namespace maxio
