# exit: 2
# max_ptes_none, max_ptes_swap and max_ptes_shared take 0 to HPAGE_PMD_NR - 1 (511); 512 is -EINVAL
# (max_ptes_none_store); the value stays.
machine ram=64M
echo 64 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
cat /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
echo 512 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
