// libfuse3 high-level bindings of Filesystem, and the program around them.
#define FUSE_USE_VERSION 312
#include "fuse/mount/mount.h"

#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fuse/mount/filesystem.h"
#include "fuse/mount/options.h"
#include "shared/s3/client.h"
#include "shared/util/log.h"

namespace maxio::fuse {
namespace {

// What the FUSE callbacks reach through fuse_get_context()->private_data.
struct MountState {
  MountOptions options;
  std::shared_ptr<s3client::S3Client> client;
  std::unique_ptr<Filesystem> fs;
};

MountState* state() { return static_cast<MountState*>(fuse_get_context()->private_data); }
Filesystem& fs() { return *state()->fs; }
Filesystem::Handle* handle_of(fuse_file_info* fi) {
  return fi ? reinterpret_cast<Filesystem::Handle*>(fi->fh) : nullptr;
}
std::string_view path_or_empty(const char* path) { return path ? path : ""; }

timespec to_timespec(Timestamp t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1000000000);
  ts.tv_nsec = static_cast<long>(ns % 1000000000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1000000000;
    ts.tv_sec -= 1;
  }
  return ts;
}

void fill_stat(const Attributes& attr, struct stat* st) {
  std::memset(st, 0, sizeof(*st));
  st->st_mode = st_mode_of(attr);
  st->st_nlink = attr.kind == EntryKind::kDirectory ? 2 : 1;
  st->st_uid = attr.uid;
  st->st_gid = attr.gid;
  st->st_size = static_cast<off_t>(attr.size);
  st->st_blksize = 1 << 20;
  st->st_blocks = static_cast<blkcnt_t>((attr.size + 511) / 512);
  st->st_mtim = st->st_ctim = st->st_atim = to_timespec(attr.mtime);
}

void* op_init(fuse_conn_info* conn, fuse_config* cfg) {
  MountState* s = state();
  const MountOptions& o = s->options;
  cfg->use_ino = 0;
  cfg->nullpath_ok = 1;
  cfg->hard_remove = 1;  // unlink of an open file must not rename it to .fuse_hidden*
  cfg->attr_timeout = o.attr_timeout;
  cfg->entry_timeout = o.entry_timeout;
  cfg->negative_timeout = o.negative_timeout;
  cfg->kernel_cache = 0;
  conn->max_write = static_cast<unsigned>(o.max_write);
  conn->max_read = static_cast<unsigned>(o.max_write);
  if (conn->capable & FUSE_CAP_ASYNC_READ) conn->want |= FUSE_CAP_ASYNC_READ;
  conn->want &= ~FUSE_CAP_SPLICE_READ;
  return s;
}

int op_getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  Attributes attr;
  int rc = fs().getattr(path_or_empty(path), &attr, handle_of(fi));
  if (rc == 0) fill_stat(attr, st);
  return rc;
}

// With nullpath_ok, readdir may get no path: opendir keeps it in the handle.
int op_opendir(const char* path, fuse_file_info* fi) {
  fi->fh = reinterpret_cast<uint64_t>(new std::string(path));
  return 0;
}
int op_releasedir(const char*, fuse_file_info* fi) {
  delete reinterpret_cast<std::string*>(fi->fh);
  return 0;
}

int op_readdir(const char*, void* buf, fuse_fill_dir_t filler, off_t, fuse_file_info* fi,
               fuse_readdir_flags) {
  const std::string& path = *reinterpret_cast<std::string*>(fi->fh);
  return fs().readdir(path, [&](std::string_view name, EntryKind kind) {
    struct stat st {};
    // Directories are known from the listing; a file may be a symlink (its type is in
    // metadata), so its type is left unknown and tools that care stat it.
    st.st_mode = kind == EntryKind::kDirectory ? S_IFDIR : 0;
    std::string n(name);
    return filler(buf, n.c_str(), &st, 0, static_cast<fuse_fill_dir_flags>(0)) == 0;
  });
}

