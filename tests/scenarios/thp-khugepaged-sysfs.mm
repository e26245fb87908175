# /sys/kernel/mm/transparent_hugepage/khugepaged: every file 6.18 has, with the kernel's defaults
# (8 PMDs' worth of pages every 10 s, 60 s after a failed allocation, max_ptes_none 511,
# max_ptes_swap 64, max_ptes_shared 256, defrag 1) and formats; the tunables take new values.
machine ram=64M seed=6
cat /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
cat /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
cat /sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs
cat /sys/kernel/mm/transparent_hugepage/khugepaged/defrag
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_swap
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_shared
cat /sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed
cat /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans
echo 1024 > /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
echo 100 > /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
echo 0 > /sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs
echo 0 > /sys/kernel/mm/transparent_hugepage/khugepaged/defrag
echo 0 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
echo 511 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_swap
echo 1 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_shared
cat /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
cat /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
cat /sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs
cat /sys/kernel/mm/transparent_hugepage/khugepaged/defrag
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_swap
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_shared
expect /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan == 1024
