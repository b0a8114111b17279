#!/usr/bin/env bash
# fuse_bench.sh: maxio-mount against s3fs (1.90) and `rclone mount` on the same maxiod.
#
#   tests/bench/fuse_bench.sh [BUILD_DIR]        (default build/release; needs root, /dev/fuse)
#
# Starts its own maxiod (one drive, loopback port) and, for each of the three mounts, runs:
# sequential write and read of one big file, fio 4 KiB random reads of it, an untar of the
# project's source tree, `ls -lR` of a tree of small files, and small-file creates. Prints
# one table with each figure, the ratios maxio-mount / other (above 1: maxio-mount is
# faster) and each mount process's peak RSS. Sizes: BENCH_MB (1024), BENCH_LS_FILES (10000),
# BENCH_SMALL_FILES (1000), BENCH_FIO_SECONDS (20).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
MAXIOD=$build/bin/maxiod
MOUNT=$build/bin/maxio-mount
BENCH_MB=${BENCH_MB:-1024}
LS_FILES=${BENCH_LS_FILES:-10000}
SMALL=${BENCH_SMALL_FILES:-1000}
FIO_SECONDS=${BENCH_FIO_SECONDS:-20}
for tool in "$MAXIOD" "$MOUNT"; do [[ -x $tool ]] || { echo "missing $tool (build it)" >&2; exit 2; }; done
for tool in s3fs rclone fio fusermount3 python3; do
  command -v $tool >/dev/null || { echo "missing $tool (packaging/install-deps.sh)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/maxio-fuse-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
endpoint=http://127.0.0.1:$port
export AWS_ACCESS_KEY_ID=benchadmin AWS_SECRET_ACCESS_KEY=benchsecret-$RANDOM$RANDOM
mount_pid=""
daemon_pid=""
cleanup() {
  for m in "$work"/mnt-*; do fusermount3 -u -z "$m" 2>/dev/null || true; done
  [[ -n $mount_pid ]] && kill "$mount_pid" 2>/dev/null || true
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/drive"
MAXIO_ROOT_USER=$AWS_ACCESS_KEY_ID MAXIO_ROOT_PASSWORD=$AWS_SECRET_ACCESS_KEY \
  "$MAXIOD" server "$work/drive" --address "127.0.0.1:$port" >"$work/maxiod.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do curl -sf "$endpoint/minio/health/live" >/dev/null && break; sleep 0.1; done

# The shared data: one bucket per mount, and the ls -lR tree (same keys in each bucket).
python3 - "$endpoint" "$LS_FILES" <<'PY'
import sys, boto3
from botocore.config import Config
from concurrent.futures import ThreadPoolExecutor
endpoint, count = sys.argv[1], int(sys.argv[2])
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))
for b in ("maxio", "s3fs", "rclone"):
    s3.create_bucket(Bucket=b)
def put(i):
    for b in ("maxio", "s3fs", "rclone"):
        s3.put_object(Bucket=b, Key=f"tree/d{i % 100:03d}/f{i:06d}", Body=b"x" * 64)
with ThreadPoolExecutor(16) as pool:
    list(pool.map(put, range(count)))
PY
head -c $((BENCH_MB << 20)) /dev/urandom >"$work/big.src"
git -C "$root" archive HEAD >"$work/src.tar"

mount_tool() {  # NAME MOUNTPOINT: starts the mount in the background, sets mount_pid
  local name=$1 mp=$2
  mkdir -p "$mp"
  case $name in
    maxio)
      MAXIO_ENDPOINT=$endpoint "$MOUNT" -f maxio "$mp" -o cache_dir="$work" \
        >"$work/$name.log" 2>&1 &
      ;;
    s3fs)
      echo "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" >"$work/passwd-s3fs"
      chmod 600 "$work/passwd-s3fs"
      # maxiod has no multipart uploads: s3fs must send single PUTs.
      s3fs s3fs "$mp" -f -o url="$endpoint",use_path_request_style,passwd_file="$work/passwd-s3fs" \
        -o nomultipart,use_cache="",tmpdir="$work" >"$work/$name.log" 2>&1 &
      ;;
    rclone)
      env -u AWS_CA_BUNDLE RCLONE_CONFIG="$work/rclone.conf" RCLONE_CONFIG_M_TYPE=s3 \
        RCLONE_CONFIG_M_PROVIDER=Minio RCLONE_CONFIG_M_ENDPOINT="$endpoint" \
        RCLONE_CONFIG_M_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
        RCLONE_CONFIG_M_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" RCLONE_CONFIG_M_REGION=us-east-1 \
        rclone mount m:rclone "$mp" --vfs-cache-mode writes --cache-dir "$work/rclone-cache" \
        --s3-upload-cutoff 5G --s3-chunk-size 64M >"$work/$name.log" 2>&1 &
      touch "$work/rclone.conf"
      ;;
  esac
  mount_pid=$!
  for _ in $(seq 200); do mountpoint -q "$mp" && return 0; sleep 0.05; done
  echo "$name did not mount:" >&2; cat "$work/$name.log" >&2; exit 1
}

