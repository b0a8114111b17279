#pragma once
// Running maxioctl in-process for tests: a temporary config directory, captured stdout and
// stderr, and the JSON lines of --json output. Plus a fake S3 server that speaks enough of
// the protocol for transfers (single PUT, multipart, HEAD, ranged GET), decoding aws-chunked
// bodies. Not thread-safe; one per test.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "shared/util/time.h"
#include "tests/unit/shared/admin/fake_http_server.h"

namespace maxio::cli::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "maxioctl-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;

  // Every stdout line parsed as JSON (a line that is not JSON fails the test).
  std::vector<nlohmann::json> json() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
  }
};

inline void write_file(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  return data.str();
}

// Deterministic bytes that differ at every offset (a misplaced range shows).
inline std::string pattern_bytes(size_t size) {
  std::string data(size, '\0');
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = static_cast<char>(x);
  }
  return data;
}

class Cli {
 public:
  Cli() { env_["MAXIO_CONFIG_DIR"] = dir_.path() + "/config"; }

  RunResult run(std::vector<std::string> args, const std::string& input = "") {
    std::ostringstream out, err;
    std::istringstream in(input);
    std::map<std::string, std::string> env = env_;
    RunEnvironment run_env{out, err, in, false,
                           [env](std::string_view name) -> std::optional<std::string> {
                             auto it = env.find(std::string(name));
                             if (it == env.end()) return std::nullopt;
                             return it->second;
                           }};
    RunResult result;
    result.code = run_maxioctl(args, run_env);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  // Adds alias `name` for `url`.
  void add_alias(const std::string& name, const std::string& url,
                 const std::string& access = "AKIDCLI", const std::string& secret = "cli-secret") {
    RunResult result = run({"alias", "set", name, url, access, secret});
    EXPECT_EQ(result.code, 0) << result.err;
  }

  const TempDir& dir() const { return dir_; }
  std::string config_path() const { return dir_.path() + "/config/config.json"; }
  void set_env(const std::string& name, const std::string& value) { env_[name] = value; }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

// The payload of an aws-chunked body ("<hex>;chunk-signature=...\r\n<data>\r\n"...).
inline std::string decode_body(const maxio::testing::SeenRequest& request) {
  if (!std::string(request.headers.value_or_empty("x-amz-content-sha256"))
           .starts_with("STREAMING")) {
    return request.body;
  }
  std::string out;
  size_t pos = 0;
  const std::string& body = request.body;
  while (pos < body.size()) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    std::string header = body.substr(pos, eol - pos);
    size_t size = std::stoul(header.substr(0, header.find(';')), nullptr, 16);
    pos = eol + 2;
    if (size == 0) break;
    out += body.substr(pos, size);
    pos += size + 2;
  }
  return out;
}

// A small in-memory S3: objects by "bucket/key", multipart uploads, ranged GETs.
class FakeS3 {
 public:
  FakeS3() : server_([this](const maxio::testing::SeenRequest& r) { return handle(r); }) {}

  std::string url() const { return server_.url(); }
  std::vector<maxio::testing::SeenRequest> seen() { return server_.seen(); }

  void set_multipart_supported(bool supported) { multipart_ = supported; }
  // Part `n` of every upload fails with AccessDenied (not retried).
  void fail_part(int n) { fail_part_ = n; }
  void put(const std::string& path, std::string data) {
    std::lock_guard lock(mu_);
    objects_[path] = std::move(data);
  }
  std::string object(const std::string& path) {
    std::lock_guard lock(mu_);
    return objects_.count(path) ? objects_[path] : "<missing>";
  }
  bool has(const std::string& path) {
    std::lock_guard lock(mu_);
    return objects_.count(path) > 0;
  }
  int aborts() const { return aborts_; }

 private:
  using Reply = maxio::testing::Reply;

  static Reply error(int status, const std::string& code) {
    return {status, "<Error><Code>" + code + "</Code><Message>" + code + " from the fake" +
                        "</Message><RequestId>FAKE</RequestId></Error>"};
  }

