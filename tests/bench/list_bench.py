#!/usr/bin/env python3
"""list_bench: listing a bucket of a million keys through a real maxiod.

Fills one drive with populate_bucket (flat: every key in one directory; nested: 1000
directories of 1000 keys), serves it with maxiod, and pages through it with plain signed
HTTP requests (no SDK parsing in the measurement): ListObjectsV2 without and with the "/"
delimiter, ListObjects V1 and ListObjectVersions, 1000 keys a page. Every listing is checked
complete and in order. Baseline, measured in the same run: os.scandir walking the same
drive directory and opening each xl.meta (what any listing of this layout must at least do).
Prints keys/s, the ratio to the baseline, first-page latency, and maxiod's peak RSS.

    list_bench.py [--objects N] [--layout flat|nested|both] [--build build/release]
"""

import argparse
import hashlib
import hmac
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ACCESS, SECRET, REGION = "benchadmin", "benchadmin-secret", "us-east-1"


def sign(method, host, path, query):
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    payload = hashlib.sha256(b"").hexdigest()
    headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    canon_q = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                       for k, v in sorted(query.items()))
    creq = "\n".join([method, path, canon_q,
                      "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    key = ("AWS4" + SECRET).encode()
    for part in (amz_date[:8], REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={ACCESS}/{scope}, "
                                f"SignedHeaders={signed}, Signature={sig}")
    return headers, canon_q


def list_all(port, bucket, kind, delimiter=""):
    """Pages through; returns (entries in order, seconds, first-page seconds, pages)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    host = f"127.0.0.1:{port}"
    entries, pages, first = [], 0, None
    marker = {}
    start = time.perf_counter()
    while True:
        query = {"max-keys": "1000", **marker}
        if kind == "v2":
            query["list-type"] = "2"
        elif kind == "versions":
            query["versions"] = ""
        if delimiter:
            query["delimiter"] = delimiter
        headers, qs = sign("GET", host, f"/{bucket}", query)
        conn.request("GET", f"/{bucket}?{qs}", headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"list {kind}: HTTP {response.status}: {body[:300]!r}")
        if first is None:
            first = time.perf_counter() - start
        pages += 1
        page = re.findall(rb"<Key>([^<]*)</Key>", body)
        page += re.findall(rb"<CommonPrefixes><Prefix>([^<]*)</Prefix>", body)
        entries.extend(sorted(page))
        if b"<IsTruncated>true</IsTruncated>" not in body:
            break
        if kind == "v2":
            token = re.search(rb"<NextContinuationToken>([^<]*)<", body).group(1).decode()
            marker = {"continuation-token": token}
        elif kind == "versions":
            marker = {"key-marker": re.search(rb"<NextKeyMarker>([^<]*)<", body).group(1).decode(),
                      "version-id-marker": re.search(rb"<NextVersionIdMarker>([^<]*)<",
                                                     body).group(1).decode()}
        else:
            # V1 sends NextMarker only with a delimiter; otherwise the last key is the marker.
            next_marker = re.search(rb"<NextMarker>([^<]*)<", body)
            last = next_marker.group(1) if next_marker else re.findall(rb"<Key>([^<]*)</Key>",
                                                                      body)[-1]
            marker = {"marker": last.decode()}
    return entries, time.perf_counter() - start, first, pages


def expected_keys(n, nested):
    if nested:
        return [f"d{i // 1000:03d}/o{i % 1000:04d}".encode() for i in range(n)]
    return [f"obj-{i:07d}".encode() for i in range(n)]


def baseline(bucket_dir):
    """Walk the drive's bucket and read every xl.meta: keys/s."""
    start = time.perf_counter()
    count = 0
    stack = [bucket_dir]
    while stack:
        directory = stack.pop()
        with os.scandir(directory) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name == "xl.meta":
                    with open(entry.path, "rb") as f:
                        f.read()
                    count += 1
    return count, time.perf_counter() - start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_layout(args, layout, tmp):
    drive = os.path.join(tmp, f"drive-{layout}")
    os.makedirs(drive)
    t = time.perf_counter()
    subprocess.run([os.path.join(args.build, "bin", "populate_bucket"), "--bucket", "bench",
                    "--objects", str(args.objects), "--layout", layout, drive], check=True)
    print(f"# {layout}: {args.objects} objects written in {time.perf_counter() - t:.0f} s",
          flush=True)
    want = expected_keys(args.objects, layout == "nested")
    base_count, base_seconds = baseline(os.path.join(drive, "bench"))
    assert base_count == args.objects, base_count
    base_rate = base_count / base_seconds

    port = free_port()
    env = dict(os.environ, MAXIO_ROOT_USER=ACCESS, MAXIO_ROOT_PASSWORD=SECRET,
               MAXIO_SCANNER_INTERVAL="0")
    daemon = subprocess.Popen([os.path.join(args.build, "bin", "maxiod"), "server", drive,
                               "--address", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        rss_idle = peak_rss_mib(daemon.pid)
        rows = []
        for kind, delimiter in (("v2", ""), ("v2", "/"), ("v1", ""), ("versions", "")):
            entries, seconds, first, pages = list_all(port, "bench", kind, delimiter)
            if delimiter and layout == "nested":
                expect = sorted({k.split(b"/")[0] + b"/" for k in want})
            else:
                expect = want
            if entries != expect:
                raise SystemExit(f"{layout} {kind} delimiter={delimiter!r}: listing differs "
                                 f"({len(entries)} entries, {len(expect)} expected)")
            rate = len(entries) / seconds
            rows.append((f"{kind}{' /' if delimiter else ''}", len(entries), pages, rate,
                         rate / base_rate, first * 1000))
        rss_peak = peak_rss_mib(daemon.pid)
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)

    print(f"\n{layout} layout, {args.objects} keys on one drive; baseline (scandir + read "
          f"every xl.meta): {base_rate:,.0f} keys/s")
    print("| listing | entries | pages | entries/s | vs baseline | first page (ms) |")
    print("|---|---|---|---|---|---|")
    for name, count, pages, rate, ratio, first in rows:
        print(f"| {name} | {count:,} | {pages} | {rate:,.0f} | {ratio:.2f}x | {first:.0f} |")
    print(f"maxiod peak RSS: {rss_peak:.0f} MiB (after start-up: {rss_idle:.0f} MiB)\n",
          flush=True)
    shutil.rmtree(drive)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--layout", choices=("flat", "nested", "both"), default="both")
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--tmp", default=None, help="where to put the drives (default: /tmp)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="maxio-list-bench-", dir=args.tmp)
    try:
        for layout in (("flat", "nested") if args.layout == "both" else (args.layout,)):
            run_layout(args, layout, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
