"""Integration-test harness: runs a real maxiod on a free loopback port.

Used by every test_*.py in this folder (Python unittest, no pytest):

    from harness import Daemon, DaemonTestCase

    class MyTest(DaemonTestCase):          # one daemon per test class
        def test_x(self):
            self.daemon.endpoint            # "http://127.0.0.1:PORT"
            self.daemon.access_key, self.daemon.secret_key
            self.daemon.drive               # the drive directory (fresh temp dir)

Erasure deployments: Daemon(drives=["d{1...6}"]) runs `maxiod server <tmp>/d{1...6}`
(MinIO's ellipsis syntax; each template is one argument, so several templates with
ellipses are several pools, several plain directories one pool). Daemon.drives lists the
expanded drive directories, Daemon.pools the drives of each pool; Daemon.drive is the
first drive. DaemonTestCase takes them from the class attributes daemon_drives and
daemon_env.

The daemon binary comes from $MAXIOD (ctest sets it to $<TARGET_FILE:maxiod>).
Teardown sends SIGTERM and asserts exit code 0 within 10 s; the temp dir is removed.
"""

import atexit
import hashlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
REGION = "us-east-1"

CANARY = "CANARY-CONTENT-7f3a9c\n"  # content of <tmp>/outside/canary
S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def maxiod_path():
    path = os.environ.get("MAXIOD")
    if not path:
        raise RuntimeError("MAXIOD is not set: point it at the maxiod binary "
                           "(ctest sets it to $<TARGET_FILE:maxiod>)")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"MAXIOD={path} is not an executable file")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_credentials():
    alphabet = string.ascii_uppercase + string.digits
    access = "MX" + "".join(secrets.choice(alphabet) for _ in range(18))
    secret = secrets.token_urlsafe(30)[:40]
    return access, secret


_running = set()


