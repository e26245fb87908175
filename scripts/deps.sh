#!/usr/bin/env bash
# Installs the Debian packages mmlab builds, tests and benchmarks with.
#   scripts/deps.sh          what `make`, `make test` and `make run` need
#   scripts/deps.sh bench    also the allocator peers that `make bench-malloc` measures against
# As root it installs what is missing with apt-get; otherwise it names the packages and stops.
set -eu

pkgs="build-essential pkg-config libcmocka-dev liblz4-dev libzstd-dev liblzo2-dev libxxhash-dev libedit-dev
      clang libclang-rt-14-dev python3 git valgrind util-linux mount"
if [ "${1:-}" = bench ]; then
  pkgs="$pkgs libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4"
fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "mmlab needs these Debian packages:$missing" >&2
  echo "install them with:  sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
