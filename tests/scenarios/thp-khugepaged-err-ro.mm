# exit: 2
# pages_collapsed and full_scans are read-only (0444): a write is -EACCES.
machine ram=64M
cat /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans
echo 1 > /sys/kernel/mm/transparent_hugepage/khugepaged/full_scans