unmount_tool() {
  local mp=$1
  for _ in $(seq 50); do fusermount3 -u "$mp" 2>/dev/null && break; sleep 0.2; done
  wait "$mount_pid" 2>/dev/null || true
  mount_pid=""
}

peak_rss_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
now() { date +%s.%N; }
declare -A result rss

for name in maxio s3fs rclone; do
  mp=$work/mnt-$name
  echo "== $name" >&2
  mount_tool "$name" "$mp"
  t0=$(now); cp "$work/big.src" "$mp/big.bin"; t1=$(now)
  result[$name,write]=$(python3 -c "print(f'{$BENCH_MB * 1.048576 / ($t1 - $t0):.1f}')")
  peak=$(peak_rss_mib "$mount_pid")
  unmount_tool "$mp"; sync; echo 3 >/proc/sys/vm/drop_caches
  mount_tool "$name" "$mp"
  t0=$(now); cat "$mp/big.bin" >/dev/null; t1=$(now)
  result[$name,read]=$(python3 -c "print(f'{$BENCH_MB * 1.048576 / ($t1 - $t0):.1f}')")
  cmp -s "$work/big.src" "$mp/big.bin" || echo "WARNING: $name read back different bytes" >&2
  result[$name,fio]=$(fio --name=rr --filename="$mp/big.bin" --rw=randread --bs=4k \
    --ioengine=psync --numjobs=4 --runtime="$FIO_SECONDS" --time_based --group_reporting \
    --invalidate=1 --output-format=json 2>/dev/null |
    python3 -c 'import json,sys; print("%.0f" % json.load(sys.stdin)["jobs"][0]["read"]["iops"])')
  mkdir -p "$mp/src"
  t0=$(now); tar -x -C "$mp/src" -f "$work/src.tar"; t1=$(now)
  result[$name,untar]=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  rm -rf "$work/src-check"; mkdir -p "$work/src-check"; tar -x -C "$work/src-check" -f "$work/src.tar"
  diff -rq "$work/src-check" "$mp/src" >/dev/null || echo "WARNING: $name untar differs" >&2
  t0=$(now); ls -lR "$mp/tree" >/dev/null; t1=$(now)
  result[$name,lslr]=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  mkdir -p "$mp/small"
  t0=$(now)
  python3 - "$mp/small" "$SMALL" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
block = b"s" * 1024
for i in range(n):
    with open(os.path.join(d, f"s{i:06d}"), "wb") as f:
        f.write(block)
PY
  t1=$(now)
  result[$name,small]=$(python3 -c "print(f'{$SMALL / ($t1 - $t0):.0f}')")
  p2=$(peak_rss_mib "$mount_pid")
  rss[$name]=$(( peak > p2 ? peak : p2 ))
  unmount_tool "$mp"
done

row() {  # LABEL KEY UNIT HIGHER_IS_BETTER
  local m=${result[maxio,$2]} s=${result[s3fs,$2]} r=${result[rclone,$2]}
  python3 - "$1" "$3" "$4" "$m" "$s" "$r" <<'PY'
import sys
label, unit, higher, m, s, r = sys.argv[1], sys.argv[2], sys.argv[3] == "1", *map(float, sys.argv[4:])
ratio = lambda o: (m / o if higher else o / m) if m and o else float("nan")
print(f"| {label:<34} | {m:>10.1f} | {s:>10.1f} | {r:>10.1f} | {ratio(s):>9.2f}x | {ratio(r):>11.2f}x |")
PY
}
echo
echo "maxio-mount vs s3fs 1.90 vs rclone mount on one maxiod (one drive), $(nproc) cores"
echo "(ratio above 1: maxio-mount is faster)"
echo
echo "| workload                           | maxio-mount |       s3fs |     rclone | vs s3fs | vs rclone |"
echo "|---|---:|---:|---:|---:|---:|"
row "seq write ${BENCH_MB} MiB (MB/s)" write MB/s 1
row "seq read ${BENCH_MB} MiB (MB/s)" read MB/s 1
row "fio 4 KiB random read, 4 jobs (IOPS)" fio IOPS 1
row "untar source tree (s)" untar s 0
row "ls -lR of $LS_FILES files (s)" lslr s 0
row "small-file creates (files/s)" small files/s 1
printf '| %-34s | %10s | %10s | %10s |  |  |\n' "peak RSS of the mount (MiB)" "${rss[maxio]}" "${rss[s3fs]}" "${rss[rclone]}"
