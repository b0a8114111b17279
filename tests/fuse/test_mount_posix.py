"""maxio-mount against a real maxiod: POSIX operations through the mount, checked against
what S3 then holds, and the mount's life cycle (background, fstab form, SIGTERM, ro, bad
credentials, aliases)."""

import errno
import json
import os
import random
import signal
import stat
import subprocess
import time

from mount_harness import Mount, MountTestCase, is_mounted, main, maxio_mount_path
from harness import clean_env, deterministic_bytes


class PosixTest(MountTestCase):
    def path(self, *parts):
        return os.path.join(self.mnt, *parts)

    def write(self, rel, data, mode="wb"):
        with open(self.path(rel), mode) as f:
            f.write(data)

    def read(self, rel):
        with open(self.path(rel), "rb") as f:
            return f.read()

    # ---------------------------------------------------------------- files
    def test_create_and_read(self):
        data = deterministic_bytes(300_000, seed=1)
        self.write("created.bin", data)
        self.assertEqual(self.read("created.bin"), data)
        self.assertEqual(self.get("created.bin"), data)
        self.assertEqual(os.stat(self.path("created.bin")).st_size, len(data))
        meta = self.s3.head_object(Bucket=self.bucket, Key="created.bin")["Metadata"]
        self.assertEqual(int(meta["mode"]) & 0o170000, stat.S_IFREG)
        self.assertEqual(meta["uid"], str(os.getuid()))
        self.assertEqual(meta["gid"], str(os.getgid()))
        self.assertAlmostEqual(int(meta["mtime"]), time.time(), delta=60)

    def test_empty_file(self):
        open(self.path("empty"), "wb").close()
        self.assertEqual(self.get("empty"), b"")
        self.assertEqual(os.stat(self.path("empty")).st_size, 0)

    def test_overwrite_shorter_and_longer(self):
        self.write("over.txt", b"a much longer first version\n")
        self.write("over.txt", b"short\n")
        self.assertEqual(self.read("over.txt"), b"short\n")
        self.assertEqual(self.get("over.txt"), b"short\n")
        self.write("over.txt", b"x" * 100_000)
        self.assertEqual(self.get("over.txt"), b"x" * 100_000)

    def test_append(self):
        self.write("log.txt", b"one\n")
        self.write("log.txt", b"two\n", mode="ab")
        fd = os.open(self.path("log.txt"), os.O_WRONLY | os.O_APPEND)
        os.write(fd, b"three\n")
        os.close(fd)
        self.assertEqual(self.read("log.txt"), b"one\ntwo\nthree\n")
        self.assertEqual(self.get("log.txt"), b"one\ntwo\nthree\n")

    def test_truncate(self):
        data = deterministic_bytes(2_000_000, seed=2)
        self.write("trunc.bin", data)
        os.truncate(self.path("trunc.bin"), 1000)
        self.assertEqual(self.get("trunc.bin"), data[:1000])
        os.truncate(self.path("trunc.bin"), 5000)
        self.assertEqual(self.get("trunc.bin"), data[:1000] + b"\0" * 4000)
        with open(self.path("trunc.bin"), "r+b") as f:
            f.truncate(10)
        self.assertEqual(self.get("trunc.bin"), data[:10])
        os.truncate(self.path("trunc.bin"), 0)
        self.assertEqual(self.get("trunc.bin"), b"")
        self.assertEqual(os.stat(self.path("trunc.bin")).st_size, 0)

    def test_random_writes_into_an_existing_object(self):
        model = bytearray(deterministic_bytes(3 * 1024 * 1024 + 17, seed=3))
        self.s3.put_object(Bucket=self.bucket, Key="random.bin", Body=bytes(model))
        rng = random.Random(7)
        fd = os.open(self.path("random.bin"), os.O_RDWR)
        try:
            for _ in range(200):
                off = rng.randrange(0, len(model) + 100_000)
                chunk = rng.randbytes(rng.randrange(1, 70_000))
                os.pwrite(fd, chunk, off)
                if off > len(model):
                    model.extend(b"\0" * (off - len(model)))
                model[off:off + len(chunk)] = chunk
                if rng.random() < 0.2:  # interleaved reads see the writes
                    roff = rng.randrange(0, len(model))
                    self.assertEqual(os.pread(fd, 5000, roff), bytes(model[roff:roff + 5000]))
        finally:
            os.close(fd)
        self.assertEqual(self.read("random.bin"), bytes(model))
        self.assertEqual(self.get("random.bin"), bytes(model))

    def test_two_handles_share_one_file(self):
        with open(self.path("shared.txt"), "wb") as w:
            w.write(b"hello")
            w.flush()
            with open(self.path("shared.txt"), "rb") as r:
                self.assertEqual(r.read(), b"hello")
        self.assertEqual(self.get("shared.txt"), b"hello")

    def test_fsync_uploads_before_close(self):
        with open(self.path("synced.txt"), "wb") as f:
            f.write(b"durable")
            f.flush()
            os.fsync(f.fileno())
            self.assertEqual(self.get("synced.txt"), b"durable")

    def test_unlink(self):
        self.write("gone.txt", b"x")
        os.unlink(self.path("gone.txt"))
        self.assertFalse(os.path.exists(self.path("gone.txt")))
        self.assertNotIn("gone.txt", self.keys())
        with self.assertRaises(FileNotFoundError):
            os.unlink(self.path("gone.txt"))

    def test_unlinked_open_file_is_not_uploaded_again(self):
        f = open(self.path("ghost.txt"), "wb")
        f.write(b"boo")
        f.flush()
        os.unlink(self.path("ghost.txt"))
        f.write(b"more")
        f.close()
        self.assertNotIn("ghost.txt", self.keys())

    def test_sequential_read_of_a_large_object(self):
        data = deterministic_bytes(40 * 1024 * 1024 + 123, seed=4)
        self.s3.put_object(Bucket=self.bucket, Key="big-read.bin", Body=data)
        self.assertEqual(self.read("big-read.bin"), data)
        with open(self.path("big-read.bin"), "rb") as f:  # random ranges
            rng = random.Random(1)
            for _ in range(50):
                off = rng.randrange(0, len(data))
                f.seek(off)
                self.assertEqual(f.read(4096), data[off:off + 4096])

    # ---------------------------------------------------------------- names
    def test_rename_file(self):
        self.write("before.txt", b"content")
        os.chmod(self.path("before.txt"), 0o600)
        os.rename(self.path("before.txt"), self.path("after.txt"))
        self.assertFalse(os.path.exists(self.path("before.txt")))
        self.assertEqual(self.read("after.txt"), b"content")
        self.assertEqual(stat.S_IMODE(os.stat(self.path("after.txt")).st_mode), 0o600)
        keys = self.keys()
        self.assertIn("after.txt", keys)
        self.assertNotIn("before.txt", keys)
        # Over an existing file.
        self.write("other.txt", b"replaced")
        os.rename(self.path("other.txt"), self.path("after.txt"))
        self.assertEqual(self.get("after.txt"), b"replaced")

    def test_rename_open_file_while_writing(self):
        f = open(self.path("moving.txt"), "wb")
        f.write(b"first ")
        os.rename(self.path("moving.txt"), self.path("moved.txt"))
        f.write(b"second")
        f.close()
        self.assertEqual(self.get("moved.txt"), b"first second")
        self.assertNotIn("moving.txt", self.keys())

    def test_rename_directory(self):
        os.makedirs(self.path("tree", "a", "b"))
        self.write("tree/top.txt", b"top")
        self.write("tree/a/mid.txt", b"mid")
        self.write("tree/a/b/deep.txt", b"deep")
        os.rename(self.path("tree"), self.path("tree2"))
        self.assertFalse(os.path.exists(self.path("tree")))
        self.assertEqual(self.read("tree2/a/b/deep.txt"), b"deep")
        self.assertEqual(sorted(os.listdir(self.path("tree2"))), ["a", "top.txt"])
        self.assertEqual(sorted(self.keys("tree")),
                         ["tree2/", "tree2/a/", "tree2/a/b/", "tree2/a/b/deep.txt",
                          "tree2/a/mid.txt", "tree2/top.txt"])
        with self.assertRaises(OSError) as e:
            os.rename(self.path("tree2"), self.path("tree2", "a", "inside"))
        self.assertEqual(e.exception.errno, errno.EINVAL)

    def test_mkdir_rmdir(self):
        os.mkdir(self.path("d"), 0o750)
        self.assertTrue(os.path.isdir(self.path("d")))
        self.assertEqual(stat.S_IMODE(os.stat(self.path("d")).st_mode), 0o750)
        self.assertIn("d/", self.keys())
        with self.assertRaises(FileExistsError):
            os.mkdir(self.path("d"))
        self.write("d/f", b"1")
        with self.assertRaises(OSError) as e:
            os.rmdir(self.path("d"))
        self.assertEqual(e.exception.errno, errno.ENOTEMPTY)
        os.unlink(self.path("d/f"))
        os.rmdir(self.path("d"))
        self.assertFalse(os.path.exists(self.path("d")))
        self.assertNotIn("d/", self.keys())
        with self.assertRaises(FileNotFoundError):
            os.rmdir(self.path("d"))

    def test_directories_from_keys_without_markers(self):
        self.s3.put_object(Bucket=self.bucket, Key="implicit/x/y/z.txt", Body=b"z")
        self.assertTrue(os.path.isdir(self.path("implicit")))
        self.assertEqual(os.listdir(self.path("implicit")), ["x"])
        self.assertEqual(os.listdir(self.path("implicit/x")), ["y"])
        self.assertEqual(self.read("implicit/x/y/z.txt"), b"z")

    def test_symlink(self):
        self.write("target.txt", b"pointed at")
        os.symlink("target.txt", self.path("link"))
        self.assertTrue(os.path.islink(self.path("link")))
        self.assertEqual(os.readlink(self.path("link")), "target.txt")
        self.assertEqual(self.read("link"), b"pointed at")
        self.assertEqual(self.get("link"), b"target.txt")  # s3fs's convention
        meta = self.s3.head_object(Bucket=self.bucket, Key="link")["Metadata"]
        self.assertEqual(int(meta["mode"]) & 0o170000, stat.S_IFLNK)
        os.unlink(self.path("link"))
        self.assertTrue(os.path.exists(self.path("target.txt")))

    def test_names_that_need_escaping(self):
        names = ["a b+c%20d.txt", "é漢字 ☃", "semi;colon&amp=eq?q#h", "~tilde'quote\"", "-dash"]
        os.mkdir(self.path("esc dir+%"))
        for n in names:
            self.write(f"esc dir+%/{n}", n.encode())
        self.assertEqual(sorted(os.listdir(self.path("esc dir+%"))), sorted(names))
        for n in names:
            self.assertEqual(self.get(f"esc dir+%/{n}"), n.encode())
            self.assertEqual(self.read(f"esc dir+%/{n}"), n.encode())
        os.rename(self.path("esc dir+%"), self.path("esc dir 2"))
        self.assertEqual(sorted(os.listdir(self.path("esc dir 2"))), sorted(names))

    def test_hard_links_are_refused(self):
        self.write("solo.txt", b"1")
        with self.assertRaises(OSError) as e:
            os.link(self.path("solo.txt"), self.path("hard.txt"))
        self.assertEqual(e.exception.errno, errno.EPERM)

    def test_readdir_pages_through_listings(self):
        from concurrent.futures import ThreadPoolExecutor
        names = [f"n{i:05d}" for i in range(2500)]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda n: self.s3.put_object(Bucket=self.bucket, Key=f"many/{n}",
                                                       Body=b""), names))
        self.assertEqual(sorted(os.listdir(self.path("many"))), names)

    # ---------------------------------------------------------------- attributes
    def test_chmod_chown_utimes_persist_as_s3fs_metadata(self):
        self.write("attrs.txt", b"a")
        os.chmod(self.path("attrs.txt"), 0o640)
        os.chown(self.path("attrs.txt"), 1234, 5678)
        os.utime(self.path("attrs.txt"), (1500000000, 1234567890))
        st = os.stat(self.path("attrs.txt"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o640)
        self.assertEqual((st.st_uid, st.st_gid), (1234, 5678))
        self.assertEqual(int(st.st_mtime), 1234567890)
        meta = self.s3.head_object(Bucket=self.bucket, Key="attrs.txt")["Metadata"]
        self.assertEqual(meta["mode"], str(stat.S_IFREG | 0o640))
        self.assertEqual((meta["uid"], meta["gid"]), ("1234", "5678"))
        self.assertEqual(meta["mtime"], "1234567890")
        self.assertEqual(self.get("attrs.txt"), b"a")  # the copy kept the content
        # A fresh mount (no caches) sees the same.
        other = self.new_mount("attrs-mnt")
        try:
            st = os.stat(os.path.join(other.mountpoint, "attrs.txt"))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o640)
            self.assertEqual((st.st_uid, st.st_gid, int(st.st_mtime)), (1234, 5678, 1234567890))
        finally:
            other.stop()

    def test_chmod_directory(self):
        os.mkdir(self.path("cd"))
        os.chmod(self.path("cd"), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.path("cd")).st_mode), 0o700)
        meta = self.s3.head_object(Bucket=self.bucket, Key="cd/")["Metadata"]
        self.assertEqual(meta["mode"], str(stat.S_IFDIR | 0o700))

    def test_objects_written_by_s3fs_conventions(self):
        self.s3.put_object(Bucket=self.bucket, Key="s3fs.txt", Body=b"s",
                           Metadata={"mode": str(stat.S_IFREG | 0o604), "uid": "42",
                                     "gid": "43", "mtime": "1600000000"})
        st = os.stat(self.path("s3fs.txt"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o604)
        self.assertEqual((st.st_uid, st.st_gid, int(st.st_mtime)), (42, 43, 1600000000))

    def test_s3fs_sees_what_maxio_mount_wrote_and_back(self):
        # Both mounts of one bucket, each writing entries with modes, owners, mtimes and
        # symlinks that the other must show the same.
        mp = os.path.join(self.work, "s3fs-mnt")
        os.makedirs(mp)
        pw = os.path.join(self.work, "s3fs-passwd")
        with open(pw, "w") as f:
            f.write(f"{self.daemon.access_key}:{self.daemon.secret_key}\n")
        os.chmod(pw, 0o600)
        log = open(os.path.join(self.work, "s3fs.log"), "wb")
        proc = subprocess.Popen(
            ["s3fs", self.bucket, mp, "-f", "-o",
             f"url={self.daemon.endpoint},use_path_request_style,passwd_file={pw},nomultipart,"
             "stat_cache_expire=1,enable_noobj_cache"],
            stdout=log, stderr=log, env=clean_env())
        try:
            deadline = time.monotonic() + 15
            while not is_mounted(mp):
                self.assertIsNone(proc.poll(), "s3fs exited")
                self.assertLess(time.monotonic(), deadline, "s3fs did not mount")
                time.sleep(0.1)

            def entries(root, sub):
                out = {}
                for name in ("d", "d/f.txt", "d/link"):
                    p = os.path.join(root, sub, name)
                    st = os.lstat(p)
                    out[name] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid,
                                 st.st_gid, int(st.st_mtime) if not stat.S_ISLNK(st.st_mode)
                                 else None)
                out["target"] = os.readlink(os.path.join(root, sub, "d/link"))
                with open(os.path.join(root, sub, "d/f.txt"), "rb") as f:
                    out["data"] = f.read()
                return out

            def make(root, sub):
                os.makedirs(os.path.join(root, sub))
                d = os.path.join(root, sub, "d")
                os.mkdir(d)
                with open(os.path.join(d, "f.txt"), "wb") as f:
                    f.write(b"interop " + sub.encode())
                os.chmod(os.path.join(d, "f.txt"), 0o640)
                os.chown(os.path.join(d, "f.txt"), 1234, 5678)
                os.utime(os.path.join(d, "f.txt"), (1500000000, 1234567890))
                os.symlink("f.txt", os.path.join(d, "link"))
                os.chmod(d, 0o750)
                os.chown(d, 4321, 8765)
                os.utime(d, (1500000000, 1300000000))

            make(self.mnt, "by-maxio")
            make(mp, "by-s3fs")
            time.sleep(2.5)  # both mounts' attribute caches
            for sub in ("by-maxio", "by-s3fs"):
                self.assertEqual(entries(self.mnt, sub), entries(mp, sub), sub)
            self.assertEqual(entries(self.mnt, "by-s3fs")["d/f.txt"],
                             (stat.S_IFREG, 0o640, 1234, 5678, 1234567890))
            self.assertEqual(entries(mp, "by-maxio")["d"],
                             (stat.S_IFDIR, 0o750, 4321, 8765, 1300000000))
        finally:
            subprocess.run(["fusermount3", "-u", mp], capture_output=True)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()

    def test_statfs(self):
        st = os.statvfs(self.mnt)
        self.assertGreater(st.f_bavail * st.f_frsize, 1 << 40)
        self.assertEqual(st.f_namemax, 255)

    def test_errors(self):
        with self.assertRaises(FileNotFoundError):
            open(self.path("no-such-file"), "rb")
        with self.assertRaises(FileNotFoundError):
            os.stat(self.path("no/such/dir"))
        os.mkdir(self.path("errdir"))
        with self.assertRaises(IsADirectoryError):
            open(self.path("errdir"), "wb")
        self.write("errfile", b"")
        with self.assertRaises(NotADirectoryError):
            os.listdir(self.path("errfile"))

    # ---------------------------------------------------------------- other clients
    def test_awscli_interop(self):
        aws = os.environ.get("AWS_CLI") or "aws"
        env = self.daemon.aws_env()
        base = [aws, "--endpoint-url", self.daemon.endpoint, "s3"]
        src = os.path.join(self.work, "from-aws.bin")
        data = deterministic_bytes(1_500_000, seed=9)
        with open(src, "wb") as f:
            f.write(data)
        subprocess.run(base + ["cp", src, f"s3://{self.bucket}/aws/in.bin"], env=env,
                       check=True, capture_output=True)
        self.assertIn("in.bin", os.listdir(self.path("aws")))
        self.assertEqual(self.read("aws/in.bin"), data)
        self.write("aws/out.bin", data[::-1])
        dst = os.path.join(self.work, "to-aws.bin")
        subprocess.run(base + ["cp", f"s3://{self.bucket}/aws/out.bin", dst], env=env,
                       check=True, capture_output=True)
        with open(dst, "rb") as f:
            self.assertEqual(f.read(), data[::-1])

    def test_close_to_open_sees_other_writers(self):
        self.write("c2o.txt", b"old")
        self.assertEqual(self.read("c2o.txt"), b"old")
        self.s3.put_object(Bucket=self.bucket, Key="c2o.txt", Body=b"new and longer")
        time.sleep(2.5)  # attr_timeout (1 s) + stat_cache_ttl (1 s in this mount)
        self.assertEqual(self.read("c2o.txt"), b"new and longer")
        # Same size, other bytes: the kernel's cached pages must not be reused.
        self.assertEqual(self.read("c2o.txt"), b"new and longer")
        self.s3.put_object(Bucket=self.bucket, Key="c2o.txt", Body=b"NEW AND LONGER")
        time.sleep(2.5)
        self.assertEqual(self.read("c2o.txt"), b"NEW AND LONGER")

    # ---------------------------------------------------------------- mount life cycle
    def test_read_only_mount(self):
        self.write("ro.txt", b"readable")
        m = self.new_mount("ro-mnt", args=["-o", "ro"])
        try:
            with open(os.path.join(m.mountpoint, "ro.txt"), "rb") as f:
                self.assertEqual(f.read(), b"readable")
            for op in (lambda: open(os.path.join(m.mountpoint, "new.txt"), "wb"),
                       lambda: open(os.path.join(m.mountpoint, "ro.txt"), "ab"),
                       lambda: os.mkdir(os.path.join(m.mountpoint, "newdir")),
                       lambda: os.unlink(os.path.join(m.mountpoint, "ro.txt"))):
                with self.assertRaises(OSError) as e:
                    op()
                self.assertEqual(e.exception.errno, errno.EROFS)
        finally:
            m.stop()

    def test_wrong_secret_gives_eacces(self):
        self.write("secret.txt", b"s")
        m = self.new_mount("bad-mnt", secret_key="not-the-secret-key")
        try:
            for op in (lambda: open(os.path.join(m.mountpoint, "new.txt"), "wb"),
                       lambda: open(os.path.join(m.mountpoint, "secret.txt"), "rb"),
                       lambda: os.mkdir(os.path.join(m.mountpoint, "newdir")),
                       lambda: os.listdir(m.mountpoint)):
                with self.assertRaises(OSError) as e:
                    op()
                self.assertEqual(e.exception.errno, errno.EACCES)
        finally:
            m.stop()
        self.assertNotIn("new.txt", self.keys())

    def test_sigterm_unmounts_cleanly(self):
        m = self.new_mount("term-mnt")
        with open(os.path.join(m.mountpoint, "t.txt"), "wb") as f:
            f.write(b"t")
        m.stop(how="sigterm")
        self.assertFalse(is_mounted(m.mountpoint))
        self.assertEqual(self.get("t.txt"), b"t")

    def test_sigterm_uploads_files_still_open(self):
        m = self.new_mount("term-open-mnt")
        f = open(os.path.join(m.mountpoint, "open.txt"), "wb")
        f.write(b"written but never closed")
        f.flush()  # reaches the mount; close(2) never comes before the signal
        m.proc.send_signal(signal.SIGTERM)
        self.assertEqual(m.proc.wait(15), 0, m.logs())
        m.proc = None
        m.log.close()
        try:
            f.close()
        except OSError:
            pass  # the mount is gone
        self.assertEqual(self.get("open.txt"), b"written but never closed")

    def test_shared_mmap_writes_reach_the_object(self):
        import mmap
        self.write("mapped.bin", b"\0" * 8192)
        with open(self.path("mapped.bin"), "r+b") as f:
            with mmap.mmap(f.fileno(), 8192) as mm:
                mm[100:105] = b"hello"
                mm.flush()
        data = self.get("mapped.bin")
        self.assertEqual(data[100:105], b"hello")
        self.assertEqual(len(data), 8192)

    def test_background_mount_and_fusermount(self):
        log = os.path.join(self.work, "bg.log")
        m = self.new_mount("bg-mnt", background=True, args=["-o", f"log_file={log}"])
        try:
            self.assertTrue(os.path.isdir(m.mountpoint))
            os.listdir(m.mountpoint)
        finally:
            m.stop()
        self.assertTrue(os.path.exists(log))

    def test_mount_helper_form_through_mount8(self):
        # /etc/fstab: "BUCKET MOUNTPOINT fuse.maxio-mount OPTIONS 0 0" runs mount.fuse3,
        # which runs "maxio-mount BUCKET MOUNTPOINT -o OPTIONS" found on PATH.
        mp = os.path.join(self.work, "fstab-mnt")
        os.makedirs(mp)
        env = clean_env()
        env["PATH"] = os.path.dirname(maxio_mount_path()) + ":" + env.get("PATH", "")
        opts = (f"endpoint={self.daemon.endpoint},access_key={self.daemon.access_key},"
                f"secret_key={self.daemon.secret_key},_netdev,uid=4321")
        # mount(8) runs its helpers with a fixed PATH, so run the helper it would run
        # (mount.fuse3 SOURCE MOUNTPOINT -t TYPE -o OPTIONS) with the build directory on PATH.
        p = subprocess.run(["/sbin/mount.fuse3", self.bucket, mp, "-t", "maxio-mount",
                            "-o", opts], env=env, capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        try:
            self.write("fstab.txt", b"f")
            self.assertEqual(os.stat(os.path.join(mp, "fstab.txt")).st_uid, 4321)
            with open("/proc/self/mounts") as f:
                line = next(l for l in f if l.split()[1] == os.path.realpath(mp))
            self.assertEqual(line.split()[2], "fuse.maxio-mount")
        finally:
            subprocess.run(["umount", mp], check=True)

    def test_alias_from_maxioctl_config(self):
        home = os.path.join(self.work, "home")
        os.makedirs(os.path.join(home, ".config", "maxio"))
        with open(os.path.join(home, ".config", "maxio", "config.json"), "w") as f:
            json.dump({"version": "1", "aliases": {"dev": {
                "url": self.daemon.endpoint, "accessKey": self.daemon.access_key,
                "secretKey": self.daemon.secret_key, "api": "s3v4", "path": "auto"}}}, f)
        self.write("alias.txt", b"via alias")
        m = Mount(self.daemon, self.bucket, os.path.join(self.work, "alias-mnt"),
                  args=["-o", "alias=dev"],
                  env={"HOME": home, "MAXIO_ENDPOINT": "", "MAXIO_ACCESS_KEY": "",
                       "MAXIO_SECRET_KEY": ""}).start()
        try:
            with open(os.path.join(m.mountpoint, "alias.txt"), "rb") as f:
                self.assertEqual(f.read(), b"via alias")
        finally:
            m.stop()

    def test_uid_gid_umask_options(self):
        self.write("owned.txt", b"o")
        os.chmod(self.path("owned.txt"), 0o666)
        m = self.new_mount("ids-mnt", args=["-o", "uid=2000,gid=3000,umask=027"])
        try:
            st = os.stat(os.path.join(m.mountpoint, "owned.txt"))
            self.assertEqual((st.st_uid, st.st_gid), (2000, 3000))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o640)
            self.assertEqual(stat.S_IMODE(os.stat(m.mountpoint).st_mode), 0o750)
        finally:
            m.stop()
        # The stored mode is untouched.
        self.assertEqual(stat.S_IMODE(os.stat(self.path("owned.txt")).st_mode), 0o666)

    def test_cache_size_limits_staged_bytes(self):
        m = self.new_mount("small-cache-mnt", args=["-o", "cache_size=2M"])
        try:
            with open(os.path.join(m.mountpoint, "fits.bin"), "wb") as f:
                f.write(b"f" * (1 << 20))
            with self.assertRaises(OSError) as e:
                with open(os.path.join(m.mountpoint, "too-big.bin"), "wb") as f:
                    f.write(b"t" * (3 << 20))
            self.assertEqual(e.exception.errno, errno.ENOSPC)
        finally:
            m.stop()
        self.assertEqual(len(self.get("fits.bin")), 1 << 20)

    def test_prefix_mount(self):
        self.s3.put_object(Bucket=self.bucket, Key="projects/p1/readme", Body=b"r")
        m = Mount(self.daemon, f"{self.bucket}/projects/p1", os.path.join(self.work, "pfx-mnt"))
        m.start()
        try:
            self.assertIn("readme", os.listdir(m.mountpoint))
            with open(os.path.join(m.mountpoint, "new"), "wb") as f:
                f.write(b"n")
        finally:
            m.stop()
        self.assertEqual(self.get("projects/p1/new"), b"n")


PosixTest.mount_args = ("-o", "stat_cache_ttl=1,negative_cache_ttl=1")

if __name__ == "__main__":
    main()