int op_mkdir(const char* path, mode_t mode) {
  fuse_context* ctx = fuse_get_context();
  return fs().mkdir(path, mode, ctx->uid, ctx->gid);
}
int op_rmdir(const char* path) { return fs().rmdir(path); }
int op_unlink(const char* path) { return fs().unlink(path); }
int op_rename(const char* from, const char* to, unsigned flags) {
  return fs().rename(from, to, flags);
}
int op_symlink(const char* target, const char* path) {
  fuse_context* ctx = fuse_get_context();
  return fs().symlink(target, path, ctx->uid, ctx->gid);
}
int op_readlink(const char* path, char* buf, size_t size) {
  std::string target;
  int rc = fs().readlink(path, &target);
  if (rc != 0) return rc;
  if (size == 0) return -EINVAL;
  size_t n = std::min(size - 1, target.size());
  std::memcpy(buf, target.data(), n);
  buf[n] = '\0';
  return 0;
}
int op_link(const char*, const char*) { return -EPERM; }  // no hard links in S3
int op_chmod(const char* path, mode_t mode, fuse_file_info* fi) {
  return fs().chmod(path_or_empty(path), mode, handle_of(fi));
}
int op_chown(const char* path, uid_t uid, gid_t gid, fuse_file_info* fi) {
  return fs().chown(path_or_empty(path), uid, gid, handle_of(fi));
}
int op_utimens(const char* path, const timespec tv[2], fuse_file_info* fi) {
  Timestamp mtime = std::chrono::system_clock::now();
  if (tv != nullptr) {
    if (tv[1].tv_nsec == UTIME_OMIT) return 0;  // atime is not stored
    if (tv[1].tv_nsec != UTIME_NOW) {
      mtime = Timestamp(std::chrono::duration_cast<Timestamp::duration>(
          std::chrono::seconds(tv[1].tv_sec) + std::chrono::nanoseconds(tv[1].tv_nsec)));
    }
  }
  return fs().utimens(path_or_empty(path), mtime, handle_of(fi));
}
int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
  if (size < 0) return -EINVAL;
  return fs().truncate(path_or_empty(path), static_cast<uint64_t>(size), handle_of(fi));
}
int op_open(const char* path, fuse_file_info* fi) {
  Filesystem::Handle* h = nullptr;
  int rc = fs().open(path, fi->flags, &h);
  if (rc == 0) {
    fi->fh = reinterpret_cast<uint64_t>(h);
    fi->keep_cache = Filesystem::keeps_page_cache(h) ? 1 : 0;
  }
  return rc;
}
int op_create(const char* path, mode_t mode, fuse_file_info* fi) {
  fuse_context* ctx = fuse_get_context();
  Filesystem::Handle* h = nullptr;
  int rc = fs().create(path, mode, fi->flags, ctx->uid, ctx->gid, &h);
  if (rc == 0) fi->fh = reinterpret_cast<uint64_t>(h);
  return rc;
}
int op_read(const char*, char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  return static_cast<int>(fs().read(handle_of(fi), buf, size, static_cast<uint64_t>(offset)));
}
int op_write(const char*, const char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  return static_cast<int>(fs().write(handle_of(fi), buf, size, static_cast<uint64_t>(offset)));
}
int op_flush(const char*, fuse_file_info* fi) { return fs().flush(handle_of(fi)); }
int op_fsync(const char*, int, fuse_file_info* fi) { return fs().fsync(handle_of(fi)); }
int op_release(const char*, fuse_file_info* fi) { return fs().release(handle_of(fi)); }
int op_statfs(const char*, struct statvfs* st) {
  std::memset(st, 0, sizeof(*st));
  // An object store has no fixed size: report a large, mostly free volume.
  st->f_bsize = 1 << 20;
  st->f_frsize = 1 << 20;
  st->f_blocks = st->f_bfree = st->f_bavail = 1ull << 30;  // 1 EiB in 1 MiB blocks
  st->f_files = st->f_ffree = st->f_favail = 1ull << 32;
  st->f_namemax = 255;
  return 0;
}

