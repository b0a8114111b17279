#include "daemon/auth/post_policy.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "daemon/auth/internal/credential.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::auth {
namespace {

constexpr size_t kMaxFieldBytes = 1 << 20;  // all form fields before the file, together
constexpr size_t kMaxPartHeaderBytes = 8 * 1024;
constexpr size_t kMaxBoundary = 200;
constexpr size_t kFillSize = 64 * 1024;

Status malformed(std::string message =
                     "The body of your POST request is not well-formed "
                     "multipart/form-data.") {
  return Status(ErrorCode::kMalformedPOSTRequest, std::move(message));
}

Status condition_failed(const std::string& what) {
  return Status(ErrorCode::kPostPolicyConditionFailed, "Invalid according to Policy: " + what);
}

Status invalid_policy(std::string what) {
  return Status(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::move(what));
}

// Splits "a; b=c; d=\"e;f\"" into parameters after the first token (names lower-cased).
std::vector<std::pair<std::string, std::string>> header_params(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    size_t semi = value.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      i = semi;
      continue;
    }
    std::string name = to_lower(trim(value.substr(i, eq - i)));
    std::string param;
    size_t j = eq + 1;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size()) ++j;
        param.push_back(value[j++]);
      }
      i = value.find(';', j);
    } else {
      size_t end = value.find(';', j);
      param = std::string(trim(value.substr(j, end == std::string_view::npos ? end : end - j)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(param));
  }
  return out;
}

// A multipart/form-data body read as it streams, one part at a time, with a bounded buffer.
class MultipartStream {
 public:
  MultipartStream(Reader& body, std::string_view boundary)
      : body_(body), delimiter_("\r\n--" + std::string(boundary)), buf_("\r\n") {}

  // Skips to the next delimiter and reads that part's header block into `headers`.
  // Returns false after the closing delimiter.
  Result<bool> next_part(std::string& headers) {
    for (;;) {
      size_t idx = buf_.find(delimiter_, pos_);
      if (idx != std::string::npos) {
        pos_ = idx + delimiter_.size();
        break;
      }
      if (buf_.size() - pos_ >= delimiter_.size()) pos_ = buf_.size() - (delimiter_.size() - 1);
      MAXIO_TRY(bool more, fill());
      if (!more) return malformed();
    }
    reset_scan();
    MAXIO_TRY(bool has2, ensure(2));
    if (!has2) return malformed();
    if (buf_.compare(pos_, 2, "--") == 0) {
      pos_ += 2;
      return false;
    }
    for (;;) {  // transport padding
      MAXIO_TRY(bool has, ensure(1));
      if (!has) return malformed();
      if (buf_[pos_] != ' ' && buf_[pos_] != '\t') break;
      ++pos_;
    }
    MAXIO_TRY(bool has_crlf, ensure(2));
    if (!has_crlf || buf_.compare(pos_, 2, "\r\n") != 0) return malformed();
    pos_ += 2;
    MAXIO_TRY(bool has_end, ensure(2));
    if (!has_end) return malformed();
    if (buf_.compare(pos_, 2, "\r\n") == 0) {
      pos_ += 2;
      headers.clear();
      return true;
    }
    for (;;) {
      size_t end = buf_.find("\r\n\r\n", pos_);
      if (end != std::string::npos) {
        if (end - pos_ > kMaxPartHeaderBytes) return malformed();
        headers = buf_.substr(pos_, end - pos_);
        pos_ = end + 4;
        return true;
      }
      if (buf_.size() - pos_ > kMaxPartHeaderBytes) return malformed();
      MAXIO_TRY(bool more, fill());
      if (!more) return malformed();
    }
  }

  // Reads the current part's data; 0 at its end (the delimiter is left for next_part).
  Result<size_t> read_data(char* out, size_t n) {
    if (n == 0) return size_t{0};
    for (;;) {
      size_t avail = 0;
      if (delim_at_ != std::string::npos) {
        avail = delim_at_ - pos_;
        if (avail == 0) return size_t{0};
      } else if (clear_end_ > pos_) {
        avail = clear_end_ - pos_;
      } else {
        size_t idx = buf_.find(delimiter_, pos_);
        if (idx != std::string::npos) {
          delim_at_ = idx;
          continue;
        }
        size_t have = buf_.size() - pos_;
        if (have >= delimiter_.size()) {
          clear_end_ = buf_.size() - (delimiter_.size() - 1);
          continue;
        }
        MAXIO_TRY(bool more, fill());
        if (!more) return malformed();
        continue;
      }
      size_t k = std::min(n, avail);
      std::memcpy(out, buf_.data() + pos_, k);
      pos_ += k;
      return k;
    }
  }

