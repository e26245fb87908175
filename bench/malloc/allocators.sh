# shellcheck shell=bash disable=SC2034
# The allocators and workloads of the benchmark, sourced by bench/malloc/run and
# bench/malloc/exact_peak (which set build first): names, what LD_PRELOAD gets for each ("" for
# glibc's own), and the command line of each workload.
lib=/usr/lib/x86_64-linux-gnu
names=(glibc jemalloc mimalloc tcmalloc mmalloc)
preloads=("" "$lib/libjemalloc.so.2" "$lib/libmimalloc.so.2" "$lib/libtcmalloc_minimal.so.4" "$PWD/$build/libmmalloc.so")
workloads=(churn larson prodcons realloc big python3)

# The Debian python3 (scripts/deps.sh installs it), not a version manager's shim that PATH may
# find first: the shim runs dozens of shell processes under the preloaded allocator.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
cmd_for() { # cmd_for WORKLOAD: the command line of a workload
  case $1 in
    python3) echo "$python bench/malloc/python_work.py" ;;
    *) echo "$build/alloc/bench/workloads $1" ;;
  esac
}
