#pragma once
// Session: what one maxioctl invocation shares between its commands' steps: the console,
// the global flags, the loaded config, and one S3Client / AdminClient per alias (created on
// first use, reused after). Also the process-wide interrupt flag set by SIGINT, which
// transfers poll to stop cleanly (abort uploads, remove partial files).
// Thread-safety: clients() may be called from several threads; the clients are
// thread-safe themselves.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cli/config.h"
#include "cli/console.h"
#include "cli/target.h"
#include "shared/admin/client.h"
#include "shared/s3/client.h"
#include "shared/util/status.h"

namespace maxio::cli {

struct GlobalOptions {
  bool json = false;
  bool quiet = false;
  bool insecure = false;   // https without certificate verification
  std::string config_dir;  // "" for the default (MAXIO_CONFIG_DIR, ~/.config/maxio)
};

// SIGINT (Ctrl-C) sets the flag; a second one kills the process as usual.
void install_interrupt_handler();
bool interrupted();
void set_interrupted(bool value);  // tests

// kCancelled "interrupted" once SIGINT arrived, else ok.
Status check_interrupted();

// The one-line reason of a failure for the user: the server's message and S3 code for S3
// and admin errors ("The specified bucket does not exist (NoSuchBucket)"), else the status
// message.
std::string describe(const Status& status);
// The S3 or admin error code ("NoSuchBucket"), else the maxio code name ("Io").
std::string error_code(const Status& status);

class Session {
 public:
  Session(Console& console, EnvLookup env, GlobalOptions options);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  Console& console() { return console_; }
  const GlobalOptions& options() const { return options_; }
  const EnvLookup& env() const { return env_; }

  // Reads the config file (once). Errors name the file.
  Status load_config();
  const Config& config() const { return config_; }
  Config& mutable_config() { return config_; }
  const std::string& config_path() const { return config_path_; }
  Status save_config();

  // A configured alias (file or MAXIO_HOST_<NAME>).
  bool is_alias(std::string_view name) const;
  // kInvalidArgument "unknown alias 'x'" when there is none.
  Result<AliasConfig> alias(std::string_view name) const;

  // Parses a path argument against the known aliases.
  Target target(std::string_view arg) const;

  Result<s3client::S3Client*> s3(std::string_view alias);
  Result<admin::AdminClient*> admin(std::string_view alias);

  // Both aliases reach the same server with the same credentials (server-side copy works).
  bool same_server(std::string_view alias_a, std::string_view alias_b) const;

  // The server of `alias` answered 501 to CreateMultipartUpload: later uploads use a single
  // PUT without asking again.
  bool multipart_unsupported(std::string_view alias);
  void set_multipart_unsupported(std::string_view alias);

 private:
  Console& console_;
  EnvLookup env_;
  GlobalOptions options_;
  Config config_;
  std::string config_path_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<s3client::S3Client>, std::less<>> s3_;     // by mu_
  std::map<std::string, std::unique_ptr<admin::AdminClient>, std::less<>> admin_;  // by mu_
  std::map<std::string, bool, std::less<>> no_multipart_;                          // by mu_
};

}  // namespace maxio::cli