fuse_operations make_operations() {
  fuse_operations ops{};
  ops.init = op_init;
  ops.getattr = op_getattr;
  ops.opendir = op_opendir;
  ops.releasedir = op_releasedir;
  ops.readdir = op_readdir;
  ops.mkdir = op_mkdir;
  ops.rmdir = op_rmdir;
  ops.unlink = op_unlink;
  ops.rename = op_rename;
  ops.symlink = op_symlink;
  ops.readlink = op_readlink;
  ops.link = op_link;
  ops.chmod = op_chmod;
  ops.chown = op_chown;
  ops.utimens = op_utimens;
  ops.truncate = op_truncate;
  ops.open = op_open;
  ops.create = op_create;
  ops.read = op_read;
  ops.write = op_write;
  ops.flush = op_flush;
  ops.fsync = op_fsync;
  ops.release = op_release;
  ops.statfs = op_statfs;
  return ops;
}

std::optional<std::string> getenv_lookup(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

// The loops return the signal that ended them (SIGTERM, SIGINT, SIGHUP): a clean stop.
int loop_result(int rc) { return rc == 0 || rc == SIGTERM || rc == SIGINT || rc == SIGHUP ? 0 : 1; }

void fail(const std::string& message) {
  std::fprintf(stderr, "maxio-mount: %s\n", message.c_str());
}

}  // namespace