def _die_with_parent():
    """In the child before exec: SIGKILL the daemon if the test process dies (e.g. a
    ctest timeout), so no maxiod outlives its test."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@atexit.register
def _cleanup_running():
    for d in list(_running):
        try:
            d._kill()
        finally:
            d._close_logs()
            if d.tmp and not os.environ.get("MAXIO_IT_KEEP"):
                shutil.rmtree(d.tmp, ignore_errors=True)


class DaemonError(AssertionError):
    pass


def expand_ellipses(pattern):
    """MinIO's ellipsis expansion of one server argument: "d{1...3}" -> ["d1", "d2", "d3"];
    with several ranges the first varies fastest ("m{1...2}/d{1...2}" -> m1/d1 m2/d1 m1/d2
    m2/d2); a zero-padded lower bound ("{01...16}") pads every label to its width."""
    parts = re.split(r"\{([^{}]*)\}", pattern)
    literals, ranges = parts[0::2], []
    for body in parts[1::2]:
        m = re.fullmatch(r"(\d+)\.\.\.(\d+)", body)
        if not m:
            raise ValueError(f"unsupported ellipsis {{{body}}} in {pattern!r}")
        lo, hi = m.group(1), m.group(2)
        width = len(lo) if lo.startswith("0") and len(lo) > 1 else 0
        ranges.append([str(i).zfill(width) for i in range(int(lo), int(hi) + 1)])
    out = [""]
    for i, labels in enumerate(ranges):
        out = [prefix + literals[i] + label for label in labels for prefix in out]
    return [prefix + literals[-1] for prefix in out]


class Daemon:
    """One maxiod process with a fresh temp drive directory and random root credentials.

    Layout: <tmp>/drive is the drive, <tmp>/outside is a canary sibling directory
    (escape tests check nothing appears next to the drive), <tmp>/client holds client
    config files and scratch data.

    drives: server arguments relative to the temp dir instead of the single "drive", e.g.
    ["d{1...6}"] (one pool of 6) or ["p1-d{1...4}", "p2-d{1...4}"] (two pools), or a
    callable taking the temp dir and returning absolute arguments. Every expanded drive
    directory is created empty before the first start.
    """

    def __init__(self, domain=None, extra_args=(), extra_env=None, drives=None):
        self.domain = domain
        self.extra_args = list(extra_args)
        self.extra_env = dict(extra_env or {})
        self.drive_args = drives
        self.proc = None
        self.tmp = None

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        binary = maxiod_path()
        self.tmp = tempfile.mkdtemp(prefix="maxio-it-")
        if self.drive_args is None:
            server_args = [os.path.join(self.tmp, "drive")]
        elif callable(self.drive_args):
            server_args = list(self.drive_args(self.tmp))
        else:
            server_args = [os.path.join(self.tmp, a) for a in self.drive_args]
        if any("{" in a for a in server_args):
            self.pools = [expand_ellipses(a) for a in server_args]
        else:
            self.pools = [server_args]  # plain directories: the drives of one pool
        self.drives = [d for pool in self.pools for d in pool]
        self.drive = self.drives[0]
        self.outside = os.path.join(self.tmp, "outside")
        self.client_dir = os.path.join(self.tmp, "client")
        for d in self.drives + [self.outside, self.client_dir]:
            os.makedirs(d)
        with open(os.path.join(self.outside, "canary"), "w") as f:
            f.write(CANARY)
        self.port = free_port()
        self.host = "127.0.0.1"
        self.endpoint = f"http://{self.host}:{self.port}"
        self.access_key, self.secret_key = random_credentials()
        args = [binary, "server", *server_args, "--address", f"{self.host}:{self.port}"]
        if self.domain:
            args += ["--domain", self.domain]
        args += self.extra_args
        self.args = args
        self.stdout_path = os.path.join(self.tmp, "maxiod.stdout")
        self.stderr_path = os.path.join(self.tmp, "maxiod.stderr")
        try:
            self._spawn("wb")
        except DaemonError:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        return self

    def _spawn(self, log_mode):
        """Runs self.args with the test credentials, logging to the stdout/stderr files
        (log_mode "wb" truncates, "ab" appends), and waits until the daemon is ready."""
        env = dict(os.environ)
        for k in ("MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_DOMAIN"):
            env.pop(k, None)
        env["MAXIO_ROOT_USER"] = self.access_key
        env["MAXIO_ROOT_PASSWORD"] = self.secret_key
        env.update(self.extra_env)
        self._out = open(self.stdout_path, log_mode)
        self._err = open(self.stderr_path, log_mode)
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=self._err, env=env, cwd=self.tmp,
                                     preexec_fn=_die_with_parent)
        _running.add(self)
        try:
            self._wait_ready()
        except BaseException:
            self._kill()
            self._close_logs()
            raise DaemonError(f"maxiod did not become ready: {' '.join(self.args)}\n"
                              f"{self.logs()}")

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        api_line_seen_at = None
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError(f"maxiod exited with code {rc} during start-up")
            if api_line_seen_at is None and self._api_line_seen():
                api_line_seen_at = time.monotonic()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/minio/health/live")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                last = resp.status
                if resp.status == 200:
                    return
            except OSError as e:
                last = repr(e)
            # The API line is enough if the health probe is answered but not with 200.
            if api_line_seen_at is not None and isinstance(last, int) \
                    and time.monotonic() - api_line_seen_at > 2.0:
                sys.stderr.write(f"harness: API line seen but /minio/health/live -> {last}\n")
                return
            time.sleep(0.05)
        raise DaemonError(f"timeout after {START_TIMEOUT}s (last health probe: {last})")

    def _api_line_seen(self):
        want = f"API: http://{self.host}:{self.port}"
        for p in (self.stdout_path, self.stderr_path):
            try:
                with open(p, "rb") as f:
                    if want.encode() in f.read():
                        return True
            except OSError:
                pass
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM; raises DaemonError unless the daemon exits 0 within 10 s."""
        if self.proc is None:
            return
        try:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError(f"maxiod died before teardown with code {rc}\n{self.logs()}")
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._kill()
                raise DaemonError(f"maxiod did not exit within {STOP_TIMEOUT}s of SIGTERM\n"
                                  f"{self.logs()}")
            if rc != 0:
                raise DaemonError(f"maxiod exited with code {rc} after SIGTERM\n{self.logs()}")
        finally:
            self.proc = None
            _running.discard(self)
            self._close_logs()
            if self.tmp and not os.environ.get("MAXIO_IT_KEEP"):
                shutil.rmtree(self.tmp, ignore_errors=True)

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def _close_logs(self):
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f and not f.closed:
                f.close()

    def logs(self, tail=4000):
        out = []
        for name, p in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                with open(p, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            text = data[-tail:].decode("utf-8", "replace")
            out.append(f"--- maxiod {name} (last {tail} bytes) ---\n{text}")
        return "\n".join(out)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ crash / restart
    def kill9(self):
        """SIGKILL the daemon (a simulated crash) and reap it. The temp dir, the drive,
        the port and the credentials are kept, so restart() can start it again."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def restart(self, extra_env=None):
        """Start maxiod again on the same drive, address and credentials (after kill9()
        or a crash). Its output is appended to the same log files. extra_env, when given,
        replaces the extra environment from now on."""
        if self.proc is not None and self.proc.poll() is None:
            raise DaemonError("restart(): maxiod is still running (call kill9() first)")
        if extra_env is not None:
            self.extra_env = dict(extra_env)
        self._close_logs()
        self._spawn("ab")
        return self

    # ------------------------------------------------------------------ metrics
    def peak_rss_kib(self):
        """VmHWM of the daemon in KiB (peak resident set size)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise DaemonError("no VmHWM in /proc/PID/status")

    # ------------------------------------------------------------------ client config
    def aws_env(self, extra_config="", multipart_threshold="6GB"):
        """Environment for awscli (v1 or v2) with isolated config/credential files."""
        cfg = os.path.join(self.client_dir, "aws-config")
        creds = os.path.join(self.client_dir, "aws-credentials")
        with open(cfg, "w") as f:
            f.write("[default]\n"
                    f"region = {REGION}\n"
                    "output = json\n"
                    "s3 =\n"
                    f"  multipart_threshold = {multipart_threshold}\n"
                    "  addressing_style = path\n" + extra_config)
        with open(creds, "w") as f:
            f.write("[default]\n"
                    f"aws_access_key_id = {self.access_key}\n"
                    f"aws_secret_access_key = {self.secret_key}\n")
        env = clean_env()
        env.update({
            "AWS_CONFIG_FILE": cfg,
            "AWS_SHARED_CREDENTIALS_FILE": creds,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_PAGER": "",
            "AWS_EC2_METADATA_DISABLED": "true",
        })
        return env

    def s3cmd_config(self, signature_v2=False):
        path = os.path.join(self.client_dir, f"s3cfg-{'v2' if signature_v2 else 'v4'}")
        hostport = f"{self.host}:{self.port}"
        with open(path, "w") as f:
            f.write("[default]\n"
                    f"access_key = {self.access_key}\n"
                    f"secret_key = {self.secret_key}\n"
                    f"host_base = {hostport}\n"
                    f"host_bucket = {hostport}\n"
                    f"bucket_location = {REGION}\n"
                    "use_https = False\n"
                    f"signature_v2 = {'True' if signature_v2 else 'False'}\n"
                    "enable_multipart = False\n"
                    "check_ssl_certificate = False\n"
                    "guess_mime_type = True\n"
                    "progress_meter = False\n"
                    "socket_timeout = 60\n")
        return path

    def rclone_env(self):
        env = clean_env()
        env.pop("AWS_CA_BUNDLE", None)  # rclone refuses to start with it set
        conf = os.path.join(self.client_dir, "rclone.conf")
        open(conf, "w").close()
        env.update({
            "RCLONE_CONFIG": conf,
            "RCLONE_CONFIG_MAXIO_TYPE": "s3",
            "RCLONE_CONFIG_MAXIO_PROVIDER": "Minio",
            "RCLONE_CONFIG_MAXIO_ENDPOINT": self.endpoint,
            "RCLONE_CONFIG_MAXIO_ACCESS_KEY_ID": self.access_key,
            "RCLONE_CONFIG_MAXIO_SECRET_ACCESS_KEY": self.secret_key,
            "RCLONE_CONFIG_MAXIO_REGION": REGION,
        })
        return env

    def boto3_client(self, signature_version="s3v4", access_key=None, secret_key=None,
                     addressing_style="path", **config):
        import boto3
        from botocore.config import Config
        options = dict(connect_timeout=10, read_timeout=120,
                       retries={"max_attempts": 1, "mode": "standard"})
        options.update(config)
        cfg = Config(signature_version=signature_version, region_name=REGION,
                     s3={"addressing_style": addressing_style}, **options)
        return boto3.client("s3", endpoint_url=self.endpoint,
                            aws_access_key_id=access_key or self.access_key,
                            aws_secret_access_key=secret_key or self.secret_key,
                            region_name=REGION, config=cfg)

    # ------------------------------------------------------------------ raw signed HTTP
    def raw_request(self, method, path, query="", headers=None, body=b"", sign=True,
                    unsigned_payload=False, host_header=None, timeout=30):
        """Send one request with http.client, exactly the given (already encoded) path.

        Signs with botocore's S3SigV4Auth, whose canonical URI is the path as sent.
        Returns (status, headers dict lower-cased, body bytes).
        """
        headers = dict(headers or {})
        host = host_header or f"{self.host}:{self.port}"
        headers["Host"] = host
        if sign:
            # The server computes the canonical URI from the decoded path re-encoded (as
            # MinIO and AWS do), so sign that form while sending the path byte for byte.
            canonical = urllib.parse.quote(urllib.parse.unquote(path), safe="/~")
            headers = sign_v4(method, f"http://{host}{canonical}" +
                              (f"?{query}" if query else ""),
                              headers, body, self.access_key, self.secret_key,
                              unsigned_payload=unsigned_payload)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.putrequest(method, path + (f"?{query}" if query else ""),
                            skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            if body and not any(k.lower() == "content-length" for k in headers):
                conn.putheader("Content-Length", str(len(body)))
            elif not body and method in ("PUT", "POST") and \
                    not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
                conn.putheader("Content-Length", "0")
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()


def sign_v4(method, url, headers, body, access_key, secret_key, unsigned_payload=False,
            region=REGION):
    """Return headers with SigV4 (Authorization, X-Amz-Date, X-Amz-Content-SHA256) added."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
    req = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    if unsigned_payload:
        req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        req.context["payload_signing_enabled"] = False
    S3SigV4Auth(Credentials(access_key, secret_key), "s3", region).add_auth(req)
    return {k: v for k, v in req.headers.items()}


def _hmac(key, msg):
    import hmac
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def sigv4_signing_key(secret_key, date, region=REGION, service="s3"):
    k = _hmac(("AWS4" + secret_key).encode(), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def sign_v4_manual(method, path, query, headers, payload_hash, access_key, secret_key,
                   amz_date=None, region=REGION):
    """A self-contained SigV4 header signer (for what botocore will not produce: streaming
    payloads, skewed clocks). path must be the canonical (encoded) URI; query a dict of
    decoded names and values. Returns (headers with Authorization, seed signature, scope,
    amz_date, signing key)."""
    import hmac
    amz_date = amz_date or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    date = amz_date[:8]
    scope = f"{date}/{region}/s3/aws4_request"
    h = dict(headers)
    h["X-Amz-Date"] = amz_date
    h["X-Amz-Content-SHA256"] = payload_hash
    canon_headers = sorted((k.lower().strip(), " ".join(str(v).split())) for k, v in h.items())
    signed = ";".join(k for k, _ in canon_headers)
    cq = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                  for k, v in sorted((query or {}).items()))
    creq = "\n".join([method, path, cq, "".join(f"{k}:{v}\n" for k, v in canon_headers),
                      signed, payload_hash])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = sigv4_signing_key(secret_key, date, region)
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                          f"SignedHeaders={signed}, Signature={sig}")
    return h, sig, scope, amz_date, key


def clean_env():
    """os.environ without any AWS_* / RCLONE_* settings from the outside world."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("AWS_") or k.startswith("RCLONE_"))
           or k == "AWS_CA_BUNDLE"}
    env["HOME"] = os.environ.get("HOME", "/root")
    return env


def require_boto3():
    """Imports boto3 for a test program. Debian's interpreter must have it (exit 1 when
    not); another interpreter without it skips the program (exit 77, ctest's skip code)."""
    try:
        import boto3  # noqa: F401
    except ImportError as e:
        if os.path.realpath(sys.executable).startswith("/usr/bin/"):
            print(f"FAIL: boto3 is not importable from {sys.executable}: {e}")
            sys.exit(1)
        print(f"SKIP: boto3 is not installed for {sys.executable} ({e}); "
              "the Debian interpreter run covers boto3")
        sys.exit(77)


def error_code(body):
    """The <Code> of an S3 error XML body, or None."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    el = root.find("Code")
    if el is None:
        el = root.find(S3_NS + "Code")
    return el.text if el is not None else None


def run(args, env=None, check=True, input=None, timeout=600, cwd=None):
    """Run a client command; on failure raise with its full stdout/stderr."""
    p = subprocess.run(args, env=env, input=input, cwd=cwd, capture_output=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"command failed (rc={p.returncode}): {' '.join(map(str, args))}\n"
                             f"--- stdout ---\n{p.stdout.decode('utf-8', 'replace')[-6000:]}\n"
                             f"--- stderr ---\n{p.stderr.decode('utf-8', 'replace')[-6000:]}")
    return p


def deterministic_bytes(size, seed=0):
    """Reproducible pseudo-random bytes (fast: SHAKE-256 of the seed)."""
    if size == 0:
        return b""
    return hashlib.shake_256(f"maxio-{seed}-{size}".encode()).digest(size)


def make_tree(root, files):
    """files: {relative path: bytes}; creates them under root."""
    for rel, data in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def read_tree(root):
    """{relative path (with /): bytes} of every regular file under root."""
    out = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root).replace(os.sep, "/")
            with open(p, "rb") as f:
                out[rel] = f.read()
    return out


def snapshot_fs(root):
    """Set of every path (files and dirs) under root, relative."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            out.add(os.path.relpath(os.path.join(dirpath, name), root))
    return out


class DaemonTestCase(unittest.TestCase):
    """One daemon per test class; teardown asserts a clean SIGTERM exit."""

    daemon_domain = None
    daemon_args = ()
    daemon_drives = None  # Daemon(drives=...): None is the single <tmp>/drive
    daemon_env = None     # extra environment of the daemon

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.daemon = Daemon(domain=cls.daemon_domain, extra_args=cls.daemon_args,
                            extra_env=cls.daemon_env, drives=cls.daemon_drives).start()

    @classmethod
    def tearDownClass(cls):
        daemon, cls.daemon = cls.daemon, None
        try:
            if daemon is not None:
                daemon.stop()
        finally:
            super().tearDownClass()

    def assertDaemonAlive(self):
        if not self.daemon.alive():
            self.fail(f"maxiod died (rc={self.daemon.proc.poll()})\n{self.daemon.logs()}")

    def tearDown(self):
        # A crash during a test is reported on the test that caused it.
        if self.daemon is not None and not self.daemon.alive():
            self.fail(f"maxiod is no longer running (rc={self.daemon.proc.poll()})\n"
                      f"{self.daemon.logs()}")
        super().tearDown()


def main():
    """unittest entry point with verbose output (used by every test file)."""
    unittest.main(verbosity=2)
