// cp, mv, mirror: plan which source goes where, then run the transfers (transfer.h) on a
// few threads, reporting each.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/format.h"
#include "cli/transfer.h"

namespace maxio::cli {

namespace {

namespace fs = std::filesystem;

struct CopyJob {
  SourceObject source;
  Target destination;
};

// The place `relative` (a '/'-separated name) takes under a directory-like target.
Result<Target> under(const Target& dir, const std::string& relative) {
  Target out = dir;
  if (dir.remote) {
    out.key = join_key(dir.key, relative);
    out.text = out.display();
    return out;
  }
  MAXIO_TRY(std::string safe, key_to_relative_path(relative));
  out.path = (fs::path(dir.path.empty() ? "." : dir.path) / safe).string();
  out.text = out.path;
  return out;
}

// The base name a recursive copy gives a source directory or prefix: "" when the argument
// ends in '/' (its contents go straight into the target).
std::string tree_base(const Target& source) {
  if (source.text.ends_with('/')) return "";
  if (!source.remote) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(source.path, ec), ec);
    return canonical.filename().string();
  }
  return source.base_name();
}

// The listing prefix of a remote directory-like source: the bucket, "dir/" as given, or
// "name" + "/".
std::string tree_prefix(const Target& source) {
  if (source.key.empty() || source.key.ends_with('/')) return source.key;
  return source.key + "/";
}

struct CopyFlags {
  TransferOptions transfer;
  bool recursive = false;
  std::string version_id;
};

Result<CopyFlags> copy_flags(Invocation& invocation) {
  CopyFlags flags;
  flags.recursive = invocation.args.has("recursive");
  flags.version_id = invocation.args.get("version-id");
  MAXIO_TRY(flags.transfer.parallel, int_flag(invocation, "parallel", kDefaultParallel, 1, 64));
  if (invocation.args.has("part-size")) {
    MAXIO_TRY(flags.transfer.part_size, parse_size(invocation.args.get("part-size")));
    if (flags.transfer.part_size < kMinPartSize || flags.transfer.part_size > kMaxPartSize) {
      return Status(ErrorCode::kInvalidArgument, "--part-size: from 5MiB to 5GiB");
    }
  }
  flags.transfer.content_type = invocation.args.get("content-type");
  flags.transfer.preserve_mtime = invocation.args.has("preserve");
  return flags;
}

bool is_local_directory(const Target& target) {
  std::error_code ec;
  return !target.remote && fs::is_directory(target.path, ec);
}

