#pragma once
// MountOptions: the command line of maxio-mount (also in the form mount(8) uses for
// /etc/fstab entries of type fuse.maxio-mount: "maxio-mount BUCKET MOUNTPOINT -o opts"),
// with endpoint and credentials resolved from options, a maxioctl alias or the environment.
// Plain data and pure functions (the environment and the home directory are passed in).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio::fuse {

struct MountOptions {
  std::string bucket;
  std::string prefix;  // "" or ends with '/'
  std::string mountpoint;

  // S3 endpoint and credentials.
  std::string endpoint;
  std::string access_key;
  std::string secret_key;
  std::string session_token;
  std::string region = "us-east-1";
  bool path_style = true;
  // Streamed uploads: "auto" (aws-chunked signed chunks over http, unsigned over https),
  // "unsigned" (UNSIGNED-PAYLOAD) or "streaming".
  std::string payload_signing = "auto";
  std::string alias;        // -o alias=NAME: from the maxioctl config file
  std::string config_file;  // default ~/.config/maxio/config.json

  // Mount behaviour.
  bool foreground = false;
  bool debug = false;
  bool single_thread = false;
  bool read_only = false;
  bool allow_other = false;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  uint32_t umask = 0;             // removed from every entry's permissions
  double attr_timeout = 1.0;      // kernel attribute cache, seconds
  double entry_timeout = 1.0;     // kernel name cache, seconds
  double negative_timeout = 0.0;  // kernel cache of missing names, seconds
  double stat_cache_ttl = 5.0;    // maxio-mount's own HEAD cache, seconds
  double negative_cache_ttl = 2.0;
  std::string log_file;     // where warnings go once detached (default: discarded)
  std::string cache_dir;    // local files being written; default $TMPDIR or /tmp
  uint64_t cache_size = 0;  // most bytes of open cache files; 0: no limit
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
  int parallel = 8;                           // parallel ranged GETs and part uploads
  uint64_t read_ahead_memory = 256ull << 20;  // read-ahead blocks of all readers together
  uint64_t readdir_prefetch = 5000;  // entries per listing whose attributes are fetched ahead
  uint64_t max_write = 1 << 20;

  // Options for libfuse itself (rw, dev, suid, fsname=..., ...), passed on as -o.
  std::vector<std::string> fuse_options;

  bool show_help = false;
  bool show_version = false;
};

// Looks up environment variables (getenv in production, a map in tests).
using EnvLookup = std::function<std::optional<std::string>(const char*)>;

// Parses `args` (argv without the program name). kInvalidArgument with a message for the
// user on an unknown flag, a malformed value, a missing BUCKET or MOUNTPOINT, or (unless
// --help or --version) when no endpoint or credentials can be found. Endpoint and keys come,
// in order of precedence, from -o/--endpoint options, -o alias=NAME (the maxioctl config
// file), then MAXIO_ENDPOINT, MAXIO_ACCESS_KEY / MAXIO_SECRET_KEY, AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).
Result<MountOptions> parse_mount_options(const std::vector<std::string>& args,
                                         const EnvLookup& env);

// One alias of the maxioctl config file (~/.config/maxio/config.json):
//   {"version":"1","aliases":{"NAME":{"url":"http://...","accessKey":"...",
//    "secretKey":"...","api":"s3v4","path":"auto"}}}
struct Alias {
  std::string url;
  std::string access_key;
  std::string secret_key;
  bool path_style = true;  // "path": "on" or "auto" -> true, "off" -> false
};

// kNoSuchKey when the alias is absent, kIo when the file cannot be read, kInvalidArgument
// when it is not such a JSON document.
Result<Alias> load_alias(const std::string& config_file, std::string_view name);

// "64M", "1G", "4096", "512k" -> bytes (binary units). nullopt when malformed.
std::optional<uint64_t> parse_size(std::string_view text);

// The --help text.
std::string usage_text();

}  // namespace maxio::fuse
