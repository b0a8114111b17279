#include "fuse/mount/options.h"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fuse/mount/path_map.h"
#include "shared/util/strings.h"

namespace maxio::fuse {
namespace {

Status bad(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<double> parse_seconds(std::string_view text) {
  try {
    size_t used = 0;
    std::string s(text);
    double v = std::stod(s, &used);
    if (used != s.size() || v < 0) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// fstab options mount(8) or systemd may hand over that mean nothing to a FUSE mount.
bool is_ignored_fstab_option(std::string_view name) {
  return name == "defaults" || name == "auto" || name == "noauto" || name == "_netdev" ||
         name == "nofail" || name == "user" || name == "nouser" || name == "users" ||
         name == "owner" || name == "group" || name == "comment" || name.rfind("x-", 0) == 0 ||
         name.rfind("comment=", 0) == 0;
}

// Applies one -o option (name or name=value) to `out`.
Status apply_option(std::string_view option, MountOptions& out) {
  size_t eq = option.find('=');
  std::string_view name = option.substr(0, eq);
  std::string_view value =
      eq == std::string_view::npos ? std::string_view() : option.substr(eq + 1);
  bool has_value = eq != std::string_view::npos;
  auto need_value = [&]() -> Status {
    if (!has_value)
      return bad("option " + std::string(name) + " needs a value (" + std::string(name) + "=...)");
    return Status::ok();
  };
  auto set_seconds = [&](double& field) -> Status {
    MAXIO_RETURN_IF_ERROR(need_value());
    auto v = parse_seconds(value);
    if (!v)
      return bad("option " + std::string(name) +
                 ": not a number of seconds: " + std::string(value));
    field = *v;
    return Status::ok();
  };
  auto set_size = [&](uint64_t& field) -> Status {
    MAXIO_RETURN_IF_ERROR(need_value());
    auto v = parse_size(value);
    if (!v) return bad("option " + std::string(name) + ": not a size: " + std::string(value));
    field = *v;
    return Status::ok();
  };
  auto set_id = [&](std::optional<uint32_t>& field) -> Status {
    MAXIO_RETURN_IF_ERROR(need_value());
    auto v = parse_u64(value);
    if (!v || *v > UINT32_MAX) return bad("option " + std::string(name) + ": not an id");
    field = static_cast<uint32_t>(*v);
    return Status::ok();
  };
  auto set_string = [&](std::string& field) -> Status {
    MAXIO_RETURN_IF_ERROR(need_value());
    field = std::string(value);
    return Status::ok();
  };

  if (option.empty() || is_ignored_fstab_option(name)) return Status::ok();
  if (name == "endpoint" || name == "url") return set_string(out.endpoint);
  if (name == "access_key") return set_string(out.access_key);
  if (name == "secret_key") return set_string(out.secret_key);
  if (name == "session_token") return set_string(out.session_token);
  if (name == "region") return set_string(out.region);
  if (name == "alias") return set_string(out.alias);
  if (name == "config") return set_string(out.config_file);
  if (name == "cache_dir") return set_string(out.cache_dir);
  if (name == "log_file") return set_string(out.log_file);
  if (name == "payload_signing") {
    MAXIO_RETURN_IF_ERROR(need_value());
    if (value != "auto" && value != "unsigned" && value != "streaming") {
      return bad("option payload_signing: auto, unsigned or streaming");
    }
    out.payload_signing = std::string(value);
    return Status::ok();
  }
  if (name == "path_style") {
    out.path_style = value != "0" && value != "false" && value != "off";
    return Status::ok();
  }
  if (name == "virtual_host") {
    out.path_style = false;
    return Status::ok();
  }
  if (name == "ro") {
    out.read_only = true;
    return Status::ok();
  }
  if (name == "rw") {
    out.read_only = false;
    return Status::ok();
  }
  if (name == "allow_other") {
    out.allow_other = true;
    return Status::ok();
  }
  if (name == "uid") return set_id(out.uid);
  if (name == "gid") return set_id(out.gid);
  if (name == "umask") {
    MAXIO_RETURN_IF_ERROR(need_value());
    uint32_t mask = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), mask, 8);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || mask > 0777) {
      return bad("option umask: not an octal mask: " + std::string(value));
    }
    out.umask = mask;
    return Status::ok();
  }
  if (name == "attr_timeout") return set_seconds(out.attr_timeout);
  if (name == "entry_timeout") return set_seconds(out.entry_timeout);
  if (name == "negative_timeout") return set_seconds(out.negative_timeout);
  if (name == "stat_cache_ttl") return set_seconds(out.stat_cache_ttl);
  if (name == "negative_cache_ttl") return set_seconds(out.negative_cache_ttl);
  if (name == "cache_size") return set_size(out.cache_size);
  if (name == "multipart_threshold") return set_size(out.multipart_threshold);
  if (name == "read_ahead_memory") return set_size(out.read_ahead_memory);
  if (name == "part_size") {
    MAXIO_RETURN_IF_ERROR(set_size(out.part_size));
    if (out.part_size < (5ull << 20)) return bad("option part_size: at least 5M");
    return Status::ok();
  }
  if (name == "max_write") {
    MAXIO_RETURN_IF_ERROR(set_size(out.max_write));
    if (out.max_write < 4096 || out.max_write > (1 << 20)) {
      return bad("option max_write: between 4k and 1M");
    }
    return Status::ok();
  }
  if (name == "readdir_prefetch") {
    MAXIO_RETURN_IF_ERROR(need_value());
    auto v = parse_u64(value);
    if (!v) return bad("option readdir_prefetch: a number of entries");
    out.readdir_prefetch = *v;
    return Status::ok();
  }
  if (name == "parallel") {
    MAXIO_RETURN_IF_ERROR(need_value());
    auto v = parse_u64(value);
    if (!v || *v < 1 || *v > 64) return bad("option parallel: 1 to 64");
    out.parallel = static_cast<int>(*v);
    return Status::ok();
  }
  // Anything else goes to libfuse, which rejects what it does not know.
  out.fuse_options.emplace_back(option);
  return Status::ok();
}

Status apply_option_list(std::string_view list, MountOptions& out) {
  for (const std::string& option : split(list, ',')) {
    MAXIO_RETURN_IF_ERROR(apply_option(option, out));
  }
  return Status::ok();
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t multiplier = 1;
  char last = text.back();
  if (last == 'i' && text.size() >= 2) {  // "64Mi"
    text.remove_suffix(1);
    last = text.back();
  }
  switch (last) {
    case 'k':
    case 'K':
      multiplier = 1ull << 10;
      break;
    case 'm':
    case 'M':
      multiplier = 1ull << 20;
      break;
    case 'g':
    case 'G':
      multiplier = 1ull << 30;
      break;
    case 't':
    case 'T':
      multiplier = 1ull << 40;
      break;
    default:
      break;
  }
  if (multiplier != 1) text.remove_suffix(1);
  auto v = parse_u64(text);
  if (!v || *v > UINT64_MAX / multiplier) return std::nullopt;
  return *v * multiplier;
}

Result<Alias> load_alias(const std::string& config_file, std::string_view name) {
  std::ifstream in(config_file);
  if (!in) return Status(ErrorCode::kIo, "cannot read " + config_file);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status(ErrorCode::kInvalidArgument, config_file + " is not a JSON object");
  }
  auto aliases = doc.find("aliases");
  if (aliases == doc.end() || !aliases->is_object()) {
    return Status(ErrorCode::kInvalidArgument, config_file + " has no \"aliases\" object");
  }
  auto entry = aliases->find(std::string(name));
  if (entry == aliases->end()) {
    return Status(ErrorCode::kNoSuchKey,
                  "no alias \"" + std::string(name) + "\" in " + config_file);
  }
  if (!entry->is_object()) {
    return Status(ErrorCode::kInvalidArgument, "alias " + std::string(name) + " is not an object");
  }
  Alias alias;
  auto get = [&](const char* field) -> std::string {
    auto it = entry->find(field);
    return it != entry->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  alias.url = get("url");
  alias.access_key = get("accessKey");
  alias.secret_key = get("secretKey");
  alias.path_style = get("path") != "off";
  if (alias.url.empty()) {
    return Status(ErrorCode::kInvalidArgument, "alias " + std::string(name) + " has no url");
  }
  return alias;
}

Result<MountOptions> parse_mount_options(const std::vector<std::string>& args,
                                         const EnvLookup& env) {
  MountOptions out;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto next = [&](const char* flag) -> Result<std::string> {
      if (i + 1 >= args.size()) return bad(std::string(flag) + " needs a value");
      return args[++i];
    };
    auto long_value = [&](std::string_view flag, std::string& field) -> Result<bool> {
      if (arg == flag) {
        MAXIO_TRY(field, next(std::string(flag).c_str()));
        return true;
      }
      if (arg.size() > flag.size() && arg.compare(0, flag.size(), flag) == 0 &&
          arg[flag.size()] == '=') {
        field = arg.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    if (arg == "-h" || arg == "--help") {
      out.show_help = true;
    } else if (arg == "-V" || arg == "--version") {
      out.show_version = true;
    } else if (arg == "-f" || arg == "--foreground") {
      out.foreground = true;
    } else if (arg == "-d" || arg == "--debug") {
      out.debug = true;
      out.foreground = true;
    } else if (arg == "-s") {
      out.single_thread = true;
    } else if (arg == "-o") {
      MAXIO_TRY(std::string list, next("-o"));
      MAXIO_RETURN_IF_ERROR(apply_option_list(list, out));
    } else if (arg.size() > 2 && arg.compare(0, 2, "-o") == 0) {
      MAXIO_RETURN_IF_ERROR(apply_option_list(std::string_view(arg).substr(2), out));
    } else if (arg == "-r" || arg == "--read-only") {
      out.read_only = true;
    } else if (arg == "-n" || arg == "-v" || arg == "-w") {
      // mount(8) helper flags (no mtab, verbose, read-write): nothing to do.
    } else if (arg.rfind("--", 0) == 0) {
      MAXIO_TRY(bool e, long_value("--endpoint", out.endpoint));
      if (e) continue;
      MAXIO_TRY(bool a, long_value("--alias", out.alias));
      if (a) continue;
      MAXIO_TRY(bool c, long_value("--config", out.config_file));
      if (c) continue;
      MAXIO_TRY(bool r, long_value("--region", out.region));
      if (r) continue;
      return bad("unknown option " + arg + " (see --help)");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return bad("unknown option " + arg + " (see --help)");
    } else {
      positional.push_back(arg);
    }
  }
  if (out.show_help || out.show_version) return out;
  if (positional.size() != 2) {
    return bad("expected BUCKET[/PREFIX] and MOUNTPOINT (see --help)");
  }
  MAXIO_TRY(BucketPath bp, parse_bucket_path(positional[0]));
  out.bucket = std::move(bp.bucket);
  out.prefix = std::move(bp.prefix);
  out.mountpoint = positional[1];

  if (out.config_file.empty()) {
    if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
      out.config_file = *xdg + "/maxio/config.json";
    } else if (auto home = env("HOME"); home && !home->empty()) {
      out.config_file = *home + "/.config/maxio/config.json";
    } else {
      out.config_file = "/root/.config/maxio/config.json";
    }
  }
  if (!out.alias.empty()) {
    MAXIO_TRY(Alias alias, load_alias(out.config_file, out.alias));
    if (out.endpoint.empty()) out.endpoint = alias.url;
    if (out.access_key.empty()) out.access_key = alias.access_key;
    if (out.secret_key.empty()) out.secret_key = alias.secret_key;
    out.path_style = alias.path_style;
  }
  auto from_env = [&](std::string& field, std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (!field.empty()) return;
      if (auto v = env(name); v && !v->empty()) field = *v;
    }
  };
  from_env(out.endpoint, {"MAXIO_ENDPOINT"});
  bool keys_given = !out.access_key.empty() || !out.secret_key.empty();
  if (!keys_given) {
    from_env(out.access_key, {"MAXIO_ACCESS_KEY", "AWS_ACCESS_KEY_ID"});
    from_env(out.secret_key, {"MAXIO_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"});
    from_env(out.session_token, {"AWS_SESSION_TOKEN"});
  }
  if (out.endpoint.empty()) {
    return bad(
        "no endpoint: give --endpoint URL, -o endpoint=URL, -o alias=NAME or set "
        "MAXIO_ENDPOINT");
  }
  if (out.access_key.empty() || out.secret_key.empty()) {
    return bad(
        "no credentials: give -o access_key=...,secret_key=..., -o alias=NAME, or set "
        "MAXIO_ACCESS_KEY and MAXIO_SECRET_KEY (or AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY)");
  }
  return out;
}

std::string usage_text() {
  return R"(usage: maxio-mount [options] BUCKET[/PREFIX] MOUNTPOINT
       maxio-mount BUCKET[/PREFIX] MOUNTPOINT -o OPTIONS      (mount(8) / fstab form)

Mounts an S3 bucket (or a prefix inside it) as a directory. Unmount with
`fusermount3 -u MOUNTPOINT`, `umount MOUNTPOINT` (root) or SIGTERM to maxio-mount.

  -h, --help               this text
  -V, --version            the version
  -f, --foreground         stay in the foreground (default: detach once mounted)
  -d, --debug              foreground, with libfuse's request trace
  -s                       single-threaded FUSE loop
  --endpoint URL           S3 endpoint, e.g. http://127.0.0.1:9000 (or -o endpoint=URL)
  --alias NAME             endpoint and keys from the maxioctl config (or -o alias=NAME)
  --config FILE            the maxioctl config (default ~/.config/maxio/config.json)
  --region REGION          signing region (default us-east-1)
  -o OPT[,OPT...]          mount options:
     endpoint=URL, access_key=KEY, secret_key=KEY, session_token=TOKEN, region=R,
     alias=NAME, config=FILE, virtual_host (virtual-host-style URLs; default path-style)
     payload_signing=auto|unsigned|streaming  how streamed uploads are signed (default
                           auto: each aws-chunked chunk signed over http, UNSIGNED-PAYLOAD
                           over https)
     ro / rw               read-only / read-write mount
     allow_other           let other users in (needs user_allow_other in /etc/fuse.conf
                           unless root)
     uid=N, gid=N          show every entry as owned by N (default: the stored owner,
                           else the mounting user)
     umask=OOO             removed from every entry's permissions (default 0: stored
                           modes as they are; entries without one show 0644 / 0755)
     attr_timeout=S        kernel attribute cache (default 1 s)
     entry_timeout=S       kernel name cache (default 1 s)
     negative_timeout=S    kernel cache of missing names (default 0)
     stat_cache_ttl=S      maxio-mount's metadata cache (default 5 s)
     negative_cache_ttl=S  maxio-mount's cache of missing names (default 2 s)
     log_file=FILE         append warnings (failed uploads, ...) there; once detached
                           they are otherwise discarded (or run with -f under systemd)
     cache_dir=DIR         where files being written are staged (default $TMPDIR or /tmp)
     cache_size=SIZE       most bytes staged at once; beyond, writes fail with ENOSPC
                           (default: no limit)
     multipart_threshold=SIZE  upload larger files in parts (default 64M), when the
                           server supports multipart uploads
     part_size=SIZE        multipart part size (default 16M, at least 5M)
     parallel=N            parallel GETs for read-ahead and part uploads (default 8)
     read_ahead_memory=SIZE  read-ahead blocks held by all readers together (default 256M)
     readdir_prefetch=N    entries per directory listing whose attributes are fetched
                           ahead, in parallel, for ls -l and tree walks (default 5000)
     max_write=SIZE        largest FUSE write (default 1M)
     any other option is passed to libfuse (fsname=, default_permissions, ...)

Endpoint and credentials, first found wins: options, -o alias=NAME, then the environment:
MAXIO_ENDPOINT, MAXIO_ACCESS_KEY / MAXIO_SECRET_KEY, AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN).

fstab:  mybucket  /mnt/mybucket  fuse.maxio-mount  _netdev,alias=local,allow_other  0 0
)";
}

}  // namespace maxio::fuse
