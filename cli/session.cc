#include "cli/session.h"

#include <unistd.h>
#include <csignal>
#include <cstring>

#include <atomic>

#include "shared/s3/error.h"

namespace maxio::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  // A second Ctrl-C ends the process at once.
  std::signal(SIGINT, SIG_DFL);
  static constexpr char kMessage[] =
      "\nmaxioctl: interrupted, cleaning up (Ctrl-C again to quit)\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  (void)ignored;
}

std::string default_message(std::string_view code) {
  if (code == "NoSuchKey" || code == "NotFound") return "Object does not exist";
  if (code == "NoSuchBucket") return "Bucket does not exist";
  if (code == "AccessDenied" || code == "Forbidden") return "Access denied";
  return std::string(code);
}

constexpr char kUserAgent[] = "maxioctl/0.1.0";

}  // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_sigint); }
bool interrupted() { return g_interrupted.load(); }
void set_interrupted(bool value) { g_interrupted.store(value); }

Status check_interrupted() {
  if (interrupted()) return Status(ErrorCode::kCancelled, "interrupted");
  return Status::ok();
}

std::string describe(const Status& status) {
  // Admin errors first: they share S3Error's text form.
  if (auto admin = admin::AdminError::from_status(status);
      admin && admin->request.find(admin::kAdminPrefix) != std::string::npos) {
    // A server without the admin API takes /maxio/admin/... for a bucket named "maxio".
    if (admin->code == "NoSuchBucket" || admin->code == "NoSuchKey" ||
        admin->code == "XMaxioAdminNoSuchAPI") {
      return "the server does not offer this admin API route (" + admin->request + " answered " +
             admin->code + ")";
    }
    if (admin->message.empty()) return default_message(admin->code) + " (" + admin->code + ")";
    return admin->message + " (" + admin->code + ")";
  }
  if (auto s3 = s3client::S3Error::from_status(status)) {
    // HEAD answers carry no error document: the client's message then only restates that.
    if (s3->message.empty() || s3->message == s3->code ||
        s3->message.find("without an error document") != std::string::npos) {
      return default_message(s3->code) + " (" + s3->code + ")";
    }
    return s3->message + " (" + s3->code + ")";
  }
  if (!status.message().empty()) return status.message();
  return std::string(error_code_name(status.code()));
}

std::string error_code(const Status& status) {
  if (auto s3 = s3client::S3Error::from_status(status)) return s3->code;
  if (auto admin = admin::AdminError::from_status(status)) return admin->code;
  return std::string(error_code_name(status.code()));
}

Session::Session(Console& console, EnvLookup env, GlobalOptions options)
    : console_(console), env_(std::move(env)), options_(std::move(options)) {}

Session::~Session() = default;

Status Session::load_config() {
  std::string dir = options_.config_dir;
  if (dir.empty()) {
    MAXIO_TRY(dir, default_config_dir(env_));
  }
  config_path_ = config_file(dir);
  MAXIO_TRY(config_, cli::load_config(config_path_));
  return Status::ok();
}

Status Session::save_config() { return cli::save_config(config_path_, config_); }

bool Session::is_alias(std::string_view name) const {
  if (name.empty()) return false;
  if (config_.aliases.count(std::string(name)) > 0) return true;
  auto env = env_("MAXIO_HOST_" + std::string(name));
  return env && !env->empty();
}

Result<AliasConfig> Session::alias(std::string_view name) const {
  MAXIO_TRY(auto alias, resolve_alias(config_, name, env_));
  if (!alias) {
    return Status(ErrorCode::kInvalidArgument,
                  "unknown alias '" + std::string(name) + "' (add it with: maxioctl alias set " +
                      std::string(name) + " URL ACCESS-KEY SECRET-KEY)");
  }
  return *alias;
}

Target Session::target(std::string_view arg) const {
  return parse_target(arg, [this](std::string_view name) { return is_alias(name); });
}

Result<s3client::S3Client*> Session::s3(std::string_view name) {
  std::lock_guard lock(mu_);
  if (auto it = s3_.find(name); it != s3_.end()) return it->second.get();
  MAXIO_TRY(AliasConfig alias, this->alias(name));
  s3client::S3ClientOptions options;
  options.endpoint = alias.url;
  options.access_key = alias.access_key;
  options.secret_key = alias.secret_key;
  options.region = alias.effective_region();
  options.path_style = alias.path_style();
  options.http.user_agent = kUserAgent;
  options.http.verify_tls = !options_.insecure;
  auto client = s3client::S3Client::create(std::move(options));
  if (!client) {
    return Status(client.code(), "alias '" + std::string(name) + "': " + describe(client.status()));
  }
  auto* raw = client->get();
  s3_.emplace(std::string(name), std::move(client).value());
  return raw;
}

Result<admin::AdminClient*> Session::admin(std::string_view name) {
  std::lock_guard lock(mu_);
  if (auto it = admin_.find(name); it != admin_.end()) return it->second.get();
  MAXIO_TRY(AliasConfig alias, this->alias(name));
  admin::AdminClientOptions options;
  options.endpoint = alias.url;
  options.access_key = alias.access_key;
  options.secret_key = alias.secret_key;
  options.region = alias.effective_region();
  options.http.user_agent = kUserAgent;
  options.http.verify_tls = !options_.insecure;
  auto client = admin::AdminClient::create(std::move(options));
  if (!client) {
    return Status(client.code(), "alias '" + std::string(name) + "': " + describe(client.status()));
  }
  auto* raw = client->get();
  admin_.emplace(std::string(name), std::move(client).value());
  return raw;
}

bool Session::same_server(std::string_view a, std::string_view b) const {
  if (a == b) return true;
  auto alias_a = alias(a);
  auto alias_b = alias(b);
  return alias_a && alias_b && alias_a->url == alias_b->url &&
         alias_a->access_key == alias_b->access_key;
}

bool Session::multipart_unsupported(std::string_view alias) {
  std::lock_guard lock(mu_);
  auto it = no_multipart_.find(alias);
  return it != no_multipart_.end() && it->second;
}

void Session::set_multipart_unsupported(std::string_view alias) {
  std::lock_guard lock(mu_);
  no_multipart_[std::string(alias)] = true;
}

}  // namespace maxio::cli