 private:
  void reset_scan() {
    delim_at_ = std::string::npos;
    clear_end_ = 0;
  }

  Result<bool> ensure(size_t k) {
    while (buf_.size() - pos_ < k) {
      MAXIO_TRY(bool more, fill());
      if (!more) return false;
    }
    return true;
  }

  // Appends up to kFillSize bytes; false at the end of the body. Invalidates the scan state.
  Result<bool> fill() {
    if (eof_) return false;
    if (pos_ > kFillSize) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    reset_scan();
    size_t old = buf_.size();
    buf_.resize(old + kFillSize);
    auto n = body_.read(buf_.data() + old, kFillSize);
    if (!n.is_ok()) {
      buf_.resize(old);
      return n.status();
    }
    buf_.resize(old + *n);
    if (*n == 0) eof_ = true;
    return *n > 0;
  }

  Reader& body_;
  std::string delimiter_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  size_t delim_at_ = std::string::npos;  // a delimiter found at this index
  size_t clear_end_ = 0;                 // no delimiter starts before this index
};

// The file part of a POST upload, with the policy's content-length-range.
class PostFileReader final : public Reader {
 public:
  PostFileReader(std::unique_ptr<MultipartStream> stream, std::optional<uint64_t> min,
                 std::optional<uint64_t> max)
      : stream_(std::move(stream)), min_(min), max_(max) {}

  Result<size_t> read(char* buffer, size_t size) override {
    if (!status_.is_ok()) return status_;
    if (done_ || size == 0) return size_t{0};
    auto n = stream_->read_data(buffer, size);
    if (!n.is_ok()) {
      status_ = n.status();
      return status_;
    }
    count_ += *n;
    if (max_ && count_ > *max_) {
      status_ = Status(ErrorCode::kEntityTooLarge,
                       "Your proposed upload exceeds the maximum allowed size");
      return status_;
    }
    if (*n == 0) {
      done_ = true;
      if (min_ && count_ < *min_) {
        status_ = Status(ErrorCode::kEntityTooSmall,
                         "Your proposed upload is smaller than the minimum allowed size");
        return status_;
      }
    }
    return *n;
  }

 private:
  std::unique_ptr<MultipartStream> stream_;
  std::optional<uint64_t> min_;
  std::optional<uint64_t> max_;
  uint64_t count_ = 0;
  bool done_ = false;
  Status status_;
};

Result<std::string> boundary_of(const HttpRequest& request) {
  std::string_view content_type;
  for (const auto& [name, value] : request.headers.fields()) {
    if (iequals(name, "content-type")) {
      content_type = value;
      break;
    }
  }
  std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals(media, "multipart/form-data")) {
    return malformed("POST requires multipart/form-data with a boundary.");
  }
  for (auto& [name, value] : header_params(content_type)) {
    if (name == "boundary" && !value.empty() && value.size() <= kMaxBoundary) return value;
  }
  return malformed("POST requires multipart/form-data with a boundary.");
}

struct Condition {
  std::string op;     // "eq" or "starts-with"
  std::string field;  // lower-case, without '$'
  std::string value;
  std::string text;  // as it appears in the policy, for messages
};

struct Policy {
  std::vector<Condition> conditions;
  std::optional<uint64_t> min_length;
  std::optional<uint64_t> max_length;
};

std::optional<uint64_t> json_length(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i < 0) return std::nullopt;
    return static_cast<uint64_t>(i);
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 19 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::stoull(s);
  }
  return std::nullopt;
}

std::optional<std::string> json_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return std::nullopt;
}

