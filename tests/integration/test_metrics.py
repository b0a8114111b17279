"""Prometheus metrics and the cluster health probe against a real maxiod.

A four-drive daemon (one erasure set, EC:2) is scraped on /minio/v2/metrics/cluster and
/minio/v2/metrics/node with a bearer JWT made here the way `mc admin prometheus generate`
makes it (HS512 over the root secret, iss "prometheus"); S3 traffic from boto3 must move
the counters, and `promtool check metrics` must accept both documents (a missing promtool
is a failure: packaging/debian-packages.txt installs it with the prometheus package).
Then: 403 without a valid token, MAXIO_PROMETHEUS_AUTH_TYPE=public, and
/minio/health/cluster going from 200 to 503 when more drives are renamed away than the
write quorum allows, and back.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, error_code, main, require_boto3  # noqa: E402

CLUSTER = "/minio/v2/metrics/cluster"
NODE = "/minio/v2/metrics/node"


# ---------------------------------------------------------------------------- helpers
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def prometheus_token(access_key, secret_key, expires_in=3600, issuer="prometheus", alg="HS512"):
    """The bearer token `mc admin prometheus generate` prints (HS512 by default)."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"exp": int(time.time()) + expires_in, "iss": issuer, "sub": access_key}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    digest = {"HS512": hashlib.sha512, "HS256": hashlib.sha256}[alg]
    signature = hmac.new(secret_key.encode(), f"{header}.{payload}".encode(), digest).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def http_get(daemon, path, token=None, method="GET"):
    """(status, headers lower-cased, body text) of one request."""
    req = urllib.request.Request(daemon.endpoint + path, method=method)
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, \
                resp.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, \
            e.read().decode("utf-8", "replace")


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """{(name, frozenset of (label, value))): float} of every sample line."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise AssertionError(f"unparseable sample line: {line!r}")
        labels = frozenset((k, v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
                           for k, v in _LABEL.findall(m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def value(samples, name, **labels):
    """The sample `name` whose labels include `labels`; 0 when there is none."""
    want = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and want <= set(ls)]
    if len(found) > 1:
        raise AssertionError(f"{name}{labels} matches {len(found)} samples")
    return found[0] if found else 0.0


def promtool_check(test, text, what):
    promtool = shutil.which("promtool")
    if promtool is None:
        test.fail("promtool is not installed (Debian package 'prometheus', listed in "
                  "packaging/debian-packages.txt)")
    p = subprocess.run([promtool, "check", "metrics"], input=text.encode(),
                       capture_output=True, timeout=60)
    output = (p.stdout + p.stderr).decode("utf-8", "replace")
    print(f"promtool check metrics ({what}): exit {p.returncode}"
          + (f"\n{output}" if output.strip() else ", no findings"))
    test.assertEqual(p.returncode, 0, f"promtool check metrics on {what}:\n{output}")


def wait_until(predicate, timeout=20.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class FourDriveDaemon:
    """harness.Daemon over four drives: its own <tmp>/drive plus three in a sibling temp
    dir (the harness only makes one), one erasure set of 4 with the default EC:2."""

    def __init__(self, extra_env=None):
        self.extra_dir = tempfile.mkdtemp(prefix="maxio-it-metrics-")
        self.extra = [os.path.join(self.extra_dir, f"d{i}") for i in (2, 3, 4)]
        for d in self.extra:
            os.makedirs(d)
        env = {"MAXIO_SCANNER_INTERVAL": "1s", "MAXIO_DRIVE_PROBE_INTERVAL": "200ms"}
        env.update(extra_env or {})
        self.daemon = Daemon(extra_args=self.extra, extra_env=env)

    def start(self):
        try:
            self.daemon.start()
        except BaseException:
            shutil.rmtree(self.extra_dir, ignore_errors=True)
            raise
        self.daemon.drives = [self.daemon.drive] + self.extra
        return self.daemon

    def stop(self):
        try:
            self.daemon.stop()
        finally:
            shutil.rmtree(self.extra_dir, ignore_errors=True)


# ---------------------------------------------------------------------------- tests
class MetricsTest(unittest.TestCase):
    """JWT-authorized scrapes of a four-drive daemon."""

    @classmethod
    def setUpClass(cls):
        cls.four = FourDriveDaemon()
        cls.daemon = cls.four.start()
        cls.token = prometheus_token(cls.daemon.access_key, cls.daemon.secret_key)
        cls.s3 = cls.daemon.boto3_client()

    @classmethod
    def tearDownClass(cls):
        cls.four.stop()

    def scrape(self, path):
        status, headers, body = http_get(self.daemon, path, self.token)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8")
        return body

    def test_scrapes_need_a_valid_token(self):
        d = self.daemon
        for path in (CLUSTER, NODE):
            status, headers, body = http_get(d, path)
            self.assertEqual(status, 403, body)
            self.assertEqual(error_code(body.encode()), "AccessDenied", body)
        bad_tokens = {
            "wrong secret": prometheus_token(d.access_key, d.secret_key + "x"),
            "expired": prometheus_token(d.access_key, d.secret_key, expires_in=-60),
            "other issuer": prometheus_token(d.access_key, d.secret_key, issuer="console"),
            "unknown key": prometheus_token("NOBODY", d.secret_key),
            "garbage": "not-a-jwt",
        }
        for why, token in bad_tokens.items():
            status, _, body = http_get(d, CLUSTER, token)
            self.assertEqual(status, 403, f"{why}: {body}")
        # MinIO's parser accepts any HMAC algorithm, so HS256 works too.
        status, _, _ = http_get(d, NODE, prometheus_token(d.access_key, d.secret_key, alg="HS256"))
        self.assertEqual(status, 200)

    def test_counters_move_with_s3_traffic_and_promtool_accepts_both_documents(self):
        before = parse_metrics(self.scrape(NODE))
        bucket = "metrics-traffic"
        self.s3.create_bucket(Bucket=bucket)
        payload = b"x" * 10000
        for i in range(3):
            self.s3.put_object(Bucket=bucket, Key=f"obj-{i}", Body=payload)
        got = self.s3.get_object(Bucket=bucket, Key="obj-0")["Body"].read()
        self.assertEqual(got, payload)
        with self.assertRaises(Exception):
            self.s3.get_object(Bucket=bucket, Key="missing")

        # A request is counted once its response has gone out, so the client can see the
        # 404 a moment before the counter moves: scrape until it has (bounded).
        deadline = time.monotonic() + 10
        while True:
            node_text = self.scrape(NODE)
            after = parse_metrics(node_text)
            if value(after, "minio_s3_requests_by_code_total", api="GetObject",
                     code="404") >= 1 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        put = value(after, "minio_s3_requests_total", api="PutObject") - \
            value(before, "minio_s3_requests_total", api="PutObject")
        self.assertEqual(put, 3)
        self.assertEqual(value(after, "minio_s3_requests_by_code_total", api="PutObject",
                               code="200") -
                         value(before, "minio_s3_requests_by_code_total", api="PutObject",
                               code="200"), 3)
        self.assertGreaterEqual(value(after, "minio_s3_requests_4xx_errors_total",
                                      api="GetObject"), 1)
        self.assertGreaterEqual(value(after, "minio_s3_requests_by_code_total",
                                      api="GetObject", code="404"), 1)
        self.assertGreaterEqual(
            value(after, "minio_s3_traffic_received_bytes_total") -
            value(before, "minio_s3_traffic_received_bytes_total"), 3 * len(payload))
        self.assertGreaterEqual(
            value(after, "minio_s3_traffic_sent_bytes_total") -
            value(before, "minio_s3_traffic_sent_bytes_total"), len(payload))
        self.assertEqual(value(after, "minio_s3_requests_ttlb_seconds_count", api="PutObject") -
                         value(before, "minio_s3_requests_ttlb_seconds_count", api="PutObject"),
                         3)
        self.assertEqual(value(after, "minio_s3_requests_ttlb_seconds_bucket", api="PutObject",
                               le="+Inf"),
                         value(after, "minio_s3_requests_ttlb_seconds_count", api="PutObject"))
        self.assertGreater(value(after, "minio_s3_requests_ttlb_seconds_sum", api="PutObject"), 0)
        # Earlier scrapes are counted too, as api "Metrics".
        self.assertGreaterEqual(value(after, "minio_s3_requests_total", api="Metrics"), 1)
        # Process metrics.
        self.assertGreater(value(after, "minio_node_process_resident_memory_bytes"), 1 << 20)
        self.assertGreater(value(after, "minio_node_file_descriptor_open"), 3)
        self.assertGreater(value(after, "minio_node_process_uptime_seconds"), 0)
        start = value(after, "minio_node_process_starttime_seconds")
        self.assertLess(abs(start - time.time()), 24 * 3600)
        self.assertGreater(value(after, "minio_node_process_cpu_seconds_total"), 0)
        # Every series names this server.
        servers = {dict(ls).get("server") for (_, ls) in after}
        self.assertEqual(servers, {f"127.0.0.1:{self.daemon.port}"})

        cluster_text = self.scrape(CLUSTER)
        promtool_check(self, node_text, NODE)
        promtool_check(self, cluster_text, CLUSTER)

    def test_drives_and_health_series(self):
        node = parse_metrics(self.scrape(NODE))
        self.assertEqual(value(node, "minio_node_drives"), 4)
        self.assertEqual(value(node, "minio_node_drives_online"), 4)
        for drive in self.daemon.drives:
            self.assertGreater(value(node, "minio_node_drive_total_bytes", drive=drive,
                                     pool="0", set="0"), 0, drive)
            self.assertEqual(value(node, "minio_node_drive_online", drive=drive), 1)
        self.assertEqual(value(node, "minio_node_storage_class_standard_parity"), 2)
        cluster = parse_metrics(self.scrape(CLUSTER))
        self.assertEqual(value(cluster, "minio_cluster_drives_online"), 4)
        self.assertEqual(value(cluster, "minio_cluster_drives_offline"), 0)
        self.assertEqual(value(cluster, "minio_cluster_write_quorum"), 3)
        self.assertEqual(value(cluster, "minio_cluster_health_status"), 1)
        self.assertEqual(value(cluster, "minio_cluster_health_erasure_set_online_drives",
                               pool="0", set="0"), 4)
        self.assertGreater(value(cluster, "minio_cluster_capacity_raw_total_bytes"),
                           value(cluster, "minio_cluster_capacity_usable_total_bytes"))

    def test_bucket_usage_from_the_scanner(self):
        bucket = "metrics-usage"
        self.s3.create_bucket(Bucket=bucket)
        for i in range(5):
            self.s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"y" * 100)

        def usage():
            samples = parse_metrics(self.scrape(CLUSTER))
            objects = value(samples, "minio_bucket_usage_objects", bucket=bucket)
            return samples if objects == 5 else None

        samples = wait_until(usage, timeout=30, interval=0.5, what="bucket usage of 5 objects")
        self.assertEqual(value(samples, "minio_bucket_usage_total_bytes", bucket=bucket), 500)
        self.assertGreaterEqual(value(samples, "minio_cluster_usage_objects"), 5)
        self.assertGreaterEqual(value(samples, "minio_heal_scanner_cycles_total"), 1)
        self.assertGreaterEqual(value(samples, "minio_heal_objects_total"), 5)


class PublicMetricsTest(unittest.TestCase):
    """MAXIO_PROMETHEUS_AUTH_TYPE=public: anyone may scrape; S3 still needs signatures."""

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(extra_env={"MAXIO_PROMETHEUS_AUTH_TYPE": "public"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def test_scrapes_without_a_token(self):
        for path in (CLUSTER, NODE):
            status, _, body = http_get(self.daemon, path)
            self.assertEqual(status, 200, body)
            self.assertIn("minio_s3_requests_total", body)
            promtool_check(self, body, f"{path} (public, one drive)")
        samples = parse_metrics(http_get(self.daemon, CLUSTER)[2])
        self.assertEqual(value(samples, "minio_cluster_drives"), 1)
        self.assertEqual(value(samples, "minio_cluster_write_quorum"), 1)
        # The S3 API is not opened by public metrics.
        status, _, body = http_get(self.daemon, "/")
        self.assertEqual(status, 403, body)


class ClusterHealthTest(unittest.TestCase):
    """/minio/health/cluster follows the write quorum of the erasure set (3 of 4 drives)."""

    @classmethod
    def setUpClass(cls):
        cls.four = FourDriveDaemon()
        cls.daemon = cls.four.start()
        cls.token = prometheus_token(cls.daemon.access_key, cls.daemon.secret_key)

    @classmethod
    def tearDownClass(cls):
        cls.four.stop()

    def status(self, path, method="GET"):
        return http_get(self.daemon, path, method=method)[0]

    def offline_drives(self):
        body = http_get(self.daemon, CLUSTER, self.token)[2]
        return value(parse_metrics(body), "minio_cluster_drives_offline")

    def test_health_follows_write_quorum(self):
        d = self.daemon
        status, headers, _ = http_get(d, "/minio/health/cluster")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("x-minio-write-quorum"), "3")
        self.assertEqual(self.status("/minio/health/cluster", "HEAD"), 200)
        self.assertEqual(self.status("/minio/health/ready"), 200)

        moved = []
        try:
            # One drive gone: 3 of 4 still make write quorum.
            os.rename(d.drives[1], d.drives[1] + ".away")
            moved.append(d.drives[1])
            wait_until(lambda: self.offline_drives() == 1, what="one drive offline")
            self.assertEqual(self.status("/minio/health/cluster"), 200)

            # Two gone: more than the write quorum allows (parity 2 == data 2 needs 3).
            os.rename(d.drives[2], d.drives[2] + ".away")
            moved.append(d.drives[2])
            wait_until(lambda: self.status("/minio/health/cluster") == 503,
                       what="/minio/health/cluster 503")
            self.assertEqual(self.status("/minio/health/cluster", "HEAD"), 503)
            self.assertEqual(self.status("/minio/health/ready"), 503)
            self.assertEqual(self.status("/minio/health/cluster/read"), 200)  # 2 = read quorum
            self.assertEqual(self.status("/minio/health/live"), 200)
            samples = parse_metrics(http_get(d, CLUSTER, self.token)[2])
            self.assertEqual(value(samples, "minio_cluster_health_status"), 0)
            self.assertEqual(value(samples, "minio_cluster_health_erasure_set_status",
                                   pool="0", set="0"), 0)
        finally:
            for drive in moved:
                os.rename(drive + ".away", drive)
        wait_until(lambda: self.status("/minio/health/cluster") == 200,
                   what="/minio/health/cluster back to 200")
        self.assertEqual(self.status("/minio/health/ready"), 200)


if __name__ == "__main__":
    require_boto3()
    main()
