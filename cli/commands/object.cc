// cat, stat, rm, presign.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/format.h"
#include "cli/transfer.h"

namespace maxio::cli {

namespace {

constexpr size_t kMaxDeleteBatch = 1000;
constexpr size_t kCatBuffer = 256 * 1024;

void report_removed(Invocation& invocation, const Target& bucket, const std::string& key,
                    const std::string& version_id, bool delete_marker_created, bool dry_run) {
  std::string url = bucket.alias + "/" + bucket.bucket + "/" + key;
  if (invocation.console.json()) {
    Json out = {{"key", url}};
    if (!version_id.empty()) out["versionId"] = version_id;
    if (delete_marker_created) out["deleteMarker"] = true;
    if (dry_run) out["dryRun"] = true;
    invocation.console.emit(out);
    return;
  }
  std::string text = (dry_run ? "Would remove `" : "Removed `") + url + "`";
  if (!version_id.empty()) text += " (version " + version_id + ")";
  invocation.console.info(text + ".");
}

// Deletes one batch (at most 1000) and reports each result.
Status delete_batch(Invocation& invocation, s3client::S3Client& client, const Target& bucket,
                    const std::vector<s3client::ObjectIdentifier>& batch, bool dry_run,
                    bool report_each, size_t& removed, size_t& failures) {
  if (batch.empty()) return Status::ok();
  if (dry_run) {
    for (const auto& object : batch) {
      report_removed(invocation, bucket, object.key, object.version_id, false, true);
    }
    return Status::ok();
  }
  MAXIO_TRY(auto result, client.delete_objects(bucket.bucket, batch, /*quiet=*/!report_each));
  removed += batch.size() - result.errors.size();
  for (const auto& deleted : result.deleted) {
    if (report_each) {
      report_removed(invocation, bucket, deleted.key, deleted.version_id, deleted.delete_marker,
                     false);
    }
  }
  for (const auto& error : result.errors) {
    ++failures;
    std::string url = bucket.alias + "/" + bucket.bucket + "/" + error.key;
    invocation.console.error(
        "rm " + url + ": " +
            (error.message.empty() ? error.code : error.message + " (" + error.code + ")"),
        error.code);
  }
  return Status::ok();
}

// Every version of exactly `key` (versions listing with the key as prefix).
Result<std::vector<s3client::ObjectIdentifier>> versions_of(s3client::S3Client& client,
                                                            const std::string& bucket,
                                                            const std::string& key) {
  std::vector<s3client::ObjectIdentifier> out;
  s3client::ListVersionsOptions options;
  options.prefix = key;
  options.delimiter = "/";
  while (true) {
    MAXIO_TRY(auto page, client.list_object_versions(bucket, options));
    for (const auto& version : page.versions) {
      if (version.key == key) out.push_back({version.key, version.version_id});
    }
    if (!page.is_truncated) break;
    options.key_marker = page.next_key_marker;
    options.version_id_marker = page.next_version_id_marker;
  }
  return out;
}

Json metadata_json(const s3client::ObjectInfo& info) {
  Json metadata = Json::object();
  for (const auto& [name, value] : info.metadata) metadata[name] = value;
  return metadata;
}

Status stat_remote(Invocation& invocation, const Target& target, const std::string& version_id) {
  MAXIO_TRY(s3client::S3Client * client, invocation.session.s3(target.alias));
  Console& console = invocation.console;
  if (target.key.empty()) {
    MAXIO_RETURN_IF_ERROR(client->head_bucket(target.bucket));
    if (console.json()) {
      console.emit({{"name", target.bucket}, {"url", target.display()}, {"type", "bucket"}});
    } else {
      console.print("Name      : " + target.bucket);
      console.print("Type      : bucket");
    }
    return Status::ok();
  }
  s3client::GetObjectOptions options;
  options.version_id = version_id;
  auto head = client->head_object(target.bucket, target.key, options);
  if (!head) {
    if (head.code() != ErrorCode::kNoSuchKey || !version_id.empty()) return head.status();
    // Not an object: a prefix with objects under it is shown as a folder.
    s3client::ListObjectsOptions list;
    list.prefix = target.key.ends_with('/') ? target.key : target.key + "/";
    list.max_keys = 1;
    MAXIO_TRY(auto page, client->list_objects_v2(target.bucket, list));
    if (page.objects.empty() && page.common_prefixes.empty()) return head.status();
    if (console.json()) {
      console.emit({{"name", target.key}, {"url", target.display()}, {"type", "folder"}});
    } else {
      console.print("Name      : " + list.prefix);
      console.print("Type      : folder");
    }
    return Status::ok();
  }
  const auto& info = *head;
  if (console.json()) {
    Json out = {{"name", target.key},
                {"url", target.display()},
                {"type", "file"},
                {"lastModified", format_iso8601(info.last_modified)},
                {"size", info.size},
                {"etag", info.etag},
                {"contentType", info.content_type}};
    if (!info.version_id.empty()) out["versionId"] = info.version_id;
    if (!info.storage_class.empty()) out["storageClass"] = info.storage_class;
    out["metadata"] = metadata_json(info);
    console.emit(out);
    return Status::ok();
  }
  console.print("Name      : " + target.key);
  console.print("Date      : " + format_time(info.last_modified));
  console.print("Size      : " + format_size(info.size) + " (" + std::to_string(info.size) +
                " bytes)");
  console.print("ETag      : " + info.etag);
  console.print("Type      : file");
  if (!info.version_id.empty()) console.print("VersionID : " + info.version_id);
  if (!info.storage_class.empty()) console.print("Class     : " + info.storage_class);
  console.print("Metadata  :");
  console.print("  Content-Type: " + info.content_type);
  for (const auto& [name, value] : info.metadata) {
    console.print("  X-Amz-Meta-" + name + ": " + value);
  }
  return Status::ok();
}

Status stat_local(Invocation& invocation, const Target& target) {
  struct stat st;
  if (::stat(target.path.c_str(), &st) != 0) {
    return Status(errno == ENOENT ? ErrorCode::kFileNotFound : ErrorCode::kIo,
                  std::strerror(errno));
  }
  Timestamp mtime(std::chrono::duration_cast<Timestamp::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  const char* type = S_ISDIR(st.st_mode) ? "folder" : "file";
  Console& console = invocation.console;
  if (console.json()) {
    console.emit({{"name", target.path},
                  {"url", target.path},
                  {"type", type},
                  {"lastModified", format_iso8601(mtime)},
                  {"size", static_cast<uint64_t>(st.st_size)}});
    return Status::ok();
  }
  console.print("Name      : " + target.path);
  console.print("Date      : " + format_time(mtime));
  console.print("Size      : " + format_size(static_cast<uint64_t>(st.st_size)) + " (" +
                std::to_string(st.st_size) + " bytes)");
  console.print(std::string("Type      : ") + type);
  return Status::ok();
}

Status cat_remote(Invocation& invocation, const Target& target, const std::string& version_id) {
  MAXIO_TRY(s3client::S3Client * client, invocation.session.s3(target.alias));
  s3client::GetObjectOptions options;
  options.version_id = version_id;
  MAXIO_TRY(auto object, client->get_object(target.bucket, target.key, options));
  std::unique_ptr<char[]> buffer(new char[kCatBuffer]);
  uint64_t total = 0;
  while (true) {
    MAXIO_RETURN_IF_ERROR(check_interrupted());
    MAXIO_TRY(size_t n, object.body->read(buffer.get(), kCatBuffer));
    if (n == 0) break;
    total += n;
    MAXIO_RETURN_IF_ERROR(invocation.console.write_raw(buffer.get(), n));
  }
  if (total != object.content_length) {
    return Status(ErrorCode::kIo, "the object ended after " + std::to_string(total) + " of " +
                                      std::to_string(object.content_length) + " bytes");
  }
  return invocation.console.flush();
}

Status cat_local(Invocation& invocation, const Target& target) {
  int fd = ::open(target.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(errno == ENOENT ? ErrorCode::kFileNotFound : ErrorCode::kIo,
                  std::strerror(errno));
  }
  std::unique_ptr<char[]> buffer(new char[kCatBuffer]);
  Status status;
  while (status) {
    ssize_t n = ::read(fd, buffer.get(), kCatBuffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = Status(ErrorCode::kIo, std::strerror(errno));
      break;
    }
    if (n == 0) break;
    status = invocation.console.write_raw(buffer.get(), static_cast<size_t>(n));
  }
  ::close(fd);
  if (status) status = invocation.console.flush();
  return status;
}

}  // namespace

Status remove_under(Invocation& invocation, const Target& bucket, const std::string& prefix,
                    bool versions, bool dry_run, bool report_each, size_t& removed,
                    size_t& failures) {
  MAXIO_TRY(s3client::S3Client * client, invocation.session.s3(bucket.alias));
  if (versions) {
    s3client::ListVersionsOptions options;
    options.prefix = prefix;
    bool first = true;
    while (true) {
      MAXIO_RETURN_IF_ERROR(check_interrupted());
      auto page = client->list_object_versions(bucket.bucket, options);
      if (!page && first && page.code() == ErrorCode::kNotImplemented) {
        versions = false;  // a server without version listings: remove the objects
        break;
      }
      if (!page) return page.status();
      first = false;
      std::vector<s3client::ObjectIdentifier> batch;
      for (const auto& version : page->versions) {
        batch.push_back({version.key, version.version_id});
        if (batch.size() == kMaxDeleteBatch) {
          MAXIO_RETURN_IF_ERROR(delete_batch(invocation, *client, bucket, batch, dry_run,
                                             report_each, removed, failures));
          batch.clear();
        }
      }
      MAXIO_RETURN_IF_ERROR(delete_batch(invocation, *client, bucket, batch, dry_run, report_each,
                                         removed, failures));
      if (!page->is_truncated) return Status::ok();
      options.key_marker = page->next_key_marker;
      options.version_id_marker = page->next_version_id_marker;
    }
  }
  s3client::ListObjectsOptions options;
  options.prefix = prefix;
  while (true) {
    MAXIO_RETURN_IF_ERROR(check_interrupted());
    MAXIO_TRY(auto page, client->list_objects_v2(bucket.bucket, options));
    std::vector<s3client::ObjectIdentifier> batch;
    for (const auto& object : page.objects) batch.push_back({object.key, ""});
    MAXIO_RETURN_IF_ERROR(
        delete_batch(invocation, *client, bucket, batch, dry_run, report_each, removed, failures));
    if (!page.is_truncated || page.next_continuation_token.empty()) return Status::ok();
    options.continuation_token = page.next_continuation_token;
  }
}

int run_rm(Invocation& invocation) {
  const bool recursive = invocation.args.has("recursive");
  const bool versions = invocation.args.has("versions");
  const bool dry_run = invocation.args.has("dry-run");
  const std::string version_id = invocation.args.get("version-id");
  if (recursive && !invocation.args.has("force") && !dry_run) {
    return usage_error(invocation, "removing recursively needs --force");
  }
  if (versions && !version_id.empty()) {
    return usage_error(invocation, "--versions and --version-id exclude each other");
  }
  int exit_code = kExitOk;
  for (const std::string& arg : invocation.args.positional) {
    auto target = remote_target(invocation, arg, "bucket");
    if (!target) {
      exit_code = fail(invocation, target.status(), "rm " + arg);
      continue;
    }
    auto client = invocation.session.s3(target->alias);
    if (!client) {
      exit_code = fail(invocation, client.status(), "rm " + arg);
      continue;
    }
    size_t removed = 0, failures = 0;
    const std::string& key = target->key;
    Status status;
    if (!recursive) {
      if (key.empty()) {
        exit_code =
            fail(invocation,
                 Status(ErrorCode::kInvalidArgument,
                        "is a bucket: remove it with rb, or its objects with rm -r --force"),
                 "rm " + arg);
        continue;
      }
      if (versions) {
        auto all = versions_of(**client, target->bucket, key);
        status =
            all ? (all->empty() ? Status(ErrorCode::kNoSuchKey, "Object does not exist (NoSuchKey)")
                                : delete_batch(invocation, **client, *target, *all, dry_run, true,
                                               removed, failures))
                : all.status();
      } else {
        if (version_id.empty()) {
          auto head = (*client)->head_object(target->bucket, key);
          if (!head) {
            exit_code = fail(invocation, head.status(), "rm " + arg);
            continue;
          }
        }
        if (!dry_run) status = (*client)->delete_object(target->bucket, key, version_id);
        if (status) report_removed(invocation, *target, key, version_id, false, dry_run);
      }
    } else if (key.empty() || key.ends_with('/')) {
      status = remove_under(invocation, *target, key, versions, dry_run, true, removed, failures);
    } else {
      // ALIAS/BUCKET/NAME: the object NAME and everything under NAME/.
      if (versions) {
        auto all = versions_of(**client, target->bucket, key);
        status = all ? delete_batch(invocation, **client, *target, *all, dry_run, true, removed,
                                    failures)
                     : all.status();
      } else if (auto head = (*client)->head_object(target->bucket, key); head) {
        if (!dry_run) status = (*client)->delete_object(target->bucket, key);
        if (status) report_removed(invocation, *target, key, "", false, dry_run);
      } else if (head.code() != ErrorCode::kNoSuchKey) {
        status = head.status();
      }
      if (status) {
        status = remove_under(invocation, *target, key + "/", versions, dry_run, true, removed,
                              failures);
      }
    }
    if (!status) exit_code = fail(invocation, status, "rm " + arg);
    if (failures > 0) exit_code = kExitError;
  }
  return exit_code;
}

int run_cat(Invocation& invocation) {
  const std::string version_id = invocation.args.get("version-id");
  for (const std::string& arg : invocation.args.positional) {
    Target target = invocation.session.target(arg);
    Status status;
    if (target.remote) {
      auto checked = remote_target(invocation, arg, "object");
      status = checked ? cat_remote(invocation, *checked, version_id) : checked.status();
    } else {
      status = cat_local(invocation, target);
    }
    if (!status) return fail(invocation, status, "cat " + arg);
  }
  return kExitOk;
}

int run_stat(Invocation& invocation) {
  const std::string version_id = invocation.args.get("version-id");
  int exit_code = kExitOk;
  for (const std::string& arg : invocation.args.positional) {
    Target target = invocation.session.target(arg);
    Status status;
    if (target.remote) {
      auto checked = remote_target(invocation, arg, "bucket");
      status = checked ? stat_remote(invocation, *checked, version_id) : checked.status();
    } else {
      status = stat_local(invocation, target);
    }
    if (!status) exit_code = fail(invocation, status, "stat " + arg);
  }
  return exit_code;
}

int run_presign(Invocation& invocation) {
  const std::string& arg = invocation.args.positional[0];
  auto expire = parse_duration(invocation.args.get("expire", "7d"));
  if (!expire) return usage_error(invocation, "--expire: " + expire.status().message());
  if (*expire > std::chrono::hours(24 * 7)) {
    return usage_error(invocation, "--expire: at most 7d");
  }
  auto target = remote_target(invocation, arg, "object");
  if (!target) return fail(invocation, target.status(), "presign " + arg);
  auto client = invocation.session.s3(target->alias);
  if (!client) return fail(invocation, client.status(), "presign " + arg);
  const bool put = invocation.args.has("put");
  auto url = put ? (*client)->presign_put_object(target->bucket, target->key, *expire)
                 : (*client)->presign_get_object(target->bucket, target->key, *expire,
                                                 invocation.args.get("version-id"));
  if (!url) return fail(invocation, url.status(), "presign " + arg);
  if (invocation.console.json()) {
    auto expires_at = std::chrono::system_clock::now() + *expire;
    invocation.console.emit({{"url", target->display()},
                             {"method", put ? "PUT" : "GET"},
                             {"share", *url},
                             {"expiresIn", expire->count()},
                             {"expiresAt", format_iso8601(expires_at)}});
  } else {
    invocation.console.print(*url);
  }
  return kExitOk;
}

}  // namespace maxio::cli
