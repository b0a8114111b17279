"""The admin API (docs/admin-api.md) against a real maxiod with 6 drives in one erasure set.

Every route is called with SigV4-signed requests as the root user: authentication and
routing errors, info/topology/datausage, a heal run (status polled and streamed), the
configuration (set, get, history, restore, kept across a restart and a crash), the trace
and console-log streams, and service restart (same PID and port, serving again) and stop
(the process exits 0, open streams end).
"""

import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from harness import Daemon, sign_v4  # noqa: E402

ADMIN = "/maxio/admin/v1"
DRIVES = 6


def encode_query(params):
    """Query string encoded as SigV4 canonicalizes it (so what is sent is what is signed)."""
    return "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                    for k, v in params.items())


class MultiDriveDaemon(Daemon):
    """A harness Daemon whose drive list is its own drive plus DRIVES - 1 more in a
    temporary directory of their own (maxiod creates and formats them)."""

    def __init__(self, drives=DRIVES, extra_env=None):
        self.extra_root = tempfile.mkdtemp(prefix="maxio-it-admin-")
        self.extra_drives = [os.path.join(self.extra_root, f"drive{i}") for i in range(2, drives + 1)]
        super().__init__(extra_args=self.extra_drives, extra_env=extra_env)

    def all_drives(self):
        return [self.drive] + self.extra_drives

    def cleanup_extra(self):
        if not os.environ.get("MAXIO_IT_KEEP"):
            shutil.rmtree(self.extra_root, ignore_errors=True)


