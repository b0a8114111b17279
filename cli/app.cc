#include "cli/app.h"

#include <algorithm>
#include <sstream>

#include "cli/commands/commands.h"

namespace maxio::cli {

namespace {

constexpr char kVersion[] = "maxioctl 0.1.0";

const FlagSpec kRecursive{"recursive", 'r', "", "descend into directories and prefixes"};
const FlagSpec kVersionId{"version-id", 0, "ID", "a specific version of the object"};
const FlagSpec kParallel{"parallel", 'P', "N",
                         "parts, ranges or objects in flight at once (default 4)"};
const FlagSpec kPartSize{"part-size", 0, "SIZE",
                         "multipart part size (default 16MiB; grown to stay within 10000 parts)"};
const FlagSpec kDryRun{"dry-run", 0, "", "show what would be done, change nothing"};

std::vector<Command> make_commands() {
  std::vector<Command> c;
  // ---- aliases ----
  c.push_back({"alias set",
               "NAME URL [ACCESS-KEY SECRET-KEY]",
               "add or replace an alias (a server URL and credentials)",
               "Keys missing from the command line are read from standard input, one per line.\n"
               "The configuration lives in $MAXIO_CONFIG_DIR/config.json (default\n"
               "~/.config/maxio/config.json), mode 0600. An alias may also be given in the\n"
               "environment as MAXIO_HOST_<NAME>=http(s)://ACCESS-KEY:SECRET-KEY@HOST[:PORT].\n\n"
               "EXAMPLE:\n  maxioctl alias set local http://127.0.0.1:9000 minioadmin minioadmin",
               {{"api", 0, "API", "signature version: s3v4 (the only one)"},
                {"path", 0, "MODE", "bucket addressing: auto (default), on (path-style), off"},
                {"region", 0, "REGION", "region to sign for (default us-east-1)"}},
               2,
               4,
               &run_alias_set,
               /*hidden=*/false,
               /*needs_config=*/true,
               /*verbatim_after=*/2});
  c.push_back({"alias ls", "[NAME]", "list aliases", "", {}, 0, 1, &run_alias_ls});
  c.push_back({"alias rm", "NAME", "remove an alias", "", {}, 1, 1, &run_alias_rm});

  // ---- buckets and objects ----
  c.push_back({"ls",
               "[FLAGS] TARGET...",
               "list buckets, objects or files",
               "ALIAS lists buckets; ALIAS/BUCKET[/PREFIX] lists objects, with prefixes shown as\n"
               "folders unless -r. ALIAS/BUCKET/NAME shows the object NAME and the contents of\n"
               "NAME/. A local path lists files.\n\n"
               "EXAMPLES:\n  maxioctl ls local\n  maxioctl ls -r local/photos/2024/",
               {kRecursive, {"versions", 0, "", "list every version and delete marker"}},
               0,
               static_cast<size_t>(-1),
               &run_ls});
  c.push_back({"mb",
               "[FLAGS] ALIAS/BUCKET...",
               "make buckets",
               "",
               {{"ignore-existing", 'p', "", "succeed when the bucket exists already"},
                {"region", 0, "REGION", "the bucket's location constraint"}},
               1,
               static_cast<size_t>(-1),
               &run_mb});
  c.push_back({"rb",
               "[FLAGS] ALIAS/BUCKET...",
               "remove buckets",
               "Without --force only an empty bucket is removed.",
               {{"force", 0, "", "remove every object and version in the bucket first"}},
               1,
               static_cast<size_t>(-1),
               &run_rb});
  c.push_back(
      {"cp",
       "[FLAGS] SOURCE... TARGET",
       "copy files and objects",
       "Copies local to remote, remote to local, remote to remote (server-side within one\n"
       "server) and local to local. A TARGET ending in '/', a bucket, or an existing local\n"
       "directory receives SOURCE under its base name; several sources need such a TARGET.\n"
       "With -r a SOURCE directory or prefix is copied as TARGET/<its name>/...; a SOURCE\n"
       "ending in '/' copies its contents into TARGET instead (as rsync does).\n"
       "Objects larger than the part size upload as multipart uploads with parallel parts;\n"
       "a server without multipart support (HTTP 501) gets one streamed PUT (at most 5 GiB).\n"
       "Large downloads fetch parallel ranges into a temporary file renamed when complete.\n\n"
       "EXAMPLES:\n  maxioctl cp backup.tar local/archive/\n"
       "  maxioctl cp -r ./site/ local/www\n  maxioctl cp local/archive/backup.tar /tmp/",
       {kRecursive,
        kParallel,
        kPartSize,
        {"content-type", 0, "TYPE", "Content-Type of uploaded objects (default: by extension)"},
        {"preserve", 'a', "", "give downloaded files the object's modification time"},
        kVersionId},
       2,
       static_cast<size_t>(-1),
       &run_cp});
  c.push_back({"mv",
               "[FLAGS] SOURCE... TARGET",
               "move files and objects",
               "cp, then removes each source that was copied.",
               {kRecursive,
                kParallel,
                kPartSize,
                {"content-type", 0, "TYPE", "Content-Type of uploaded objects"}},
               2,
               static_cast<size_t>(-1),
               &run_mv});
  c.push_back(
      {"rm",
       "[FLAGS] TARGET...",
       "remove objects",
       "Removing more than one object by prefix needs -r and --force. ALIAS/BUCKET/NAME with\n"
       "-r removes the object NAME and everything under NAME/.",
       {kRecursive,
        {"force", 0, "", "allow recursive removal"},
        {"versions", 0, "", "remove every version (and delete marker) of the objects"},
        kVersionId,
        kDryRun},
       1,
       static_cast<size_t>(-1),
       &run_rm});
  c.push_back({"cat",
               "[FLAGS] TARGET...",
               "write objects or files to standard output",
               "",
               {kVersionId},
               1,
               static_cast<size_t>(-1),
               &run_cat});
  c.push_back({"stat",
               "[FLAGS] TARGET...",
               "show object, bucket or file details",
               "",
               {kVersionId},
               1,
               static_cast<size_t>(-1),
               &run_stat});
  c.push_back(
      {"mirror",
       "[FLAGS] SOURCE TARGET",
       "synchronize a directory or prefix to another",
       "Copies files that are new or changed in SOURCE to TARGET: changed means a different\n"
       "size, or a newer modification time (between two remote places: a different ETag and\n"
       "a newer time). Downloaded files get the object's modification time, so a second run\n"
       "copies nothing. With --remove, TARGET files missing from SOURCE are removed.\n\n"
       "EXAMPLE:\n  maxioctl mirror --remove ./photos local/photos",
       {{"remove", 0, "", "remove target files and objects that are not in SOURCE"},
        kDryRun,
        kParallel,
        kPartSize},
       2,
       2,
       &run_mirror});
  c.push_back({"presign",
               "[FLAGS] ALIAS/BUCKET/KEY",
               "print a presigned URL for an object",
               "The URL is signed with the alias's credentials and works without them until\n"
               "it expires (at most 7 days).",
               {{"expire", 'e', "DURATION", "validity, e.g. 30m, 12h, 7d (default 7d)"},
                {"put", 0, "", "a URL to upload the object (PUT) instead of downloading it"},
                kVersionId},
               1,
               1,
               &run_presign});

  // ---- admin ----
  c.push_back({"admin info",
               "ALIAS",
               "show the server and its pools, sets and drives",
               "",
               {},
               1,
               1,
               &run_admin_info});
  c.push_back({"admin datausage",
               "ALIAS",
               "show objects and bytes per bucket (last scan)",
               "",
               {},
               1,
               1,
               &run_admin_datausage});
  c.push_back({"admin heal",
               "[FLAGS] ALIAS[/BUCKET[/PREFIX]]",
               "heal objects and show the progress until done",
               "Starts a heal run (every bucket, one bucket, or a prefix) and follows it until\n"
               "it finishes. Ctrl-C stops following; the run goes on (stop it with --stop).",
               {{"deep", 0, "", "also verify every shard's bitrot hash (slow)"},
                {"status", 0, "", "show the current or last run and return"},
                {"stop", 0, "", "stop the running heal"},
                {"no-wait", 0, "", "start the run and return"}},
               1,
               1,
               &run_admin_heal});
  c.push_back({"admin config get",
               "ALIAS [KEY...]",
               "show the server configuration",
               "Keys are dotted paths (scanner.interval). Text output is KEY=VALUE lines.",
               {},
               1,
               static_cast<size_t>(-1),
               &run_admin_config_get});
  c.push_back({"admin config set",
               "ALIAS KEY=VALUE...",
               "change the server configuration",
               "VALUE is taken as JSON when it parses as a number, true, false or null (null\n"
               "resets a key to its default), else as a string. Changes apply at the next\n"
               "start of the server.\n\nEXAMPLE:\n"
               "  maxioctl admin config set local scanner.interval=5m region=eu-west-1",
               {},
               2,
               static_cast<size_t>(-1),
               &run_admin_config_set});
  c.push_back({"admin config history",
               "ALIAS",
               "list earlier configurations",
               "",
               {},
               1,
               1,
               &run_admin_config_history});
  c.push_back({"admin config restore",
               "ALIAS ID",
               "restore an earlier configuration",
               "",
               {},
               2,
               2,
               &run_admin_config_restore});
  c.push_back({"admin service restart",
               "ALIAS",
               "restart the server",
               "",
               {},
               1,
               1,
               &run_admin_service_restart});
  c.push_back(
      {"admin service stop", "ALIAS", "stop the server", "", {}, 1, 1, &run_admin_service_stop});
  c.push_back({"admin trace",
               "[FLAGS] ALIAS",
               "show the requests the server handles, live",
               "Runs until Ctrl-C.",
               {{"errors", 'e', "", "only requests that failed (status 400 and above)"},
                {"api", 0, "NAMES", "only these APIs, e.g. PutObject,Get* (comma-separated)"}},
               1,
               1,
               &run_admin_trace});
  c.push_back({"admin log",
               "[FLAGS] ALIAS",
               "show the server's log, live",
               "Runs until Ctrl-C.",
               {{"level", 0, "LEVEL", "debug, info, warning or error (default: all)"},
                {"last", 'n', "N", "start with the last N lines of history"}},
               1,
               1,
               &run_admin_log});
  c.push_back({"admin prometheus generate",
               "ALIAS [cluster|node]",
               "print a Prometheus scrape configuration for the server",
               "The bearer token is a JWT (HS512) signed with the alias's secret key, valid for\n"
               "100 years, as MinIO's mc generates it.",
               {},
               1,
               2,
               &run_admin_prometheus_generate});

  c.push_back({"completion",
               "bash",
               "print the bash completion script",
               "Load it with:  source <(maxioctl completion bash)",
               {},
               1,
               1,
               &run_completion,
               false,
               false});
  c.push_back({"__complete",
               "-- WORDS...",
               "print completion candidates",
               "",
               {},
               0,
               static_cast<size_t>(-1),
               &run_complete_word,
               true});
  return c;
}

const std::vector<FlagSpec> kGlobalFlags = {
    {"json", 0, "", "JSON output: one object per line"},
    {"quiet", 'q', "", "no progress or status messages"},
    {"insecure", 0, "", "do not verify TLS certificates"},
    {"config-dir", 'C', "DIR",
     "configuration directory (default $MAXIO_CONFIG_DIR or "
     "~/.config/maxio)"},
    {"help", 'h', "", "show help"},
};

std::string flag_lines(const std::vector<FlagSpec>& flags) {
  std::ostringstream out;
  for (const FlagSpec& flag : flags) {
    if (flag.hidden) continue;
    std::string left = flag.short_name ? std::string("-") + flag.short_name + ", " : "    ";
    left += "--" + flag.name;
    if (!flag.value_name.empty()) left += " " + flag.value_name;
    out << "  " << left;
    out << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << flag.help << '\n';
  }
  return out.str();
}

// Groups: the first word(s) of commands with more words ("alias", "admin", "admin config").
bool is_group(const std::string& words) {
  for (const Command& command : commands()) {
    if (command.name.starts_with(words + " ")) return true;
  }
  return false;
}

const Command* find_command(const std::string& words) {
  for (const Command& command : commands()) {
    if (command.name == words) return &command;
  }
  return nullptr;
}

const FlagSpec* find_global(std::string_view arg) {
  for (const FlagSpec& flag : kGlobalFlags) {
    if (arg == "--" + flag.name) return &flag;
    if (flag.short_name && arg.size() == 2 && arg[0] == '-' && arg[1] == flag.short_name) {
      return &flag;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = make_commands();
  return kCommands;
}

const std::vector<FlagSpec>& global_flags() { return kGlobalFlags; }

std::string command_help(const Command& command) {
  std::ostringstream out;
  out << "NAME:\n  maxioctl " << command.name << " - " << command.summary << "\n\n";
  out << "USAGE:\n  maxioctl " << command.name << " " << command.usage << "\n";
  if (!command.help.empty()) {
    out << "\n";
    std::istringstream lines(command.help);
    std::string line;
    while (std::getline(lines, line)) out << (line.empty() ? "" : "  ") << line << '\n';
  }
  if (!command.flags.empty()) out << "\nFLAGS:\n" << flag_lines(command.flags);
  out << "\nGLOBAL FLAGS:\n" << flag_lines(kGlobalFlags);
  return out.str();
}

std::string group_help(const std::string& group) {
  std::ostringstream out;
  if (group.empty()) {
    out << "maxioctl - the Maxio command line: buckets, objects and server administration\n\n"
        << "USAGE:\n  maxioctl [GLOBAL FLAGS] COMMAND [FLAGS] [ARGUMENTS...]\n\n";
  } else {
    out << "USAGE:\n  maxioctl " << group << " COMMAND [FLAGS] [ARGUMENTS...]\n\n";
  }
  out << "COMMANDS:\n";
  for (const Command& command : commands()) {
    if (command.hidden) continue;
    if (!group.empty() && !command.name.starts_with(group + " ")) continue;
    std::string name = group.empty() ? command.name : command.name.substr(group.size() + 1);
    out << "  " << name << std::string(name.size() < 26 ? 26 - name.size() : 1, ' ')
        << command.summary << '\n';
  }
  out << "\nGLOBAL FLAGS:\n" << flag_lines(kGlobalFlags);
  out << "\nPaths are ALIAS[/BUCKET[/KEY]] for remote places (see 'maxioctl alias set') and\n"
         "anything else for local files. Run 'maxioctl COMMAND --help' for a command's flags.\n"
         "Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.\n";
  return out.str();
}

int run_maxioctl(const std::vector<std::string>& args, const RunEnvironment& env) {
  Console console(env.out, env.err, env.err_is_tty);

  // Find the command words, skipping flags (and the values of global flags).
  std::string words;
  std::vector<std::string> rest;
  bool words_done = false;
  bool after_dashes = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (after_dashes) {
      rest.push_back(arg);
      continue;
    }
    if (arg == "--") {
      after_dashes = true;
      rest.push_back(arg);
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      rest.push_back(arg);
      const FlagSpec* global = find_global(arg);
      if (global != nullptr && !global->value_name.empty() && i + 1 < args.size()) {
        rest.push_back(args[++i]);
      }
      continue;
    }
    if (!words_done) {
      std::string candidate = words.empty() ? arg : words + " " + arg;
      if (find_command(candidate) != nullptr || is_group(candidate)) {
        words = candidate;
        if (!is_group(candidate)) words_done = true;
        continue;
      }
      words_done = true;
    }
    rest.push_back(arg);
  }

  const Command* command = find_command(words);
  if (command == nullptr) {
    // A group, or nothing: only global flags are accepted.
    auto parsed = parse_flags(kGlobalFlags, rest);
    bool help = parsed && parsed->has("help");
    if (words.empty() && std::find(args.begin(), args.end(), "--version") != args.end()) {
      env.out << kVersion << '\n';
      return kExitOk;
    }
    if (parsed && parsed->has("json")) console.set_json(true);
    if (!parsed) {
      console.error(parsed.status().message() + " (see maxioctl --help)");
      return kExitUsage;
    }
    if (!parsed->positional.empty()) {
      std::string unknown =
          words.empty() ? parsed->positional[0] : words + " " + parsed->positional[0];
      console.error("unknown command '" + unknown + "' (see maxioctl " + words +
                    (words.empty() ? "" : " ") + "--help)");
      return kExitUsage;
    }
    if (help) {
      env.out << group_help(words);
      return kExitOk;
    }
    env.err << group_help(words);
    return kExitUsage;
  }

  std::vector<FlagSpec> flags = command->flags;
  flags.insert(flags.end(), kGlobalFlags.begin(), kGlobalFlags.end());
  size_t verbatim_count =
      command->verbatim_after < command->max_args ? command->max_args - command->verbatim_after : 0;
  auto parsed = parse_flags(flags, rest, command->verbatim_after, verbatim_count);
  if (!parsed) {
    if (std::find(rest.begin(), rest.end(), "--json") != rest.end()) console.set_json(true);
    console.error(parsed.status().message() + " (see maxioctl " + command->name + " --help)");
    return kExitUsage;
  }
  if (parsed->has("help")) {
    env.out << command_help(*command);
    return kExitOk;
  }
  GlobalOptions options;
  options.json = parsed->has("json");
  options.quiet = parsed->has("quiet");
  options.insecure = parsed->has("insecure");
  options.config_dir = parsed->get("config-dir");
  console.set_json(options.json);
  console.set_quiet(options.quiet);

  size_t count = parsed->positional.size();
  if (count < command->min_args || count > command->max_args) {
    console.error(std::string(count < command->min_args ? "missing" : "too many") +
                  " arguments: maxioctl " + command->name + " " + command->usage +
                  " (see maxioctl " + command->name + " --help)");
    return kExitUsage;
  }

  Session session(console, env.env, options);
  if (command->needs_config) {
    if (Status loaded = session.load_config(); !loaded) {
      console.error(loaded.message(), error_code(loaded));
      return kExitError;
    }
  }
  Invocation invocation{session, console, env.in, std::move(parsed).value(), command->name};
  return command->run(invocation);
}

}  // namespace maxio::cli
