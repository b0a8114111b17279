"""maxio-console against a real maxiod (4 drives, one erasure set), without a display
(QT_QPA_PLATFORM=offscreen): `maxio-console --screenshot` connects, waits for its first
refresh, saves the window as a PNG and prints what its models hold. Checked: the server
info, topology and per-bucket counts match the server (objects and bytes put by this
test, the deployment ID of format.json), the PNG is the window with the topology's
state colours in it, a removed drive shows offline (in red), an alias of maxioctl's
config works, refused credentials and an unreachable server end in errors in the status
bar (exit 1, no crash), usage errors exit 2.

Environment: MAXIOD, MAXIO_CONSOLE, MAXIO_VERSION (set by tests/gui/CMakeLists.txt).
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from harness import Daemon, free_port  # noqa: E402

CONSOLE = os.environ["MAXIO_CONSOLE"]
VERSION = os.environ["MAXIO_VERSION"]

# TopologyModel::state_colour
ONLINE_GREEN = (0xc8, 0xe6, 0xc9)
OFFLINE_RED = (0xef, 0x9a, 0x9a)
DEGRADED_ORANGE = (0xff, 0xcc, 0x80)

OBJECTS = {"photos": {"a.jpg": 1000, "b.jpg": 250_000, "c/d.jpg": 3},
           "logs": {"today.log": 4096},
           "empty": {}}


def read_png(path):
    """(width, height, set of (r, g, b) pixels) of an 8-bit RGB/RGBA PNG, as Qt writes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        row_start = y * (stride + 1)
        kind = raw[row_start]
        line = bytearray(raw[row_start + 1:row_start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + predictor) & 0xFF
        for x in range(0, stride, channels):
            colours.add(tuple(line[x:x + 3]))
        previous = line
    return width, height, colours


class ConsoleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(drives=["d{1...4}"], extra_env={
            "MAXIO_SCANNER_INTERVAL": "1s", "MAXIO_DRIVE_PROBE_INTERVAL": "1s"}).start()
        cls.out = tempfile.mkdtemp(prefix="maxio-console-test-")
        d = cls.daemon
        for bucket, objects in OBJECTS.items():
            status, _, body = d.raw_request("PUT", f"/{bucket}")
            assert status == 200, (status, body)
            for key, size in objects.items():
                status, _, body = d.raw_request("PUT", f"/{bucket}/{key}", body=b"x" * size)
                assert status == 200, (status, body)
        # Object counts come from the scanner: wait for a cycle that saw every object.
        deadline = time.monotonic() + 30
        while True:
            status, _, body = d.raw_request("GET", "/maxio/admin/v1/datausage")
            usage = json.loads(body) if status == 200 else {}
            counted = {b["bucket"]: b["objects"] for b in usage.get("buckets") or []}
            if all(counted.get(b) == len(o) for b, o in OBJECTS.items() if o):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"the scanner never counted the objects: {usage}")
            time.sleep(0.5)
        with open(os.path.join(d.drives[0], ".minio.sys", "format.json")) as f:
            cls.deployment_id = json.load(f)["id"]

    @classmethod
    def tearDownClass(cls):
        try:
            cls.daemon.stop()
        finally:
            if os.environ.get("MAXIO_IT_KEEP"):
                print(f"screenshots kept in {cls.out}", file=sys.stderr)
            else:
                shutil.rmtree(cls.out, ignore_errors=True)

    def console(self, *args, keys=True, env=None, timeout=60):
        """Runs maxio-console; returns (exit code, JSON summary or None, stderr, seconds)."""
        run_env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("MAXIO_", "AWS_"))}
        run_env.update(QT_QPA_PLATFORM="offscreen", MAXIO_CONFIG_DIR=self.out,
                       XDG_RUNTIME_DIR=self.out)
        if keys:
            run_env.update(MAXIO_ACCESS_KEY=self.daemon.access_key,
                           MAXIO_SECRET_KEY=self.daemon.secret_key)
        run_env.update(env or {})
        started = time.monotonic()
        result = subprocess.run([CONSOLE, *args], capture_output=True, text=True,
                                env=run_env, timeout=timeout)
        lines = result.stdout.strip().splitlines()
        summary = json.loads(lines[-1]) if lines else None
        return result.returncode, summary, result.stderr, time.monotonic() - started

    def screenshot(self, name, *args, **kwargs):
        path = os.path.join(self.out, name)
        code, summary, err, seconds = self.console("--screenshot", path, *args, **kwargs)
        return path, code, summary, err, seconds

    def test_1_overview_topology_and_buckets_match_the_server(self):
        path, code, summary, err, _ = self.screenshot(
            "topology.png", "--endpoint", self.daemon.endpoint, "--tab", "topology")
        self.assertEqual(code, 0, err)
        self.assertEqual(summary["errors"], [])
        info = summary["info"]
        self.assertEqual(info["Version"], VERSION)
        self.assertEqual(info["Deployment ID"], self.deployment_id)
        self.assertEqual(info["Endpoints"], self.daemon.endpoint)
        self.assertEqual(info["Pools / sets / drives"], "1 / 1 / 4")
        self.assertEqual(info["Drives online / offline / healing"], "4 / 0 / 0")
        self.assertEqual(info["Parity"], "STANDARD EC:2, REDUCED_REDUNDANCY EC:1")
        self.assertRegex(info["Uptime"], r"^\d+(s|m \d+s)$")
        self.assertEqual((summary["pools"], summary["sets"], summary["drives"],
                          summary["drives_online"]), (1, 1, 4, 4))
        buckets = {b["name"]: (b["objects"], b["bytes"]) for b in summary["buckets"]}
        self.assertEqual(buckets, {b: (len(o), sum(o.values())) for b, o in OBJECTS.items()})

        width, height, colours = read_png(path)
        self.assertEqual((width, height), (1100, 700))  # the window, not a blank image
        self.assertIn(ONLINE_GREEN, colours)  # drive state cells
        self.assertNotIn(OFFLINE_RED, colours)
        self.assertGreater(len(colours), 20)  # text, frames: a rendered window

        for tab in ("overview", "buckets"):
            path, code, summary, err, _ = self.screenshot(
                f"{tab}.png", "--endpoint", self.daemon.endpoint, "--tab", tab)
            self.assertEqual(code, 0, err)
            self.assertEqual(summary["refreshes"], 1)
            width, height, colours = read_png(path)
            self.assertEqual((width, height), (1100, 700))
            self.assertNotIn(ONLINE_GREEN, colours)  # the topology tab is not shown

    def test_1b_refreshes_on_its_timer(self):
        _, code, summary, err, seconds = self.screenshot(
            "third.png", "--endpoint", self.daemon.endpoint, "--refresh", "1",
            "--refreshes", "3")
        self.assertEqual(code, 0, err)
        self.assertEqual(summary["refreshes"], 3)
        # The first at once, then one a second (Qt's coarse timers may fire 5% early).
        self.assertGreaterEqual(seconds, 1.9)
        self.assertEqual(summary["drives"], 4)

    def test_2_alias_from_maxioctl_config(self):
        with open(os.path.join(self.out, "config.json"), "w") as f:
            json.dump({"version": "1", "aliases": {"it": {
                "url": self.daemon.endpoint, "accessKey": self.daemon.access_key,
                "secretKey": self.daemon.secret_key, "api": "s3v4", "path": "auto"}}}, f)
        _, code, summary, err, _ = self.screenshot("alias.png", "--alias", "it", keys=False)
        self.assertEqual(code, 0, err)
        self.assertEqual(summary["info"]["Deployment ID"], self.deployment_id)
        code, _, err, _ = self.console("--alias", "nope", "--screenshot", "x.png", keys=False)
        self.assertEqual(code, 2)
        self.assertIn("no alias nope", err)

    def test_3_refused_credentials_are_errors_not_a_crash(self):
        path, code, summary, err, _ = self.screenshot(
            "refused.png", "--endpoint", self.daemon.endpoint,
            env={"MAXIO_SECRET_KEY": "wrong-secret-key"})
        self.assertEqual(code, 1, err)
        self.assertEqual(len(summary["errors"]), 1, summary["errors"])
        self.assertIn("SignatureDoesNotMatch", summary["errors"][0])
        self.assertEqual((summary["drives"], summary["buckets"], summary["info"]), (0, [], {}))
        self.assertTrue(os.path.getsize(path) > 0)

    def test_4_unreachable_server(self):
        _, code, summary, err, seconds = self.screenshot(
            "unreachable.png", "--endpoint", f"http://127.0.0.1:{free_port()}")
        self.assertEqual(code, 1, err)
        self.assertEqual(len(summary["errors"]), 1)
        self.assertTrue(summary["errors"][0].startswith("server info: "), summary["errors"])
        self.assertLess(seconds, 20)

    def test_5_usage_errors(self):
        for args in (["--tab", "drives"], ["--refresh", "0"], ["--refreshes", "x"], ["stray"],
                     ["--screenshot", "x.png"]):  # no endpoint
            code, _, err, _ = self.console(*args, keys=False)
            self.assertEqual(code, 2, args)
            self.assertTrue(err.startswith("maxio-console: "), err)
        code, _, err, _ = self.console("--screenshot", os.path.join(self.out, "no", "dir.png"),
                                       "--endpoint", self.daemon.endpoint)
        self.assertEqual(code, 4, err)

    def test_6_removed_drive_shows_offline(self):
        # Last: the deployment stays degraded.
        shutil.rmtree(self.daemon.drives[1])
        deadline = time.monotonic() + 20
        while True:
            path, code, summary, err, _ = self.screenshot(
                "offline.png", "--endpoint", self.daemon.endpoint, "--tab", "topology")
            self.assertEqual(code, 0, err)
            if summary["drives_online"] == 3 or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.assertEqual(summary["drives_online"], 3)
        self.assertEqual(summary["info"]["Drives online / offline / healing"], "3 / 1 / 0")
        _, _, colours = read_png(path)
        self.assertIn(OFFLINE_RED, colours)      # the drive
        self.assertIn(DEGRADED_ORANGE, colours)  # its set and pool
        self.assertIn(ONLINE_GREEN, colours)     # the others


if __name__ == "__main__":
    unittest.main(verbosity=2)
