# /sys/kernel/mm/ksm: every file 6.18 has, with the kernel's defaults and formats; the tunables
# take new values (the advisor, not modelled, stays at "none"); a task's ksm_stat.
machine ram=64M seed=6
cat /sys/kernel/mm/ksm/run
cat /sys/kernel/mm/ksm/pages_to_scan
cat /sys/kernel/mm/ksm/sleep_millisecs
cat /sys/kernel/mm/ksm/pages_shared
cat /sys/kernel/mm/ksm/pages_sharing
cat /sys/kernel/mm/ksm/pages_unshared
cat /sys/kernel/mm/ksm/pages_volatile
cat /sys/kernel/mm/ksm/pages_skipped
cat /sys/kernel/mm/ksm/pages_scanned
cat /sys/kernel/mm/ksm/full_scans
cat /sys/kernel/mm/ksm/stable_node_chains
cat /sys/kernel/mm/ksm/stable_node_dups
cat /sys/kernel/mm/ksm/max_page_sharing
cat /sys/kernel/mm/ksm/merge_across_nodes
cat /sys/kernel/mm/ksm/use_zero_pages
cat /sys/kernel/mm/ksm/ksm_zero_pages
cat /sys/kernel/mm/ksm/general_profit
cat /sys/kernel/mm/ksm/stable_node_chains_prune_millisecs
cat /sys/kernel/mm/ksm/smart_scan
cat /sys/kernel/mm/ksm/advisor_mode
cat /sys/kernel/mm/ksm/advisor_max_cpu
cat /sys/kernel/mm/ksm/advisor_min_pages_to_scan
cat /sys/kernel/mm/ksm/advisor_max_pages_to_scan
cat /sys/kernel/mm/ksm/advisor_target_scan_time
echo 500 > /sys/kernel/mm/ksm/pages_to_scan
echo 50 > /sys/kernel/mm/ksm/sleep_millisecs
echo 64 > /sys/kernel/mm/ksm/max_page_sharing
echo 0 > /sys/kernel/mm/ksm/merge_across_nodes
echo 1 > /sys/kernel/mm/ksm/use_zero_pages
echo 0 > /sys/kernel/mm/ksm/smart_scan
echo 1000 > /sys/kernel/mm/ksm/stable_node_chains_prune_millisecs
echo "none" > /sys/kernel/mm/ksm/advisor_mode
echo 50 > /sys/kernel/mm/ksm/advisor_max_cpu
expect /sys/kernel/mm/ksm/pages_to_scan == 500
expect /sys/kernel/mm/ksm/sleep_millisecs == 50
expect /sys/kernel/mm/ksm/max_page_sharing == 64
expect /sys/kernel/mm/ksm/merge_across_nodes == 0
expect /sys/kernel/mm/ksm/use_zero_pages == 1
expect /sys/kernel/mm/ksm/smart_scan == 0
expect /sys/kernel/mm/ksm/stable_node_chains_prune_millisecs == 1000
expect /sys/kernel/mm/ksm/advisor_max_cpu == 50
spawn a
cat /proc/a/ksm_stat
cat /proc/a/ksm_merging_pages