// Works out the copies of `cp SOURCE... TARGET`; errors about single sources are reported
// (and counted in `errors`), the others are returned as jobs.
std::vector<CopyJob> plan_copies(Invocation& invocation, const std::vector<std::string>& sources,
                                 const Target& destination, const CopyFlags& flags, int& errors) {
  std::vector<CopyJob> jobs;
  const bool into_directory = sources.size() > 1 || flags.recursive ||
                              destination.names_directory() || is_local_directory(destination);
  auto report = [&](const std::string& arg, const Status& status) {
    fail(invocation, status, invocation.command + " " + arg);
    ++errors;
  };
  auto add_single = [&](const std::string& arg, SourceObject source) {
    Target target = destination;
    if (into_directory) {
      auto placed = under(destination, source.target.base_name());
      if (!placed) return report(arg, placed.status());
      target = *placed;
    }
    jobs.push_back({std::move(source), std::move(target)});
  };

  for (const std::string& arg : sources) {
    Target source = invocation.session.target(arg);
    if (source.remote) {
      auto checked = remote_target(invocation, arg, "bucket");
      if (!checked) {
        report(arg, checked.status());
        continue;
      }
    }
    bool tree = false;
    if (flags.recursive) {
      tree = source.remote ? true : is_local_directory(source);
    }
    if (!tree) {
      auto stat = stat_source(invocation.session, source, flags.version_id);
      if (!stat) {
        report(arg, stat.status());
        continue;
      }
      add_single(arg, std::move(stat).value());
      continue;
    }
    std::string base = tree_base(source);
    auto root = base.empty() ? Result<Target>(destination) : under(destination, base);
    if (!root) {
      report(arg, root.status());
      continue;
    }
    if (!source.remote) {
      auto files = list_local_tree(source.path);
      if (!files) {
        report(arg, files.status());
        continue;
      }
      for (const auto& file : *files) {
        SourceObject object;
        object.target = source;
        object.target.path = (fs::path(source.path) / file.name).string();
        object.target.text = object.target.path;
        object.size = file.size;
        object.mtime = file.mtime;
        auto placed = under(*root, file.name);
        if (!placed) {
          report(object.target.path, placed.status());
          continue;
        }
        jobs.push_back({std::move(object), std::move(*placed)});
      }
      continue;
    }
    size_t before = jobs.size();
    // ALIAS/BUCKET/NAME with -r: the object NAME itself, then everything under NAME/.
    if (!source.key.empty() && !source.key.ends_with('/')) {
      auto stat = stat_source(invocation.session, source, flags.version_id);
      if (stat) {
        add_single(arg, std::move(stat).value());
      } else if (stat.code() != ErrorCode::kNoSuchKey) {
        report(arg, stat.status());
        continue;
      }
    }
    std::string prefix = tree_prefix(source);
    auto objects = list_remote_tree(invocation.session, source, prefix, !destination.remote);
    if (!objects) {
      report(arg, objects.status());
      continue;
    }
    for (const auto& listed : *objects) {
      SourceObject object;
      object.target = source.with_key(prefix + listed.name);
      object.size = listed.size;
      object.mtime = listed.mtime;
      object.etag = listed.etag;
      auto placed = under(*root, listed.name);
      if (!placed) {
        report(object.target.display(), placed.status());
        continue;
      }
      jobs.push_back({std::move(object), std::move(*placed)});
    }
    if (jobs.size() == before) {
      report(arg, Status(ErrorCode::kNoSuchKey, "Object does not exist (NoSuchKey)"));
    }
  }
  return jobs;
}

// Runs the jobs on `parallel` threads, reporting each; `after` runs after each successful
// copy (mv removes the source). Returns the number of failed jobs; kCancelled stops early.
int run_jobs(Invocation& invocation, const std::vector<CopyJob>& jobs, const CopyFlags& flags,
             const std::function<Status(const CopyJob&)>& after, bool& cancelled) {
  Progress progress(invocation.console);
  TransferOptions options = flags.transfer;
  options.progress = &progress;
  // A single job gets every thread for its parts; several share them.
  std::atomic<int> failures{0};
  std::atomic<uint64_t> bytes{0};
  auto started = std::chrono::steady_clock::now();
  Status status = run_parallel(
      jobs.size() > 1 ? flags.transfer.parallel : 1, jobs.size(), [&](size_t i) -> Status {
        const CopyJob& job = jobs[i];
        auto result = transfer(invocation.session, job.source, job.destination, options);
        Status done = result ? (after ? after(job) : Status::ok()) : result.status();
        if (done.code() == ErrorCode::kCancelled) return done;
        if (!done) {
          fail(invocation, done,
               invocation.command + " " + job.source.target.display() + " -> " +
                   job.destination.display());
          ++failures;
          return Status::ok();
        }
        bytes += result->bytes;
        if (invocation.console.json()) {
          Json out = {{"source", job.source.target.display()},
                      {"target", job.destination.display()},
                      {"size", result->bytes},
                      {"method", result->method}};
          if (!result->etag.empty()) out["etag"] = result->etag;
          if (!result->version_id.empty()) out["versionId"] = result->version_id;
          invocation.console.emit(out);
        } else {
          invocation.console.info("`" + job.source.target.display() + "` -> `" +
                                  job.destination.display() + "`");
        }
        return Status::ok();
      });
  cancelled = status.code() == ErrorCode::kCancelled;
  if (!status && !cancelled) {
    fail(invocation, status, invocation.command);
    ++failures;
  }
  if (jobs.size() > 1 && !cancelled) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string rate =
        seconds > 0.05
            ? ", " + format_size(static_cast<uint64_t>(static_cast<double>(bytes) / seconds)) + "/s"
            : "";
    invocation.console.info("Copied " + std::to_string(jobs.size() - failures) + " of " +
                            std::to_string(jobs.size()) + " files, " + format_size(bytes) + rate +
                            ".");
  }
  return failures;
}

