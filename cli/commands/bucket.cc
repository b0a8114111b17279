// ls, mb, rb.

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/format.h"
#include "cli/transfer.h"

namespace maxio::cli {

namespace {

namespace fs = std::filesystem;

// One line of ls output.
struct Row {
  bool folder = false;
  std::string name;  // as shown: relative to the listed directory or prefix
  std::string url;   // the entry's full path: alias/bucket/key or the local path
  std::optional<Timestamp> time;
  uint64_t size = 0;
  std::string etag;
  std::string storage_class;
  bool versioned = false;  // a row of --versions
  std::string version_id;
  bool is_latest = false;
  bool is_delete_marker = false;
};

void print_row(Console& console, const Row& row) {
  if (console.json()) {
    Json out = {{"type", row.folder ? "folder" : "file"}};
    if (row.time) out["lastModified"] = format_iso8601(*row.time);
    out["size"] = row.size;
    out["key"] = row.name;
    out["url"] = row.url;
    if (!row.etag.empty()) out["etag"] = row.etag;
    if (!row.storage_class.empty()) out["storageClass"] = row.storage_class;
    if (row.versioned) {
      out["versionId"] = row.version_id.empty() ? "null" : row.version_id;
      out["isLatest"] = row.is_latest;
      out["isDeleteMarker"] = row.is_delete_marker;
    }
    console.emit(out);
    return;
  }
  std::string when = row.time ? "[" + format_time(*row.time) + "]" : std::string(25, ' ');
  std::string size = row.folder || row.is_delete_marker ? "0 B" : format_size(row.size);
  char padded[16];
  std::snprintf(padded, sizeof(padded), "%10s", size.c_str());
  std::string line = when + " " + padded + " " + row.name;
  if (row.versioned) {
    line += "  (" + std::string(row.is_delete_marker ? "delete marker" : "version") + " " +
            (row.version_id.empty() ? "null" : row.version_id) +
            (row.is_latest ? ", latest)" : ")");
  }
  console.print(line);
}

// Lists one bucket under `prefix`; names are shown relative to `strip`, after `shown_prefix`
// (the bucket's name when several buckets are listed).
Status list_prefix(Invocation& invocation, s3client::S3Client& client, const Target& target,
                   const std::string& prefix, const std::string& strip, bool recursive,
                   bool versions, size_t& rows, const std::string& shown_prefix = {}) {
  const std::string base = target.alias + "/" + target.bucket + "/";
  auto relative = [&](const std::string& key) {
    return shown_prefix + key.substr(std::min(strip.size(), key.size()));
  };
  auto folder = [&](const std::string& common) {
    Row row;
    row.folder = true;
    row.name = relative(common);
    row.url = base + common;
    print_row(invocation.console, row);
    ++rows;
  };
  if (versions) {
    s3client::ListVersionsOptions options;
    options.prefix = prefix;
    if (!recursive) options.delimiter = "/";
    while (true) {
      MAXIO_RETURN_IF_ERROR(check_interrupted());
      MAXIO_TRY(auto page, client.list_object_versions(target.bucket, options));
      for (const auto& common : page.common_prefixes) folder(common);
      for (const auto& version : page.versions) {
        Row row;
        row.name = relative(version.key);
        row.url = base + version.key;
        row.time = version.last_modified;
        row.size = version.size;
        row.etag = version.etag;
        row.storage_class = version.storage_class;
        row.versioned = true;
        row.version_id = version.version_id;
        row.is_latest = version.is_latest;
        row.is_delete_marker = version.is_delete_marker;
        print_row(invocation.console, row);
        ++rows;
      }
      if (!page.is_truncated) break;
      options.key_marker = page.next_key_marker;
      options.version_id_marker = page.next_version_id_marker;
    }
    return Status::ok();
  }
  s3client::ListObjectsOptions options;
  options.prefix = prefix;
  if (!recursive) options.delimiter = "/";
  while (true) {
    MAXIO_RETURN_IF_ERROR(check_interrupted());
    MAXIO_TRY(auto page, client.list_objects_v2(target.bucket, options));
    // S3 returns objects and prefixes in separate lists; show them merged in key order.
    size_t o = 0, p = 0;
    while (o < page.objects.size() || p < page.common_prefixes.size()) {
      bool take_prefix =
          o >= page.objects.size() ||
          (p < page.common_prefixes.size() && page.common_prefixes[p] < page.objects[o].key);
      if (take_prefix) {
        folder(page.common_prefixes[p++]);
        continue;
      }
      const auto& object = page.objects[o++];
      Row row;
      row.name = relative(object.key);
      row.url = base + object.key;
      row.time = object.last_modified;
      row.size = object.size;
      row.etag = object.etag;
      row.storage_class = object.storage_class;
      print_row(invocation.console, row);
      ++rows;
    }
    if (!page.is_truncated || page.next_continuation_token.empty()) break;
    options.continuation_token = page.next_continuation_token;
  }
  return Status::ok();
}

Status list_remote(Invocation& invocation, const Target& target, bool recursive, bool versions) {
  MAXIO_TRY(s3client::S3Client * client, invocation.session.s3(target.alias));
  size_t rows = 0;
  if (target.bucket.empty()) {
    MAXIO_TRY(auto buckets, client->list_buckets());
    for (const auto& bucket : buckets) {
      if (!recursive) {
        Row row;
        row.folder = true;
        row.name = bucket.name + "/";
        row.url = target.alias + "/" + bucket.name;
        row.time = bucket.creation_date;
        print_row(invocation.console, row);
        continue;
      }
      Target inner = target;
      inner.bucket = bucket.name;
      MAXIO_RETURN_IF_ERROR(
          list_prefix(invocation, *client, inner, "", "", true, versions, rows, bucket.name + "/"));
    }
    return Status::ok();
  }
  const std::string& key = target.key;
  if (key.empty() || key.ends_with('/')) {
    return list_prefix(invocation, *client, target, key, key, recursive, versions, rows);
  }
  // ALIAS/BUCKET/NAME: the object NAME (if any) and the contents of NAME/.
  std::string parent = key.substr(0, key.rfind('/') + 1);
  if (versions) {
    // Versions of NAME itself come with the listing of prefix NAME; keep only exact ones by
    // listing NAME/ separately.
    s3client::ListVersionsOptions options;
    options.prefix = key;
    options.delimiter = "/";
    MAXIO_TRY(auto page, client->list_object_versions(target.bucket, options));
    for (const auto& version : page.versions) {
      if (version.key != key) continue;
      Row row;
      row.name = key.substr(parent.size());
      row.url = target.alias + "/" + target.bucket + "/" + key;
      row.time = version.last_modified;
      row.size = version.size;
      row.etag = version.etag;
      row.versioned = true;
      row.version_id = version.version_id;
      row.is_latest = version.is_latest;
      row.is_delete_marker = version.is_delete_marker;
      print_row(invocation.console, row);
      ++rows;
    }
  } else {
    auto head = client->head_object(target.bucket, key);
    if (head) {
      Row row;
      row.name = key.substr(parent.size());
      row.url = target.alias + "/" + target.bucket + "/" + key;
      row.time = head->last_modified;
      row.size = head->size;
      row.etag = head->etag;
      row.storage_class = head->storage_class;
      print_row(invocation.console, row);
      ++rows;
    } else if (head.code() != ErrorCode::kNoSuchKey) {
      return head.status();
    }
  }
  std::string dir = key + "/";
  MAXIO_RETURN_IF_ERROR(
      list_prefix(invocation, *client, target, dir, dir, recursive, versions, rows));
  if (rows == 0) {
    // Tell a missing bucket from a missing object.
    MAXIO_RETURN_IF_ERROR(client->head_bucket(target.bucket));
    return Status(ErrorCode::kNoSuchKey, "Object does not exist (NoSuchKey)");
  }
  return Status::ok();
}

Status list_local(Invocation& invocation, const Target& target, bool recursive) {
  std::error_code ec;
  fs::path path(target.path);
  if (!fs::exists(path, ec)) {
    std::string alias = first_segment(target.path);
    std::string hint;
    if (!alias.empty() && validate_alias_name(alias).is_ok() &&
        target.path.find('/') != std::string::npos) {
      hint = " (and '" + alias + "' is not an alias)";
    }
    return Status(ErrorCode::kFileNotFound, "No such file or directory" + hint);
  }
  auto file_row = [&](const fs::path& p, const std::string& name) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) return;
    Row row;
    row.folder = S_ISDIR(st.st_mode);
    row.name = name + (row.folder ? "/" : "");
    row.url = p.string();
    row.time = Timestamp(std::chrono::duration_cast<Timestamp::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    row.size = row.folder ? 0 : static_cast<uint64_t>(st.st_size);
    print_row(invocation.console, row);
  };
  if (!fs::is_directory(path, ec)) {
    file_row(path, path.filename().string());
    return Status::ok();
  }
  if (recursive) {
    MAXIO_TRY(auto files, list_local_tree(target.path));
    for (const auto& file : files) file_row(path / file.name, file.name);
    return Status::ok();
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(path, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Status(ErrorCode::kIo, ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) file_row(path / name, name);
  return Status::ok();
}

bool already_exists(const Status& status) {
  return status.code() == ErrorCode::kBucketAlreadyOwnedByYou ||
         status.code() == ErrorCode::kBucketAlreadyExists;
}

}  // namespace

int run_ls(Invocation& invocation) {
  std::vector<std::string> args = invocation.args.positional;
  if (args.empty()) args.push_back(".");
  bool recursive = invocation.args.has("recursive");
  bool versions = invocation.args.has("versions");
  int exit_code = kExitOk;
  for (const std::string& arg : args) {
    Target target = invocation.session.target(arg);
    Status status = target.remote ? list_remote(invocation, target, recursive, versions)
                                  : list_local(invocation, target, recursive);
    if (!status) exit_code = fail(invocation, status, "ls " + arg);
  }
  return exit_code;
}

int run_mb(Invocation& invocation) {
  int exit_code = kExitOk;
  std::string region = invocation.args.get("region");
  for (const std::string& arg : invocation.args.positional) {
    auto target = remote_target(invocation, arg, "bucket");
    if (!target) {
      exit_code = fail(invocation, target.status(), "mb " + arg);
      continue;
    }
    if (!target->key.empty()) {
      exit_code = fail(invocation, Status(ErrorCode::kInvalidArgument, "expected ALIAS/BUCKET"),
                       "mb " + arg);
      continue;
    }
    auto client = invocation.session.s3(target->alias);
    Status status = client ? (*client)->make_bucket(target->bucket, region) : client.status();
    if (!status && !(already_exists(status) && invocation.args.has("ignore-existing"))) {
      exit_code = fail(invocation, status, "mb " + arg);
      continue;
    }
    if (invocation.console.json()) {
      invocation.console.emit({{"bucket", target->display()}, {"region", region}});
    } else {
      invocation.console.info("Bucket created successfully `" + target->display() + "`.");
    }
  }
  return exit_code;
}

int run_rb(Invocation& invocation) {
  int exit_code = kExitOk;
  for (const std::string& arg : invocation.args.positional) {
    auto target = remote_target(invocation, arg, "bucket");
    if (!target) {
      exit_code = fail(invocation, target.status(), "rb " + arg);
      continue;
    }
    if (!target->key.empty()) {
      exit_code = fail(invocation,
                       Status(ErrorCode::kInvalidArgument,
                              "expected ALIAS/BUCKET (use rm -r to remove objects)"),
                       "rb " + arg);
      continue;
    }
    auto client = invocation.session.s3(target->alias);
    if (!client) {
      exit_code = fail(invocation, client.status(), "rb " + arg);
      continue;
    }
    if (invocation.args.has("force")) {
      size_t removed = 0, failures = 0;
      Status emptied = remove_under(invocation, *target, "", /*versions=*/true, /*dry_run=*/false,
                                    /*report_each=*/false, removed, failures);
      if (!emptied) {
        exit_code = fail(invocation, emptied, "rb " + arg);
        continue;
      }
      if (failures > 0) {
        exit_code = kExitError;
        continue;
      }
    }
    if (Status removed = (*client)->remove_bucket(target->bucket); !removed) {
      exit_code = fail(invocation, removed, "rb " + arg);
      continue;
    }
    if (invocation.console.json()) {
      invocation.console.emit({{"bucket", target->display()}});
    } else {
      invocation.console.info("Removed `" + target->display() + "` successfully.");
    }
  }
  return exit_code;
}

}  // namespace maxio::cli
