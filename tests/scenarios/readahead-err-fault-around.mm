# exit: 2
# fault_around_bytes is at most a page table's span (PTRS_PER_PTE pages: 2 MiB on x86_64).
machine ram=64M
echo 4M > /sys/kernel/debug/fault_around_bytes