int copy_or_move(Invocation& invocation, bool move) {
  auto flags = copy_flags(invocation);
  if (!flags) return usage_error(invocation, flags.status().message());
  std::vector<std::string> sources(invocation.args.positional.begin(),
                                   invocation.args.positional.end() - 1);
  const std::string& destination_arg = invocation.args.positional.back();
  Target destination = invocation.session.target(destination_arg);
  if (destination.remote) {
    auto checked = remote_target(invocation, destination_arg, "bucket");
    if (!checked)
      return fail(invocation, checked.status(), invocation.command + " " + destination_arg);
  } else if (sources.size() > 1 && !is_local_directory(destination) &&
             !destination.names_directory()) {
    return fail(invocation,
                Status(ErrorCode::kInvalidArgument, "several sources need a directory target"),
                invocation.command + " " + destination_arg);
  }
  int errors = 0;
  std::vector<CopyJob> jobs = plan_copies(invocation, sources, destination, *flags, errors);
  if (interrupted()) return kExitInterrupted;
  std::function<Status(const CopyJob&)> after;
  if (move) {
    after = [&invocation](const CopyJob& job) -> Status {
      const Target& source = job.source.target;
      if (!source.remote) {
        if (::unlink(source.path.c_str()) != 0) {
          return Status(ErrorCode::kIo, "copied, but cannot remove " + source.path);
        }
        return Status::ok();
      }
      MAXIO_TRY(s3client::S3Client * client, invocation.session.s3(source.alias));
      return client->delete_object(source.bucket, source.key, job.source.version_id);
    };
  }
  bool cancelled = false;
  int failures = run_jobs(invocation, jobs, *flags, after, cancelled);
  if (cancelled)
    return fail(invocation, Status(ErrorCode::kCancelled, "interrupted"), invocation.command);
  return errors + failures == 0 ? kExitOk : kExitError;
}

// ---- mirror ----

// Whether `source` must be copied over `target` (same name on both sides).
bool needs_copy(const ListedObject& source, const ListedObject& target, bool both_remote) {
  if (source.size != target.size) return true;
  if (both_remote) return source.etag != target.etag && source.mtime > target.mtime;
  return source.mtime > target.mtime;
}

// The objects or files of a mirror side, by name; a missing local directory is empty.
Result<std::vector<ListedObject>> mirror_listing(Invocation& invocation, const Target& side,
                                                 bool is_source) {
  if (!side.remote) {
    std::error_code ec;
    if (!is_source && !fs::exists(side.path, ec)) return std::vector<ListedObject>{};
    return list_local_tree(side.path);
  }
  return list_remote_tree(invocation.session, side, tree_prefix(side), /*skip_markers=*/true);
}

}  // namespace

int run_cp(Invocation& invocation) { return copy_or_move(invocation, false); }
int run_mv(Invocation& invocation) { return copy_or_move(invocation, true); }