Result<Policy> parse_policy(const std::string& base64_policy, Timestamp now) {
  auto decoded = base64_decode(trim(base64_policy));
  if (!decoded.is_ok()) return invalid_policy("the policy is not valid base64");
  nlohmann::json doc = nlohmann::json::parse(*decoded, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_policy("the policy is not JSON");
  auto expiration = doc.find("expiration");
  if (expiration == doc.end() || !expiration->is_string()) {
    return invalid_policy("Policy missing expiration.");
  }
  auto expires = parse_iso8601(expiration->get<std::string>());
  if (!expires.is_ok()) return invalid_policy("Invalid 'expiration' value");
  if (now > *expires) return condition_failed("Policy expired.");
  auto conditions = doc.find("conditions");
  if (conditions == doc.end() || !conditions->is_array()) {
    return invalid_policy("Policy missing conditions.");
  }
  Policy policy;
  for (const auto& item : *conditions) {
    if (item.is_object()) {
      for (const auto& [name, value] : item.items()) {
        auto text = json_text(value);
        if (!text) return invalid_policy("Invalid condition: " + item.dump());
        std::string field = to_lower(name);
        if (!field.empty() && field[0] == '$') field.erase(0, 1);
        policy.conditions.push_back({"eq", field, *text, item.dump()});
      }
      continue;
    }
    if (!item.is_array() || item.size() != 3 || !item[0].is_string()) {
      return invalid_policy("Invalid condition: " + item.dump());
    }
    std::string op = to_lower(item[0].get<std::string>());
    if (op == "content-length-range") {
      auto min = json_length(item[1]);
      auto max = json_length(item[2]);
      if (!min || !max || *min > *max) {
        return invalid_policy("Invalid content-length-range: " + item.dump());
      }
      policy.min_length = *min;
      policy.max_length = *max;
      continue;
    }
    if ((op != "eq" && op != "starts-with") || !item[1].is_string()) {
      return invalid_policy("Invalid condition: " + item.dump());
    }
    auto value = json_text(item[2]);
    std::string field = to_lower(item[1].get<std::string>());
    if (!value || field.empty() || field[0] != '$') {
      return invalid_policy("Invalid condition: " + item.dump());
    }
    policy.conditions.push_back({op, field.substr(1), *value, item.dump()});
  }
  return policy;
}

bool ignored_field(std::string_view field) {
  return field == "x-amz-signature" || field == "file" || field == "policy" ||
         field == "signature" || field.substr(0, 9) == "x-ignore-";
}

Status check_conditions(const Policy& policy, const PostPolicyUpload& upload,
                        const std::string& bucket) {
  std::set<std::string> covered;
  for (const Condition& c : policy.conditions) {
    covered.insert(c.field);
    if (ignored_field(c.field)) continue;
    std::optional<std::string> actual;
    if (c.field == "bucket") {
      actual = bucket;
    } else if (c.field == "key") {
      actual = upload.key;
    } else if (auto it = upload.fields.find(c.field); it != upload.fields.end()) {
      actual = it->second;
    }
    bool ok;
    if (c.op == "eq") {
      ok = actual && *actual == c.value;
    } else {
      std::string_view have = actual ? std::string_view(*actual) : std::string_view();
      ok = have.starts_with(c.value);
    }
    if (!ok) return condition_failed("Policy Condition failed: " + c.text);
  }
  for (const auto& [name, value] : upload.fields) {
    if (name.substr(0, 11) == "x-amz-meta-" && covered.count(name) == 0) {
      return condition_failed("Extra input fields: " + name);
    }
  }
  return Status::ok();
}

const std::string* field(const PostPolicyUpload& upload, const std::string& name) {
  auto it = upload.fields.find(name);
  return it == upload.fields.end() ? nullptr : &it->second;
}

Status missing_field(std::string_view name) {
  return malformed("Bucket POST must contain a field named '" + std::string(name) + "'.");
}

// Verifies the policy signature; sets upload.access_key.
Status verify_signature(PostPolicyUpload& upload, const AuthConfig& config) {
  const std::string* policy = field(upload, "policy");
  if (const std::string* signature = field(upload, "x-amz-signature")) {
    const std::string* algorithm = field(upload, "x-amz-algorithm");
    const std::string* credential = field(upload, "x-amz-credential");
    if (!algorithm) return missing_field("x-amz-algorithm");
    if (!credential) return missing_field("x-amz-credential");
    if (!field(upload, "x-amz-date")) return missing_field("x-amz-date");
    if (!policy) return missing_field("policy");
    if (*algorithm != sigv4::kAlgorithm) {
      return Status(ErrorCode::kUnsupportedSignature,
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    MAXIO_TRY(
        internal::V4Credential cred,
        internal::parse_credential(*credential, config, ErrorCode::kAuthorizationHeaderMalformed,
                                   "Error parsing the X-Amz-Credential parameter; "));
    MAXIO_TRY(Credentials secret, internal::lookup(config, cred.access_key));
    std::string expected =
        sigv4::signature(sigv4::signing_key(secret.secret_key, cred.scope), *policy);
    if (!constant_time_equal(expected, to_lower(*signature))) {
      return Status(ErrorCode::kSignatureDoesNotMatch);
    }
    upload.access_key = cred.access_key;
    return Status::ok();
  }
  const std::string* signature = field(upload, "signature");
  const std::string* access_key = field(upload, "awsaccesskeyid");
  if (signature && access_key) {
    if (!policy) return missing_field("policy");
    MAXIO_TRY(Credentials secret, internal::lookup(config, *access_key));
    std::string expected = base64_encode(hmac_sha1(secret.secret_key, *policy));
    if (!constant_time_equal(expected, *signature)) {
      return Status(ErrorCode::kSignatureDoesNotMatch);
    }
    upload.access_key = *access_key;
    return Status::ok();
  }
  return Status(ErrorCode::kAccessDenied, "Access Denied.");
}

}  // namespace

Result<PostPolicyUpload> read_post_policy_upload(const HttpRequest& request, Reader& body,
                                                 const std::string& bucket,
                                                 const AuthConfig& config,
                                                 std::chrono::system_clock::time_point now) {
  MAXIO_TRY(std::string boundary, boundary_of(request));
  auto stream = std::make_unique<MultipartStream>(body, boundary);
  PostPolicyUpload upload;
  size_t total = 0;
  bool have_file = false;
  for (;;) {
    std::string headers;
    MAXIO_TRY(bool more, stream->next_part(headers));
    if (!more) break;
    std::optional<std::string> name;
    std::optional<std::string> filename;
    for (const std::string& line : split(headers, '\n')) {
      std::string_view text = trim(line);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      size_t colon = text.find(':');
      if (colon == std::string_view::npos ||
          !iequals(trim(text.substr(0, colon)), "content-disposition")) {
        continue;
      }
      for (auto& [param, value] : header_params(text.substr(colon + 1))) {
        if (param == "name") name = value;
        if (param == "filename") filename = value;
      }
    }
    if (!name) return malformed();
    std::string lower = to_lower(*name);
    if (lower == "file") {
      upload.filename = filename.value_or("");
      have_file = true;
      break;
    }
    std::string value;
    char buffer[4096];
    for (;;) {
      MAXIO_TRY(size_t n, stream->read_data(buffer, sizeof buffer));
      if (n == 0) break;
      total += n;
      if (total > kMaxFieldBytes)
        return malformed("Your POST request fields preceeding the upload file were too large.");
      value.append(buffer, n);
    }
    total += lower.size();
    upload.fields.emplace(std::move(lower), std::move(value));
  }
  if (!have_file) return malformed("POST requires exactly one file upload per request.");
  const std::string* key = field(upload, "key");
  if (!key) return missing_field("key");
  upload.key = *key;
  constexpr std::string_view kFilenameVar = "${filename}";
  for (size_t at = upload.key.find(kFilenameVar); at != std::string::npos;
       at = upload.key.find(kFilenameVar, at + upload.filename.size())) {
    upload.key.replace(at, kFilenameVar.size(), upload.filename);
  }
  MAXIO_RETURN_IF_ERROR(verify_signature(upload, config));
  MAXIO_TRY(Policy policy, parse_policy(*field(upload, "policy"), now));
  MAXIO_RETURN_IF_ERROR(check_conditions(policy, upload, bucket));
  upload.file =
      std::make_unique<PostFileReader>(std::move(stream), policy.min_length, policy.max_length);
  return upload;
}

}  // namespace maxio::auth
