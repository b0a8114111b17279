"""maxio-mount under real workloads: untar of the project's own source tree compared with
diff -r, and an fsx-style seeded random sequence of operations applied to the mount and to a
local directory in step, compared after every step and again through a fresh mount."""

import errno
import os
import random
import shutil
import stat
import subprocess

from mount_harness import MountTestCase, main


def tree_state(root):
    """{relative path: (kind, size, permissions)} of everything under root, lstat-based."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p), None)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", None, stat.S_IMODE(st.st_mode))
            else:
                out[rel] = ("file", st.st_size, stat.S_IMODE(st.st_mode))
    return out


def file_contents(root):
    out = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                with open(p, "rb") as f:
                    out[os.path.relpath(p, root)] = f.read()
    return out


class Fsx:
    """Applies the same random operation to two roots and reports what each returned."""

    def __init__(self, seed, roots):
        self.rng = random.Random(seed)
        self.roots = roots
        self.log = []

    def existing(self, kind):
        state = tree_state(self.roots[1])  # the local model
        return sorted(p for p, (k, _, _) in state.items() if k == kind)

    def new_name(self):
        dirs = [""] + self.existing("dir")
        return os.path.join(self.rng.choice(dirs), f"f{self.rng.randrange(40)}")

    def step(self):
        r = self.rng
        files = self.existing("file")
        dirs = self.existing("dir")
        ops = ["create", "mkdir"]
        if files:
            ops += ["write", "write", "append", "truncate", "read", "rename", "unlink", "chmod",
                    "symlink", "overwrite"]
        if dirs:
            ops += ["rmdir", "rename_dir"]
        op = r.choice(ops)
        if op == "create":
            args = (self.new_name(), r.randbytes(r.randrange(0, 200_000)))
        elif op in ("write", "overwrite"):
            path = r.choice(files)
            size = os.path.getsize(os.path.join(self.roots[1], path))
            args = (path, r.randrange(0, size + 50_000), r.randbytes(r.randrange(1, 100_000)))
        elif op == "append":
            args = (r.choice(files), r.randbytes(r.randrange(1, 30_000)))
        elif op == "truncate":
            path = r.choice(files)
            size = os.path.getsize(os.path.join(self.roots[1], path))
            args = (path, r.randrange(0, size * 2 + 10))
        elif op == "read":
            path = r.choice(files)
            size = os.path.getsize(os.path.join(self.roots[1], path))
            args = (path, r.randrange(0, size + 1), r.randrange(1, 150_000))
        elif op == "rename":
            args = (r.choice(files), self.new_name())
        elif op in ("unlink",):
            args = (r.choice(files),)
        elif op == "chmod":
            args = (r.choice(files), r.choice([0o600, 0o644, 0o640, 0o755, 0o400]))
        elif op == "symlink":
            args = (r.choice(files), self.new_name() + ".lnk")
        elif op == "mkdir":
            parent = r.choice([""] + dirs)
            args = (os.path.join(parent, f"d{r.randrange(10)}"),)
        elif op == "rmdir":
            args = (r.choice(dirs),)
        elif op == "rename_dir":
            args = (r.choice(dirs), os.path.join(r.choice([""] + dirs), f"d{r.randrange(10)}"))
        results = [self.apply(root, op, args) for root in self.roots]
        self.log.append((op, args[:1] if op in ("create",) else args[:2] if op != "write" else
                         args[:2], results))
        return op, args, results

    @staticmethod
    def apply(root, op, args):
        p = lambda rel: os.path.join(root, rel)  # noqa: E731
        try:
            if op == "create":
                with open(p(args[0]), "wb") as f:
                    f.write(args[1])
            elif op in ("write", "overwrite"):
                with open(p(args[0]), "r+b" if op == "write" else "wb") as f:
                    if op == "write":
                        f.seek(args[1])
                    f.write(args[2])
            elif op == "append":
                with open(p(args[0]), "ab") as f:
                    f.write(args[1])
            elif op == "truncate":
                os.truncate(p(args[0]), args[1])
            elif op == "read":
                with open(p(args[0]), "rb") as f:
                    f.seek(args[1])
                    return f.read(args[2])
            elif op == "rename":
                os.rename(p(args[0]), p(args[1]))
            elif op == "unlink":
                os.unlink(p(args[0]))
            elif op == "chmod":
                os.chmod(p(args[0]), args[1])
            elif op == "symlink":
                os.symlink(os.path.basename(args[0]), p(args[1]))
            elif op == "mkdir":
                os.mkdir(p(args[0]), 0o755)
            elif op == "rmdir":
                os.rmdir(p(args[0]))
            elif op == "rename_dir":
                os.rename(p(args[0]), p(args[1]))
            return "ok"
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e.errno))


class WorkloadTest(MountTestCase):
    mount_args = ("-o", "stat_cache_ttl=1,negative_cache_ttl=1")

    def test_untar_source_tree_and_diff(self):
        src = os.environ["MAXIO_SOURCE_DIR"]
        local = os.path.join(self.work, "src-local")
        dest = os.path.join(self.mnt, "src")
        os.makedirs(local)
        os.makedirs(dest)
        archive = subprocess.run(["git", "-C", src, "archive", "HEAD"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", local], input=archive, check=True)
        subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
        p = subprocess.run(["diff", "-r", local, dest], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout[-4000:] + p.stderr[-2000:])
        self.assertEqual(tree_state(local), tree_state(dest))  # modes and symlinks too
        # And from a fresh mount, with no cache of what was written.
        other = self.new_mount("src-check")
        try:
            p = subprocess.run(["diff", "-r", local, os.path.join(other.mountpoint, "src")],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout[-4000:])
        finally:
            other.stop()

    def test_fsx_random_operations_match_a_local_directory(self):
        seed = int(os.environ.get("FSX_SEED", "20240601"))
        steps = int(os.environ.get("FSX_STEPS", "400"))
        local = os.path.join(self.work, "fsx-local")
        remote = os.path.join(self.mnt, "fsx")
        os.makedirs(local)
        os.makedirs(remote)
        fsx = Fsx(seed, [remote, local])
        for i in range(steps):
            op, args, results = fsx.step()
            context = f"seed {seed} step {i}: {op} {[a if not isinstance(a, bytes) else len(a) for a in args]}"
            self.assertEqual(results[0], results[1], context)
            self.assertEqual(tree_state(remote), tree_state(local), context)
            if op in ("write", "overwrite", "append", "truncate", "create", "rename"):
                target = args[1] if op == "rename" else args[0]
                with open(os.path.join(local, target), "rb") as f:
                    want = f.read()
                with open(os.path.join(remote, target), "rb") as f:
                    self.assertEqual(f.read(), want, context)
        self.assertEqual(file_contents(remote), file_contents(local))
        other = self.new_mount("fsx-check")
        try:
            again = os.path.join(other.mountpoint, "fsx")
            self.assertEqual(tree_state(again), tree_state(local))
            self.assertEqual(file_contents(again), file_contents(local))
        finally:
            other.stop()
        shutil.rmtree(remote)
        self.assertEqual([k for k in self.keys("fsx/")], [])


if __name__ == "__main__":
    main()
