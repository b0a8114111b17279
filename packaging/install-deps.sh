#!/usr/bin/env bash
# Installs the Debian packages listed in packaging/debian-packages.txt that are not
# installed yet. Idempotent: when everything is present it only checks and exits.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/debian-packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if (( ${#missing[@]} == 0 )); then
  echo "install-deps: all ${#wanted[@]} Debian packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
(( EUID == 0 )) || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