int run_mount(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse_mount_options(args, getenv_lookup);
  if (!parsed.is_ok()) {
    fail(parsed.status().message());
    return 2;
  }
  auto state_owner = std::make_unique<MountState>();
  MountState& s = *state_owner;
  s.options = std::move(*parsed);
  const MountOptions& o = s.options;
  if (o.show_help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (o.show_version) {
    std::printf("maxio-mount 0.1.0 (libfuse %s)\n", fuse_pkgversion());
    return 0;
  }

  s3client::S3ClientOptions client_options;
  client_options.endpoint = o.endpoint;
  client_options.access_key = o.access_key;
  client_options.secret_key = o.secret_key;
  client_options.session_token = o.session_token;
  client_options.region = o.region;
  client_options.path_style = o.path_style;
  if (o.payload_signing == "unsigned") {
    client_options.payload_signing = s3client::PayloadSigning::kUnsigned;
  } else if (o.payload_signing == "streaming") {
    client_options.payload_signing = s3client::PayloadSigning::kStreaming;
  }
  client_options.http.user_agent = "maxio-mount/0.1";
  client_options.http.max_connections = 128;
  client_options.http.max_idle_connections = 64;
  auto client = s3client::S3Client::create(client_options);
  if (!client.is_ok()) {
    fail(client.status().message());
    return 1;
  }
  s.client = std::move(*client);
  // A bucket that is missing or a server that does not answer fails the mount; refused
  // credentials do not (the files then answer EACCES, as a directory one may not read).
  if (Status st = s.client->head_bucket(o.bucket); !st.is_ok()) {
    ErrorCode c = st.code();
    if (c == ErrorCode::kAccessDenied || c == ErrorCode::kSignatureDoesNotMatch ||
        c == ErrorCode::kInvalidAccessKeyId) {
      fail("warning: bucket " + o.bucket + " refuses these credentials: " + st.to_string());
    } else {
      fail("cannot use bucket " + o.bucket + " at " + o.endpoint + ": " + st.to_string());
      return 1;
    }
  }

  // fuse_daemonize changes to /: resolve the cache directory first.
  const char* tmp = std::getenv("TMPDIR");
  std::string cache_dir = !o.cache_dir.empty() ? o.cache_dir : (tmp && *tmp ? tmp : "/tmp");
  if (char* real = ::realpath(cache_dir.c_str(), nullptr)) {
    cache_dir = real;
    std::free(real);
  } else {
    fail("cache_dir " + cache_dir + ": " + std::strerror(errno));
    return 1;
  }

  std::string fuse_opts = "fsname=maxio:" + o.bucket + (o.prefix.empty() ? "" : "/" + o.prefix) +
                          ",subtype=maxio-mount,max_read=" + std::to_string(o.max_write);
  if (o.read_only) fuse_opts += ",ro";
  if (o.allow_other) fuse_opts += ",allow_other";
  for (const std::string& extra : o.fuse_options) fuse_opts += "," + extra;
  std::vector<std::string> fuse_argv_strings = {"maxio-mount", "-o", fuse_opts};
  if (o.debug) fuse_argv_strings.push_back("-d");
  std::vector<char*> fuse_argv;
  for (std::string& a : fuse_argv_strings) fuse_argv.push_back(a.data());
  fuse_args fargs = FUSE_ARGS_INIT(static_cast<int>(fuse_argv.size()), fuse_argv.data());

  fuse_operations ops = make_operations();
  struct fuse* f = fuse_new(&fargs, &ops, sizeof(ops), &s);
  if (f == nullptr) {
    fail("invalid FUSE options: " + fuse_opts);
    return 2;
  }
  if (fuse_mount(f, o.mountpoint.c_str()) != 0) {
    fuse_destroy(f);
    fail("cannot mount on " + o.mountpoint);
    return 1;
  }
  // Opened before detaching, so a bad path is reported to the user.
  int log_fd = -1;
  if (!o.log_file.empty()) {
    log_fd = ::open(o.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
      fail("log_file " + o.log_file + ": " + std::strerror(errno));
      fuse_unmount(f);
      fuse_destroy(f);
      return 1;
    }
  }
  if (fuse_daemonize(o.foreground ? 1 : 0) != 0) {
    fuse_unmount(f);
    fuse_destroy(f);
    return 1;
  }
  if (log_fd >= 0) {
    ::dup2(log_fd, STDERR_FILENO);
    ::close(log_fd);
  }
  int rc = 1;
  fuse_session* se = fuse_get_session(f);
  if (fuse_set_signal_handlers(se) == 0) {
    // Threads start only now, after fuse_daemonize forked.
    uid_t uid = o.uid.value_or(::getuid());
    gid_t gid = o.gid.value_or(::getgid());
    FilesystemConfig config;
    config.bucket = o.bucket;
    config.prefix = o.prefix;
    config.defaults = {.uid = uid,
                       .gid = gid,
                       .umask = o.umask,
                       .force_uid = o.uid.has_value(),
                       .force_gid = o.gid.has_value()};
    config.read_only = o.read_only;
    config.stat_cache_ttl =
        std::chrono::milliseconds(static_cast<int64_t>(o.stat_cache_ttl * 1000));
    config.negative_cache_ttl =
        std::chrono::milliseconds(static_cast<int64_t>(o.negative_cache_ttl * 1000));
    config.cache_dir = cache_dir;
    config.cache_size = o.cache_size;
    config.multipart_threshold = o.multipart_threshold;
    config.part_size = o.part_size;
    config.parallel = o.parallel;
    config.read_ahead_memory = o.read_ahead_memory;
    config.readdir_prefetch = o.readdir_prefetch;
    auto filesystem = Filesystem::create(s.client, config);
    if (!filesystem.is_ok()) {
      fail(filesystem.status().message());
    } else {
      s.fs = std::move(*filesystem);
      if (o.single_thread) {
        rc = loop_result(fuse_loop(f));
      } else {
        fuse_loop_config* loop = fuse_loop_cfg_create();
        fuse_loop_cfg_set_max_threads(loop, 64);
        fuse_loop_cfg_set_idle_threads(loop, 16);
        rc = loop_result(fuse_loop_mt(f, loop));
        fuse_loop_cfg_destroy(loop);
      }
    }
    if (s.fs && s.fs->flush_all() != 0) {
      fail("some files changed in the mount could not be uploaded (see the log above)");
      rc = 1;
    }
    fuse_remove_signal_handlers(se);
  }
  fuse_unmount(f);
  fuse_destroy(f);
  s.fs.reset();
  return rc;
}

}  // namespace maxio::fuse
