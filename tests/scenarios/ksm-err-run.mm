# exit: 2
# run takes 0, 1 or 2 (run_store: -EINVAL above KSM_RUN_UNMERGE); run keeps its value.
machine ram=64M
echo 1 > /sys/kernel/mm/ksm/run
cat /sys/kernel/mm/ksm/run
echo 3 > /sys/kernel/mm/ksm/run