  Reply handle(const maxio::testing::SeenRequest& r) {
    std::string path = r.path.substr(1);  // "bucket/key"
    std::lock_guard lock(mu_);
    if (r.method == "POST" && r.query("uploads")) {
      if (!multipart_) return error(501, "NotImplemented");
      uploads_[path].clear();
      return {200,
              "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
              "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>"};
    }
    if (r.method == "PUT" && r.query("partNumber")) {
      int n = std::stoi(*r.query("partNumber"));
      if (n == fail_part_) return error(403, "AccessDenied");
      uploads_[path][n] = decode_body(r);
      return {200, "", {{"ETag", "\"etag-" + std::to_string(n) + "\""}}};
    }
    if (r.method == "POST" && r.query("uploadId")) {
      // Parts must come in order with the ETags the parts were given.
      std::string data;
      int expected = 1;
      size_t pos = 0;
      while ((pos = r.body.find("<PartNumber>", pos)) != std::string::npos) {
        int n = std::stoi(r.body.substr(pos + 12));
        if (n != expected++) return error(400, "InvalidPartOrder");
        if (r.body.find("etag-" + std::to_string(n), pos) == std::string::npos) {
          return error(400, "InvalidPart");
        }
        data += uploads_[path][n];
        ++pos;
      }
      objects_[path] = data;
      return {200,
              "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
              "<ETag>\"multi-etag-" +
                  std::to_string(expected - 1) + "\"</ETag></CompleteMultipartUploadResult>"};
    }
    if (r.method == "DELETE" && r.query("uploadId")) {
      ++aborts_;
      return {204};
    }
    if (r.method == "PUT") {
      objects_[path] = decode_body(r);
      return {200, "", {{"ETag", "\"single-etag\""}}};
    }
    if (r.method == "GET" && path.find('/') == std::string::npos && r.query("list-type")) {
      // ListObjectsV2, one page, no delimiter support beyond none.
      std::string prefix = path + "/" + r.query("prefix").value_or("");
      std::string xml =
          "<ListBucketResult><Name>" + path + "</Name><IsTruncated>false" + "</IsTruncated>";
      for (const auto& [name, data] : objects_) {
        if (!name.starts_with(prefix)) continue;
        xml += "<Contents><Key>" + name.substr(path.size() + 1) + "</Key><Size>" +
               std::to_string(data.size()) + "</Size><ETag>\"e-" + std::to_string(data.size()) +
               "\"</ETag><LastModified>2024-05-06T07:08:09.000Z</LastModified></Contents>";
      }
      return {200, xml + "</ListBucketResult>"};
    }
    auto it = objects_.find(path);
    if (r.method == "HEAD" || r.method == "GET") {
      if (it == objects_.end()) return r.method == "HEAD" ? Reply{404} : error(404, "NoSuchKey");
      std::vector<std::pair<std::string, std::string>> headers = {
          {"ETag", "\"e-" + std::to_string(it->second.size()) + "\""},
          {"Last-Modified", format_rfc1123(*parse_iso8601("2024-05-06T07:08:09Z"))},
          {"Content-Type", "application/x-test"}};
      std::string range(r.headers.value_or_empty("range"));
      if (r.method == "GET" && range.starts_with("bytes=")) {
        size_t dash = range.find('-');
        size_t first = std::stoull(range.substr(6, dash - 6));
        size_t last = std::stoull(range.substr(dash + 1));
        headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                  std::to_string(last) + "/" +
                                                  std::to_string(it->second.size()));
        return {206, it->second.substr(first, last - first + 1), headers};
      }
      return {200, it->second, headers};
    }
    return error(405, "MethodNotAllowed");
  }

  std::mutex mu_;
  std::map<std::string, std::string> objects_;
  std::map<std::string, std::map<int, std::string>> uploads_;
  std::atomic<bool> multipart_{true};
  std::atomic<int> fail_part_{0};
  std::atomic<int> aborts_{0};
  maxio::testing::FakeHttpServer server_;
};

}  // namespace maxio::cli::testing