class AdminClient:
    """Signed admin requests against one daemon."""

    def __init__(self, daemon):
        self.d = daemon

    def _headers(self, method, path, query, body, secret=None, access=None):
        host = f"{self.d.host}:{self.d.port}"
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        return sign_v4(method, url, {"Host": host}, body, access or self.d.access_key,
                       secret or self.d.secret_key)

    def request(self, method, route, params=None, body=b"", sign=True, secret=None, access=None,
                path=None):
        """(status, headers, parsed JSON or None, raw body)."""
        path = path or ADMIN + route
        query = encode_query(params or {})
        headers = self._headers(method, path, query, body, secret, access) if sign else \
            {"Host": f"{self.d.host}:{self.d.port}"}
        conn = http.client.HTTPConnection(self.d.host, self.d.port, timeout=60)
        try:
            conn.request(method, path + (f"?{query}" if query else ""), body=body or None,
                         headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = None
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, parsed, raw
        finally:
            conn.close()

    def ok(self, method, route, params=None, body=b"", status=200):
        code, _, doc, raw = self.request(method, route, params, body)
        if code != status:
            raise AssertionError(f"{method} {route} {params}: {code} {raw!r}\n{self.d.logs()}")
        return doc

    def stream(self, route, params=None):
        return Stream(self, route, params)


class Stream:
    """An open JSON-lines stream; lines() yields parsed lines, skipping keep-alives."""

    def __init__(self, client, route, params=None):
        d = client.d
        path = ADMIN + route
        query = encode_query(params or {})
        headers = client._headers("GET", path, query, b"")
        self.conn = http.client.HTTPConnection(d.host, d.port, timeout=20)
        self.conn.request("GET", path + (f"?{query}" if query else ""), headers=headers)
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.headers = {k.lower(): v for k, v in self.resp.getheaders()}
        self.raw_lines = []

    def lines(self):
        while True:
            line = self.resp.readline()
            if not line:
                return
            self.raw_lines.append(line)
            line = line.strip()
            if line:
                yield json.loads(line)

    def first(self, predicate, limit=200):
        """The first line for which predicate is true (reading at most `limit` lines)."""
        for n, line in enumerate(self.lines()):
            if predicate(line):
                return line
            if n >= limit:
                break
        raise AssertionError(f"no matching line in {self.raw_lines[-20:]}")

    def close(self):
        self.conn.close()


def s3_ok(daemon, method, path, body=b"", query=""):
    status, _, data = daemon.raw_request(method, path, query=query, body=body)
    if status not in (200, 204):
        raise AssertionError(f"S3 {method} {path}: {status} {data!r}")
    return data


class AdminApiTest(unittest.TestCase):
    """One 6-drive daemon for the whole class; tests run in name order (test_NN_...)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A scanner cycle every second, so that /datausage fills in quickly.
        cls.daemon = MultiDriveDaemon(extra_env={"MAXIO_SCANNER_INTERVAL": "1s"}).start()
        cls.admin = AdminClient(cls.daemon)

    @classmethod
    def tearDownClass(cls):
        daemon, cls.daemon = cls.daemon, None
        try:
            if daemon is not None:
                daemon.stop()
        finally:
            if daemon is not None:
                daemon.cleanup_extra()
            super().tearDownClass()

    def tearDown(self):
        if self.daemon is not None and not self.daemon.alive():
            self.fail(f"maxiod is no longer running\n{self.daemon.logs()}")
        super().tearDown()

    # ------------------------------------------------------------------ auth and routing
    def test_01_authentication_and_routing_errors(self):
        status, headers, doc, _ = self.admin.request("GET", "/info", sign=False)
        self.assertEqual(status, 403)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(doc["Code"], "AccessDenied")
        self.assertEqual(len(doc["RequestId"]), 16)
        self.assertEqual(headers["x-amz-request-id"], doc["RequestId"])

        status, _, doc, _ = self.admin.request("GET", "/info", secret="not-the-secret-key")
        self.assertEqual(status, 403)
        self.assertEqual(doc["Code"], "SignatureDoesNotMatch")

        status, _, doc, _ = self.admin.request("GET", "/info", access="NOSUCHACCESSKEY123")
        self.assertEqual(status, 403)
        self.assertEqual(doc["Code"], "InvalidAccessKeyId")

        status, _, doc, _ = self.admin.request("GET", "/no-such-route")
        self.assertEqual(status, 404)
        self.assertEqual(doc["Code"], "XMaxioAdminNoSuchAPI")
        status, _, doc, _ = self.admin.request("GET", None, path="/maxio/admin/v2/info")
        self.assertEqual(status, 404)
        self.assertEqual(doc["Code"], "XMaxioAdminNoSuchAPI")

        status, headers, doc, _ = self.admin.request("DELETE", "/config")
        self.assertEqual(status, 405)
        self.assertEqual(doc["Code"], "MethodNotAllowed")
        self.assertEqual(headers["allow"], "GET, PUT")

        # The S3 API is untouched beside it.
        status, headers, _ = self.daemon.raw_request("GET", "/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/xml")

    # ------------------------------------------------------------------ server
    def test_02_info(self):
        info = self.admin.ok("GET", "/info")
        self.assertRegex(info["version"], r"^\d+\.\d+\.\d+")
        self.assertGreaterEqual(info["uptime_seconds"], 0)
        self.assertRegex(info["deployment_id"], r"^[0-9a-f-]{36}$")
        self.assertEqual(info["region"], harness.REGION)
        self.assertEqual(info["endpoints"], [self.daemon.endpoint])
        self.assertEqual((info["pools"], info["sets"], info["drives"]), (1, 1, DRIVES))
        self.assertEqual((info["drives_online"], info["drives_offline"], info["drives_healing"]),
                         (DRIVES, 0, 0))
        self.assertEqual(info["parity"]["standard"], 3)  # MinIO's default for 6 drives

    def test_03_topology(self):
        topology = self.admin.ok("GET", "/topology")
        self.assertEqual(len(topology["pools"]), 1)
        pool = topology["pools"][0]
        self.assertEqual(pool["drives_per_set"], DRIVES)
        self.assertEqual(len(pool["sets"]), 1)
        drives = pool["sets"][0]["drives"]
        self.assertEqual([d["endpoint"] for d in drives], self.daemon.all_drives())
        self.assertEqual([d["index"] for d in drives], list(range(DRIVES)))
        for d in drives:
            self.assertEqual(d["state"], "online")
            self.assertRegex(d["uuid"], r"^[0-9a-f-]{36}$")
            self.assertGreater(d["total_bytes"], 0)
            self.assertEqual(d["used_bytes"] + d["free_bytes"] <= d["total_bytes"], True)
        self.assertEqual(len({d["uuid"] for d in drives}), DRIVES)

    def test_04_datausage(self):
        s3_ok(self.daemon, "PUT", "/usage-bucket")
        for i in range(3):
            s3_ok(self.daemon, "PUT", f"/usage-bucket/obj{i}", body=b"x" * (100 + i))
        deadline = time.monotonic() + 30
        usage = None
        while time.monotonic() < deadline:
            usage = self.admin.ok("GET", "/datausage")
            buckets = {b["bucket"]: b for b in usage["buckets"]}
            if buckets.get("usage-bucket", {}).get("objects") == 3:
                break
            time.sleep(0.3)
        else:
            self.fail(f"datausage never counted the bucket: {usage}")
        self.assertEqual(buckets["usage-bucket"]["bytes"], 303)
        self.assertIsNotNone(usage["updated"])
        self.assertGreaterEqual(usage["totals"]["objects"], 3)
        self.assertEqual(usage["totals"]["buckets"], len(usage["buckets"]))

    # ------------------------------------------------------------------ heal
    def test_05_heal_run_status_and_stream(self):
        status, _, doc, _ = self.admin.request("POST", "/heal/stop")
        self.assertEqual((status, doc["Code"]), (409, "XMaxioHealNotRunning"))
        status, _, doc, _ = self.admin.request("POST", "/heal/start", {"bucket": "no-such-bucket"})
        self.assertEqual((status, doc["Code"]), (404, "NoSuchBucket"))
        status, _, doc, _ = self.admin.request("POST", "/heal/start", {"deep": "maybe"})
        self.assertEqual((status, doc["Code"]), (400, "XMaxioAdminInvalidArgument"))

        s3_ok(self.daemon, "PUT", "/heal-bucket")
        for i in range(5):
            s3_ok(self.daemon, "PUT", f"/heal-bucket/dir/obj{i}", body=os.urandom(2000 + i))
        # One drive loses an object entirely; healing puts it back.
        lost = os.path.join(self.daemon.all_drives()[2], "heal-bucket", "dir", "obj3")
        self.assertTrue(os.path.isdir(lost), lost)
        shutil.rmtree(lost)

        run = self.admin.ok("POST", "/heal/start", {"bucket": "heal-bucket", "deep": "true"},
                            status=202)
        self.assertEqual(run["state"], "running")
        self.assertEqual((run["bucket"], run["deep"]), ("heal-bucket", True))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status_doc = self.admin.ok("GET", "/heal/status")
            if status_doc["state"] != "running":
                break
            time.sleep(0.1)
        self.assertEqual(status_doc["id"], run["id"])
        self.assertEqual(status_doc["state"], "done", status_doc)
        self.assertEqual((status_doc["buckets_total"], status_doc["buckets_done"]), (1, 1))
        self.assertGreaterEqual(status_doc["counters"]["objects_scanned"], 5)
        self.assertEqual(status_doc["errors"], [])
        self.assertIsNotNone(status_doc["finished"])
        self.assertIn("scanner_cycles", status_doc["background"])
        self.assertTrue(os.path.isfile(os.path.join(lost, "xl.meta")), "the object was not healed")

        # Every bucket, followed on the stream until the run ends.
        run = self.admin.ok("POST", "/heal/start", status=202)
        stream = self.admin.stream("/heal/stream")
        try:
            self.assertEqual(stream.status, 200)
            self.assertEqual(stream.headers["content-type"], "application/x-ndjson")
            lines = list(stream.lines())  # the server ends the response with the run
        finally:
            stream.close()
        self.assertGreaterEqual(len(lines), 1)
        self.assertEqual(lines[-1]["id"], run["id"])
        self.assertEqual(lines[-1]["state"], "done")
        self.assertGreaterEqual(lines[-1]["buckets_total"], 2)
        self.assertTrue(all(line["state"] == "running" for line in lines[:-1]))

    # ------------------------------------------------------------------ configuration
    def test_06_config_set_get_history_restore(self):
        config = self.admin.ok("GET", "/config")
        self.assertEqual(config, {"region": harness.REGION,
                                  "scanner": {"interval": "1s", "deep_every": 0},
                                  "drive_probe_interval": "5s"})

        for body, message in [(b"{", "not valid JSON"),
                              (b'{"scanner": {"intervl": "1m"}}', "unknown key 'scanner.intervl'"),
                              (b'{"scanner": {"interval": "5d"}}', "unknown unit 'd'"),
                              (b'{"scanner": {"deep_every": -2}}', "scanner.deep_every"),
                              (b'{"region": "us east"}', "region:")]:
            status, _, doc, raw = self.admin.request("PUT", "/config", body=body)
            self.assertEqual(status, 400, raw)
            self.assertEqual(doc["Code"], "XMaxioAdminConfigInvalid")
            self.assertIn(message, doc["Message"])

        first = self.admin.ok("PUT", "/config",
                              body=b'{"scanner": {"interval": "45s"}, "drive_probe_interval": "3s"}')
        self.assertTrue(first["restart_required"])
        # This daemon runs with MAXIO_SCANNER_INTERVAL=1s: as in MinIO, the environment wins
        # over the stored value, and the answer says so.
        self.assertEqual(first["config"]["scanner"], {"interval": "1s", "deep_every": 0})
        self.assertEqual(first["overridden_by_environment"], ["scanner.interval"])
        self.assertEqual(self.admin.ok("GET", "/config")["drive_probe_interval"], "3s")

        second = self.admin.ok("PUT", "/config", body=b'{"scanner": {"deep_every": 5}}')
        config = self.admin.ok("GET", "/config")
        # A PUT replaces what is stored: the interval is the command line's again.
        self.assertEqual(config["scanner"], {"interval": "1s", "deep_every": 5})
        self.assertEqual(config["drive_probe_interval"], "5s")

        history = self.admin.ok("GET", "/config/history")["entries"]
        self.assertEqual([e["id"] for e in history[:2]], [second["id"], first["id"]])
        self.assertEqual(history[1]["config"],
                         {"scanner": {"interval": "45s"}, "drive_probe_interval": "3s"})

        restored = self.admin.ok("POST", "/config/restore", {"id": first["id"]})
        self.assertEqual(restored["restored_from"], first["id"])
        config = self.admin.ok("GET", "/config")
        self.assertEqual(config["scanner"], {"interval": "1s", "deep_every": 0})
        self.assertEqual(config["drive_probe_interval"], "3s")
        history = self.admin.ok("GET", "/config/history")["entries"]
        self.assertEqual(history[0]["id"], restored["id"])
        self.assertEqual(history[0]["restored_from"], first["id"])

        status, _, doc, _ = self.admin.request("POST", "/config/restore",
                                               {"id": "1700000000000-00000000"})
        self.assertEqual((status, doc["Code"]), (404, "XMaxioAdminNoSuchConfigHistory"))
        status, _, doc, _ = self.admin.request("POST", "/config/restore")
        self.assertEqual((status, doc["Code"]), (400, "XMaxioAdminInvalidArgument"))

        # Stored as system objects, erasure-coded over every drive.
        for drive in self.daemon.all_drives():
            self.assertTrue(os.path.isdir(os.path.join(
                drive, ".minio.sys", "config", "maxio", "config.json")), drive)

    # ------------------------------------------------------------------ streams
    def test_07_trace(self):
        stream = self.admin.stream("/trace")
        try:
            self.assertEqual(stream.status, 200)
            self.assertEqual(stream.headers["content-type"], "application/x-ndjson")
            self.daemon.raw_request("GET", "/trace-no-such-bucket")
            # A presigned request: its signature must not show in the trace.
            from botocore.auth import S3SigV4QueryAuth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            req = AWSRequest(method="GET", url=f"{self.daemon.endpoint}/heal-bucket/dir/obj1")
            S3SigV4QueryAuth(Credentials(self.daemon.access_key, self.daemon.secret_key), "s3",
                             harness.REGION, expires=60).add_auth(req)
            presigned = urllib.parse.urlsplit(req.url)
            signature = urllib.parse.parse_qs(presigned.query)["X-Amz-Signature"][0]
            status, _, _ = self.daemon.raw_request("GET", presigned.path, query=presigned.query,
                                                   sign=False)
            self.assertEqual(status, 200)

            missing = stream.first(lambda l: l.get("bucket") == "trace-no-such-bucket")
            self.assertEqual(missing["status"], 404)
            self.assertEqual(missing["method"], "GET")
            self.assertEqual(missing["access_key"], self.daemon.access_key)
            got = stream.first(lambda l: l.get("key") == "dir/obj1")
            self.assertEqual((got["api"], got["status"]), ("GetObject", 200))
            self.assertIn("X-Amz-Signature=REDACTED", got["query"])
            self.assertEqual(got["bytes_out"], 2001)
        finally:
            stream.close()
        text = b"".join(stream.raw_lines).decode()
        self.assertNotIn(signature, text)
        self.assertNotIn(self.daemon.secret_key, text)
        self.assertNotIn("Authorization", text)
        self.assertNotIn("AWS4-HMAC-SHA256 Credential", text)

        # Filtered: errors only, admin routes only.
        stream = self.admin.stream("/trace", {"errors-only": "true", "api": "admin.*"})
        try:
            self.admin.ok("GET", "/info")                      # admin, 200: filtered out
            self.daemon.raw_request("GET", "/trace-other-missing")  # S3 error: filtered out
            self.admin.request("GET", "/no-such-route")        # admin error: shown
            line = stream.first(lambda l: True)
            self.assertEqual((line["api"], line["status"]), ("admin.Unknown", 404))
            self.assertEqual(line["path"], ADMIN + "/no-such-route")
        finally:
            stream.close()
        # The server is fine after the clients went away.
        self.admin.ok("GET", "/info")

    def test_08_console_log(self):
        stream = self.admin.stream("/log", {"level": "info"})
        try:
            self.assertEqual(stream.status, 200)
            self.admin.ok("PUT", "/config", body=b'{"scanner": {"interval": "45s"}}')
            line = stream.first(lambda l: "server configuration changed" in l["message"])
            self.assertEqual(line["level"], "INFO")
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        finally:
            stream.close()
        # Recent lines first with last=N: the heal runs of test_05 are in there.
        stream = self.admin.stream("/log", {"last": "100"})
        try:
            line = stream.first(lambda l: l["message"].startswith("admin: heal "))
            self.assertEqual(line["level"], "INFO")
        finally:
            stream.close()
        status, _, doc, _ = self.admin.request("GET", "/log", {"level": "loud"})
        self.assertEqual((status, doc["Code"]), (400, "XMaxioAdminInvalidArgument"))

    # ------------------------------------------------------------------ restart
    def test_09_service_restart_keeps_config_port_and_data(self):
        self.admin.ok("PUT", "/config",
                      body=b'{"scanner": {"interval": "2s", "deep_every": 7}, '
                           b'"drive_probe_interval": "4s"}')
        before = self.admin.ok("GET", "/info")
        pid = self.daemon.proc.pid
        doc = self.admin.ok("POST", "/service/restart")
        self.assertEqual(doc, {"action": "restart", "accepted": True})
        deadline = time.monotonic() + 30
        after = None
        while time.monotonic() < deadline:
            try:
                status, _, info, _ = self.admin.request("GET", "/info")
                if status == 200 and info["started"] != before["started"]:
                    after = info
                    break
            except OSError:
                pass  # not listening yet
            self.assertIsNone(self.daemon.proc.poll(), f"maxiod exited\n{self.daemon.logs()}")
            time.sleep(0.1)
        self.assertIsNotNone(after, f"maxiod did not come back\n{self.daemon.logs()}")
        self.assertEqual(self.daemon.proc.pid, pid)  # re-executed in place
        self.assertEqual(after["endpoints"], [self.daemon.endpoint])
        self.assertEqual(after["deployment_id"], before["deployment_id"])
        self.assertEqual(after["drives_online"], DRIVES)
        with open(self.daemon.stdout_path, "rb") as f:
            out = f.read().decode()
        self.assertIn("Restart requested through the admin API", out)
        self.assertEqual(out.count("Ready: "), 2, out)

        # The stored configuration survived and applies (but for the interval, which the
        # environment sets); the data is still there.
        config = self.admin.ok("GET", "/config")
        self.assertEqual(config["scanner"], {"interval": "1s", "deep_every": 7})
        with open(self.daemon.stderr_path, "rb") as f:
            log = f.read().decode()
        self.assertIn("scanner.interval from the command line or environment overrides", log)
        self.assertEqual(config["drive_probe_interval"], "4s")
        self.assertEqual(s3_ok(self.daemon, "GET", "/usage-bucket/obj1"), b"x" * 101)

        # And a crash: the configuration is read from the drives again.
        self.daemon.kill9()
        self.daemon.restart()
        self.assertEqual(self.admin.ok("GET", "/config")["scanner"]["deep_every"], 7)
        self.assertGreaterEqual(len(self.admin.ok("GET", "/config/history")["entries"]), 4)


class ServiceStopTest(unittest.TestCase):
    """POST /service/stop: answered, open streams end, the process exits 0."""

    def test_stop(self):
        daemon = Daemon().start()
        try:
            admin = AdminClient(daemon)
            stream = admin.stream("/log")
            self.assertEqual(stream.status, 200)
            doc = admin.ok("POST", "/service/stop")
            self.assertEqual(doc, {"action": "stop", "accepted": True})
            # The stream ends cleanly (chunked terminator), not by a reset.
            list(stream.lines())
            stream.close()
            rc = daemon.proc.wait(harness.STOP_TIMEOUT)
            self.assertEqual(rc, 0, daemon.logs())
            with open(daemon.stdout_path, "rb") as f:
                self.assertIn(b"Stop requested through the admin API", f.read())
        finally:
            if daemon.proc is not None and daemon.proc.poll() is not None:
                # Exited as asked: only the temp dir is left to clean.
                daemon.proc = None
                harness._running.discard(daemon)
                daemon._close_logs()
                shutil.rmtree(daemon.tmp, ignore_errors=True)
            else:
                daemon.stop()


if __name__ == "__main__":
    harness.require_boto3()
    harness.main()