int run_mirror(Invocation& invocation) {
  auto flags = copy_flags(invocation);
  if (!flags) return usage_error(invocation, flags.status().message());
  flags->transfer.preserve_mtime = true;
  const bool remove = invocation.args.has("remove");
  const bool dry_run = invocation.args.has("dry-run");
  Target sides[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& arg = invocation.args.positional[static_cast<size_t>(i)];
    sides[i] = invocation.session.target(arg);
    if (sides[i].remote) {
      auto checked = remote_target(invocation, arg, "bucket");
      if (!checked) return fail(invocation, checked.status(), "mirror " + arg);
    }
  }
  const Target& source = sides[0];
  const Target& target = sides[1];
  auto source_objects = mirror_listing(invocation, source, true);
  if (!source_objects) return fail(invocation, source_objects.status(), "mirror " + source.text);
  auto target_objects = mirror_listing(invocation, target, false);
  if (!target_objects) return fail(invocation, target_objects.status(), "mirror " + target.text);

  std::map<std::string, const ListedObject*> existing;
  for (const auto& object : *target_objects) existing[object.name] = &object;
  const bool both_remote = source.remote && target.remote;
  const std::string source_prefix = source.remote ? tree_prefix(source) : "";
  Target target_root = target;
  if (target.remote) target_root.key = tree_prefix(target);

  int errors = 0;
  size_t unchanged = 0;
  std::vector<CopyJob> jobs;
  std::set<std::string> names;
  for (const auto& object : *source_objects) {
    names.insert(object.name);
    auto it = existing.find(object.name);
    if (it != existing.end() && !needs_copy(object, *it->second, both_remote)) {
      ++unchanged;
      continue;
    }
    SourceObject job_source;
    if (source.remote) {
      job_source.target = source.with_key(source_prefix + object.name);
    } else {
      job_source.target = source;
      job_source.target.path = (fs::path(source.path) / object.name).string();
      job_source.target.text = job_source.target.path;
    }
    job_source.size = object.size;
    job_source.mtime = object.mtime;
    job_source.etag = object.etag;
    auto placed = under(target_root, object.name);
    if (!placed) {
      fail(invocation, placed.status(), "mirror " + job_source.target.display());
      ++errors;
      continue;
    }
    jobs.push_back({std::move(job_source), std::move(*placed)});
  }

  if (dry_run) {
    for (const auto& job : jobs) {
      if (invocation.console.json()) {
        invocation.console.emit({{"source", job.source.target.display()},
                                 {"target", job.destination.display()},
                                 {"size", job.source.size},
                                 {"dryRun", true}});
      } else {
        invocation.console.info("Would copy `" + job.source.target.display() + "` -> `" +
                                job.destination.display() + "`");
      }
    }
  }
  bool cancelled = false;
  int failures = dry_run ? 0 : run_jobs(invocation, jobs, *flags, nullptr, cancelled);
  if (cancelled) return fail(invocation, Status(ErrorCode::kCancelled, "interrupted"), "mirror");

  size_t removed = 0;
  if (remove) {
    for (const auto& object : *target_objects) {
      if (names.count(object.name) > 0) continue;
      auto placed = under(target_root, object.name);
      if (!placed) {
        fail(invocation, placed.status(), "mirror --remove " + object.name);
        ++errors;
        continue;
      }
      Status status;
      if (!dry_run) {
        if (placed->remote) {
          auto client = invocation.session.s3(placed->alias);
          status = client ? (*client)->delete_object(placed->bucket, placed->key) : client.status();
        } else if (::unlink(placed->path.c_str()) != 0) {
          status = Status(ErrorCode::kIo, "cannot remove " + placed->path);
        }
      }
      if (!status) {
        fail(invocation, status, "mirror --remove " + placed->display());
        ++errors;
        continue;
      }
      ++removed;
      if (invocation.console.json()) {
        Json out = {{"removed", placed->display()}};
        if (dry_run) out["dryRun"] = true;
        invocation.console.emit(out);
      } else {
        invocation.console.info((dry_run ? "Would remove `" : "Removed `") + placed->display() +
                                "`");
      }
    }
  }
  if (!invocation.console.json()) {
    invocation.console.info("Mirror: " + std::to_string(jobs.size() - failures) + " copied, " +
                            std::to_string(removed) + " removed, " + std::to_string(unchanged) +
                            " unchanged.");
  }
  return errors + failures == 0 ? kExitOk : kExitError;
}

}  // namespace maxio::cli
