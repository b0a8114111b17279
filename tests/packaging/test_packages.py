"""Debian packages: runs cpack -G DEB in the build tree, unpacks every .deb with dpkg-deb
and checks what a user gets: the exact file lists, control fields and dependencies, the
binaries running from the unpacked tree, man pages, bash completion, the systemd unit
(systemd-analyze verify and security), /etc/default/maxio as a conffile, the maintainer
scripts, and mount.maxio's translation of mount(8) arguments into a maxio-mount command.

Environment (set by tests/packaging/CMakeLists.txt): CPACK, BUILD_DIR, MAXIO_VERSION,
EXPECT_CONSOLE ("1" when the maxio-console target exists).
"""

import gzip
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

CPACK = os.environ["CPACK"]
BUILD_DIR = os.environ["BUILD_DIR"]
VERSION = os.environ["MAXIO_VERSION"]
EXPECT_CONSOLE = os.environ.get("EXPECT_CONSOLE") == "1"

# Every regular file (and symlink) each package ships, and nothing else: a test binary, a
# header or a static library showing up here is a failure.
EXPECTED_FILES = {
    "maxio-server": {
        "etc/default/maxio",
        "lib/systemd/system/maxiod.service",
        "usr/bin/maxiod",
        "usr/share/man/man8/maxiod.8.gz",
    },
    "maxio-mount": {
        "sbin/mount.maxio",
        "usr/bin/maxio-mount",
        "usr/share/man/man1/maxio-mount.1.gz",
        "usr/share/man/man8/mount.maxio.8.gz",
    },
    "maxio-client": {
        "usr/bin/maxioctl",
        "usr/share/bash-completion/completions/maxioctl",
        "usr/share/man/man1/maxioctl.1.gz",
    },
}
if EXPECT_CONSOLE:
    EXPECTED_FILES["maxio-console"] = {
        "usr/bin/maxio-console",
        "usr/share/applications/maxio-console.desktop",
        "usr/share/man/man1/maxio-console.1.gz",
    }

SECTIONS = {"maxio-server": "net", "maxio-mount": "utils", "maxio-client": "net",
            "maxio-console": "admin"}


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 60)
    return subprocess.run(args, **kwargs)


def depends_names(depends):
    """'libc6 (>= 2.34), fuse3 | x' -> {'libc6', 'fuse3', 'x'}"""
    names = set()
    for alternative in re.split(r"[,|]", depends):
        name = alternative.strip().split(" ")[0]
        if name:
            names.add(name)
    return names


class PackagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="maxio-packaging-")
        out = os.path.join(cls.tmp, "out")
        started = time.monotonic()
        result = run([CPACK, "-G", "DEB", "--config",
                      os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", out], timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"cpack failed:\n{result.stdout}\n{result.stderr}")
        print(f"cpack: {time.monotonic() - started:.1f} s", file=sys.stderr)
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        cls.arch = arch
        cls.debs = {}
        for name in os.listdir(out):
            if name.endswith(".deb"):
                cls.debs[name.split("_")[0]] = os.path.join(out, name)
        cls.roots, cls.controls, cls.fields = {}, {}, {}
        cls.root = os.path.join(cls.tmp, "root")  # every package unpacked together
        for package, deb in cls.debs.items():
            root = os.path.join(cls.tmp, "pkg", package)
            control = os.path.join(cls.tmp, "control", package)
            os.makedirs(root)
            os.makedirs(os.path.dirname(control), exist_ok=True)
            os.makedirs(cls.root, exist_ok=True)
            for args in (["dpkg-deb", "-x", deb, root], ["dpkg-deb", "-x", deb, cls.root],
                         ["dpkg-deb", "-e", deb, control]):
                result = run(args)
                if result.returncode != 0:
                    raise AssertionError(f"{' '.join(args)}: {result.stderr}")
            cls.roots[package], cls.controls[package] = root, control
            info = run(["dpkg-deb", "-f", deb]).stdout
            fields = {}
            for match in re.finditer(r"^([A-Za-z-]+): (.*(?:\n .*)*)", info, re.M):
                fields[match.group(1)] = match.group(2)
            cls.fields[package] = fields

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, relative):
        return os.path.join(self.root, relative)

    # --- the packages and their control data

    def test_one_package_per_component_named_by_version_and_architecture(self):
        self.assertEqual(set(self.debs), set(EXPECTED_FILES))
        for package, deb in self.debs.items():
            self.assertEqual(os.path.basename(deb), f"{package}_{VERSION}-1_{self.arch}.deb")
            fields = self.fields[package]
            self.assertEqual(fields["Package"], package)
            self.assertEqual(fields["Version"], f"{VERSION}-1")
            self.assertEqual(fields["Architecture"], self.arch)
            self.assertEqual(fields["Section"], SECTIONS[package])
            self.assertRegex(fields["Maintainer"], r"^[^<>]+ <[^@<>\s]+@[^<>\s]+>$")
            summary, _, body = fields["Description"].partition("\n")
            self.assertIn(f"({package.replace('maxio-server', 'maxiod').replace('maxio-client', 'maxioctl')})",
                          summary)
            self.assertGreater(len(body), 40, f"{package}: no long description")

    def test_dependencies_come_from_the_linked_shared_libraries(self):
        for package in EXPECTED_FILES:
            depends = depends_names(self.fields[package].get("Depends", ""))
            # dpkg-shlibdeps found what every binary links.
            self.assertTrue({"libc6", "libstdc++6", "libssl3"} <= depends, f"{package}: {depends}")
        self.assertTrue({"adduser", "libisal2", "libxxhash0"} <= depends_names(
            self.fields["maxio-server"]["Depends"]))
        self.assertTrue({"fuse3", "libfuse3-3"} <= depends_names(
            self.fields["maxio-mount"]["Depends"]))
        if EXPECT_CONSOLE:
            self.assertTrue(any(name.startswith("libqt6widgets") for name in depends_names(
                self.fields["maxio-console"]["Depends"])))

    def test_each_package_ships_exactly_its_files(self):
        for package, expected in EXPECTED_FILES.items():
            listed = run(["dpkg-deb", "-c", self.debs[package]]).stdout.splitlines()
            files = set()
            for line in listed:
                if line.startswith("d"):
                    continue
                name = line.split(" ./", 1)[1].split(" -> ")[0]
                files.add(name)
            self.assertEqual(files, expected, package)

    # --- binaries, man pages, completion

    def test_binaries_run_from_the_unpacked_tree(self):
        binaries = {"maxiod": "maxiod server", "maxio-mount": "BUCKET[/PREFIX] MOUNTPOINT",
                    "maxioctl": "COMMANDS:"}
        if EXPECT_CONSOLE:
            binaries["maxio-console"] = "--endpoint"
        for binary, usage in binaries.items():
            path = self.path(f"usr/bin/{binary}")
            mode = os.stat(path).st_mode
            self.assertTrue(mode & stat.S_IXOTH, f"{binary} not executable by all")
            self.assertEqual(run(["file", "-b", path]).stdout.count("not stripped"), 0, binary)
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            result = run([path, "--help"], env=env)
            self.assertEqual(result.returncode, 0, f"{binary} --help: {result.stderr}")
            self.assertIn(usage, result.stdout, binary)
            result = run([path, "--version"], env=env)
            self.assertEqual(result.returncode, 0, f"{binary} --version: {result.stderr}")
            self.assertIn(VERSION, result.stdout, binary)

    def environment_file(self):
        """(values, commented-out names) of /etc/default/maxio, read as systemd reads an
        EnvironmentFile (NAME=value lines, optional double quotes)."""
        values, commented = {}, set()
        for line in self.read("etc/default/maxio").splitlines():
            line = line.strip()
            if match := re.match(r"^#\s*(MAXIO_[A-Z_]+)=", line):
                commented.add(match.group(1))
            if not line or line.startswith("#"):
                continue
            match = re.match(r'^([A-Z_][A-Z0-9_]*)=("[^"]*"|\S*)$', line)
            self.assertIsNotNone(match, f"not NAME=value: {line}")
            values[match.group(1)] = match.group(2).strip('"')
        return values, commented

    def test_packaged_maxiod_runs_as_the_unit_starts_it(self):
        # ExecStart expanded as systemd does ($VAR: split on white space) with the shipped
        # environment file, only the drive and the port changed; as root, run the way the
        # unit confines it: an unprivileged user, no capabilities, no new privileges,
        # UMask=0027.
        unit = self.read("lib/systemd/system/maxiod.service")
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1).split()
        env, _ = self.environment_file()
        drive = os.path.join(self.tmp, "drive")
        os.mkdir(drive)
        env["MAXIO_VOLUMES"] = drive
        env["MAXIO_OPTS"] = env["MAXIO_OPTS"].replace(":9000", "127.0.0.1:0")
        argv = []
        for word in exec_start:
            if word.startswith("$"):
                argv += env.get(word[1:], "").split()
            else:
                argv.append(self.path(word.lstrip("/")) if word == "/usr/bin/maxiod" else word)
        self.assertEqual(argv[1:3], ["server", "--address"])
        confined = os.geteuid() == 0 and shutil.which("setpriv")
        if confined:
            os.chown(drive, 65534, 65534)
            os.chmod(self.tmp, 0o755)
            argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"] + argv
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, preexec_fn=lambda: os.umask(0o027),
                                   env=dict(os.environ, **{k: v for k, v in env.items()
                                                           if k != "MAXIO_OPTS"}))
        try:
            deadline = time.monotonic() + 20
            ready = None
            while time.monotonic() < deadline and ready is None:
                line = process.stdout.readline()
                if not line:
                    break
                if line.startswith("Ready: "):
                    ready = line.split()[1]
            self.assertIsNotNone(ready, process.stderr.read() if process.poll() else "")
            import urllib.request
            with urllib.request.urlopen(ready + "/minio/health/live", timeout=5) as response:
                self.assertEqual(response.status, 200)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=15)
            self.assertEqual(process.returncode, 0, err)
        format_json = os.path.join(drive, ".minio.sys", "format.json")
        self.assertTrue(os.path.isfile(format_json))
        if confined:
            self.assertEqual(os.stat(format_json).st_uid, 65534)
            self.assertEqual(os.stat(format_json).st_mode & 0o007, 0)  # UMask=0027

    def test_man_pages_render_without_warnings(self):
        pages = {"usr/share/man/man8/maxiod.8.gz": ["--address", "MAXIO_VOLUMES"],
                 "usr/share/man/man1/maxio-mount.1.gz": ["--endpoint", "allow_other"],
                 "usr/share/man/man1/maxioctl.1.gz": ["maxioctl admin heal", "--json"],
                 "usr/share/man/man8/mount.maxio.8.gz": ["x-systemd.automount", "-o OPTIONS"]}
        if EXPECT_CONSOLE:
            pages["usr/share/man/man1/maxio-console.1.gz"] = ["--endpoint"]
        for page, words in pages.items():
            with gzip.open(self.path(page), "rt") as f:
                self.assertIn(".SH NAME", f.read())
            env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="100", MAN_KEEP_FORMATTING="")
            result = run(["man", "--warnings", "-E", "UTF-8", "-l", self.path(page)], env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stderr.strip(), "", page)
            text = result.stdout
            self.assertIn("NAME", text)
            for word in words:
                # Options are real minus signs (\-), so they read and paste as typed.
                self.assertIn(word, text, page)

    def test_bash_completion_registers_maxioctl(self):
        script = self.path("usr/share/bash-completion/completions/maxioctl")
        self.assertEqual(run(["bash", "-n", script]).returncode, 0)
        result = run(["bash", "-c", f"source {script} && complete -p maxioctl"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("-F _maxioctl", result.stdout)

    def test_desktop_entry_is_valid(self):
        if not EXPECT_CONSOLE:
            self.skipTest("no maxio-console")
        entry = self.path("usr/share/applications/maxio-console.desktop")
        result = run(["desktop-file-validate", entry])
        self.assertEqual((result.returncode, result.stdout + result.stderr), (0, ""))
        self.assertIn("\nExec=maxio-console\n", self.read(
            "usr/share/applications/maxio-console.desktop"))

    # --- maxio-server: unit, environment file, maintainer scripts

    def read(self, relative):
        with open(self.path(relative)) as f:
            return f.read()

    def test_unit_runs_maxiod_as_maxio_from_the_environment_file(self):
        unit = self.read("lib/systemd/system/maxiod.service")
        for line in ["User=maxio", "EnvironmentFile=/etc/default/maxio",
                     "ExecStart=/usr/bin/maxiod server $MAXIO_OPTS $MAXIO_VOLUMES",
                     "Restart=on-failure", "LimitNOFILE=1048576", "TimeoutStopSec=30s",
                     "NoNewPrivileges=yes", "WantedBy=multi-user.target"]:
            self.assertIn("\n" + line + "\n", unit)

    def test_unit_passes_systemd_analyze_verify(self):
        # systemd-analyze checks that ExecStart's binary exists and that the man page in
        # Documentation= resolves: verify a copy whose absolute paths point into the
        # unpacked tree (nothing else changed), with MANPATH on the unpacked man pages.
        unit = self.read("lib/systemd/system/maxiod.service")
        rewritten = unit
        for path in ["/usr/bin/maxiod", "/etc/default/maxio"]:
            self.assertIn(path, unit)
            rewritten = rewritten.replace(path, self.root + path)
        directory = os.path.join(self.tmp, "verify")
        os.makedirs(directory, exist_ok=True)
        copy = os.path.join(directory, "maxiod.service")
        with open(copy, "w") as f:
            f.write(rewritten)
        env = dict(os.environ, MANPATH=self.path("usr/share/man"))
        result = run(["systemd-analyze", "verify", copy], env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        # Warnings (unknown keys, bad values) do not change the exit code: none allowed.
        self.assertEqual((result.stdout + result.stderr).strip(), "")
        # The hardening keeps systemd's exposure score "OK" (below 2.0 of 10).
        result = run(["systemd-analyze", "security", "--offline=yes", "--threshold=20", copy])
        self.assertEqual(result.returncode, 0, result.stdout[-2000:] + result.stderr)
        self.assertRegex(result.stdout, r"Overall exposure level for maxiod.service: 1\.\d OK")

    def test_unit_check_catches_a_broken_unit(self):
        # The verify step above can fail: a missing binary and an unknown key are reported.
        directory = os.path.join(self.tmp, "broken")
        os.makedirs(directory, exist_ok=True)
        copy = os.path.join(directory, "maxiod.service")
        with open(copy, "w") as f:
            f.write(self.read("lib/systemd/system/maxiod.service")
                    .replace("/usr/bin/maxiod", self.root + "/usr/bin/no-such-maxiod")
                    .replace("[Service]\n", "[Service]\nNoSuchKey=1\n"))
        result = run(["systemd-analyze", "verify", "--man=no", copy])
        output = result.stdout + result.stderr
        self.assertIn("NoSuchKey", output)
        self.assertIn("no-such-maxiod", output)

    def test_environment_file_is_a_private_conffile(self):
        control = self.controls["maxio-server"]
        with open(os.path.join(control, "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/default/maxio"])
        mode = stat.S_IMODE(os.stat(self.path("etc/default/maxio")).st_mode)
        self.assertEqual(mode, 0o600)
        values, commented = self.environment_file()
        self.assertEqual(values["MAXIO_VOLUMES"], "/var/lib/maxio")
        self.assertIn("--address", values["MAXIO_OPTS"])
        self.assertTrue({"MAXIO_ROOT_USER", "MAXIO_ROOT_PASSWORD"} <= commented)
        self.assertNotIn("MAXIO_ROOT_PASSWORD", values)
        # The documented settings are ones maxiod reads.
        usage = run([self.path("usr/bin/maxiod"), "--help"]).stdout
        for name in values.keys() | commented:
            if name != "MAXIO_OPTS":
                self.assertIn(name, usage)

    def test_maintainer_scripts(self):
        control = self.controls["maxio-server"]
        for script in ["postinst", "prerm", "postrm"]:
            path = os.path.join(control, script)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o755, script)
            self.assertEqual(run(["sh", "-n", path]).returncode, 0, script)
            if shutil.which("shellcheck"):
                result = run(["shellcheck", path])
                self.assertEqual(result.returncode, 0, result.stdout)
        with open(os.path.join(control, "postinst")) as f:
            postinst = f.read()
        self.assertIn("adduser --system --group", postinst)
        self.assertIn(" maxio\n", postinst)
        for package in EXPECTED_FILES:
            if package != "maxio-server":
                self.assertFalse(os.path.exists(os.path.join(self.controls[package], "postinst")))

    # --- mount.maxio

    def mount_helper(self, args, fake_exit=0):
        """Runs the packaged mount.maxio with MAXIO_MOUNT pointing at a fake maxio-mount
        that records its argv; returns (exit code, argv or None, stderr)."""
        record = os.path.join(self.tmp, "argv")
        if os.path.exists(record):
            os.unlink(record)
        fake = os.path.join(self.tmp, "fake-maxio-mount")
        with open(fake, "w") as f:
            f.write(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {record}\n'
                    f"exit {fake_exit}\n")
        os.chmod(fake, 0o755)
        env = dict(os.environ, MAXIO_MOUNT=fake)
        result = run([self.path("sbin/mount.maxio")] + args, env=env)
        argv = None
        if os.path.exists(record):
            with open(record) as f:
                argv = f.read().splitlines()
        return result.returncode, argv, result.stderr

    def test_mount_helper_is_a_clean_shell_script(self):
        helper = self.path("sbin/mount.maxio")
        self.assertTrue(os.stat(helper).st_mode & stat.S_IXUSR)
        self.assertEqual(run(["sh", "-n", helper]).returncode, 0)
        if shutil.which("shellcheck"):
            result = run(["shellcheck", helper])
            self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("/usr/bin/maxio-mount", self.read("sbin/mount.maxio"))

    def test_mount_helper_translates_an_fstab_line(self):
        # fstab: mybucket /mnt/data maxio _netdev,noauto,x-systemd.automount,alias=prod 0 0
        # systemd/mount(8) then run: mount.maxio mybucket /mnt/data -o rw,<the options>
        code, argv, err = self.mount_helper(
            ["mybucket", "/mnt/data", "-o",
             "rw,_netdev,noauto,x-systemd.automount,x-systemd.idle-timeout=60,nofail,"
             "user=bob,alias=prod,allow_other,uid=1000"])
        self.assertEqual(code, 0, err)
        self.assertEqual(argv, ["mybucket", "/mnt/data", "-o", "rw,alias=prod,allow_other,uid=1000"])

    def test_mount_helper_translates_mount_t_maxio(self):
        # mount -t maxio photos/2024 /mnt/p -o endpoint=...,access_key=... -v -s -n
        code, argv, err = self.mount_helper(
            ["photos/2024", "/mnt/p", "-snv", "-o",
             "endpoint=http://127.0.0.1:9000,access_key=AK,secret_key=S*K", "-t", "maxio"])
        self.assertEqual(code, 0, err)
        # mount(8)'s -s/-n/-v are not maxio-mount's -s (single thread) and the like.
        self.assertEqual(argv, ["photos/2024", "/mnt/p", "-o",
                                "endpoint=http://127.0.0.1:9000,access_key=AK,secret_key=S*K"])
        self.assertIn("secret_key=***", err)  # -v shows the command, secret masked
        self.assertNotIn("S*K", err)
        # Only mount(8) options: no -o at all.
        code, argv, err = self.mount_helper(["b", "/mnt/b", "-o", "defaults,_netdev"])
        self.assertEqual((code, argv), (0, ["b", "/mnt/b"]), err)

    def test_mount_helper_fake_mode_and_exit_codes(self):
        # -f (fake): print what would run, run nothing.
        code, argv, err = self.mount_helper(["b", "/mnt/b", "-f", "-o", "alias=x"])
        self.assertEqual((code, argv), (0, None))
        self.assertIn("maxio-mount b /mnt/b -o alias=x", err)
        # maxio-mount failing is mount(8)'s "mount failure" (32); usage errors are 1.
        code, argv, _ = self.mount_helper(["b", "/mnt/b", "-o", "alias=x"], fake_exit=1)
        self.assertEqual((code, argv), (32, ["b", "/mnt/b", "-o", "alias=x"]))
        for bad in (["b"], ["b", "/mnt/b", "-q"], ["b", "/mnt/b", "extra"], ["b", "/m", "-o"]):
            code, argv, err = self.mount_helper(bad)
            self.assertEqual((code, argv), (1, None), bad)
            self.assertTrue(err.strip(), bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)
