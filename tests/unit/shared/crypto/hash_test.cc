// Hashes and HMACs against FIPS 180 / RFC 1321 / RFC 2202 / RFC 4231 and AWS vectors.

#include "shared/crypto/hash.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "shared/util/encoding.h"

namespace maxio {
namespace {

TEST(HashTest, KnownDigests) {
  EXPECT_EQ(hex_encode(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_encode(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex_encode(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(md5("x").size(), 16u);
  EXPECT_EQ(sha1("x").size(), 20u);
  EXPECT_EQ(sha256("x").size(), 32u);
}

TEST(HashTest, StreamingEqualsOneShotAndResetsAfterFinish) {
  const std::string data(1000000, 'a');
  Hasher hasher(HashAlgorithm::kMd5);
  for (size_t pos = 0; pos < data.size(); pos += 4097) {
    hasher.update(std::string_view(data).substr(pos, 4097));
  }
  EXPECT_EQ(hex_encode(hasher.finish()), "7707d6ae4e027c70eea2a935c2296f21");
  // After finish() the hasher starts a new message.
  hasher.update("abc");
  EXPECT_EQ(hex_encode(hasher.finish()), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hasher.finish(), md5(""));
}

TEST(HashTest, MovedHasherKeepsState) {
  Hasher a(HashAlgorithm::kSha256);
  a.update("ab");
  Hasher b(std::move(a));
  b.update(std::string_view("c"));
  EXPECT_EQ(b.finish(), sha256("abc"));
  Hasher c(HashAlgorithm::kSha1);
  c = std::move(b);
  c.update("abc");
  EXPECT_EQ(c.finish(), sha256("abc"));
}

TEST(HmacTest, Rfc4231AndRfc2202Vectors) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(hex_encode(hmac_sha256(key, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex_encode(hmac_sha1(key, "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block size is hashed first.
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(100, 'k'), "long key")),
            "5903eedefe0bba3f15b658715e41d71f1848739bddf19e497e968df5723dcd56");
}

// The SigV4 signing-key derivation example of the AWS documentation.
TEST(HmacTest, SigV4SigningKeyChain) {
  std::string key = hmac_sha256("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215");
  key = hmac_sha256(key, "us-east-1");
  key = hmac_sha256(key, "iam");
  key = hmac_sha256(key, "aws4_request");
  EXPECT_EQ(hex_encode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

}  // namespace
}  // namespace maxio
