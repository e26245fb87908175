# exit: 2
# max_page_sharing cannot change while KSM pages exist (max_page_sharing_store: -EBUSY).
machine ram=64M aslr=off
spawn a
a: buf = mmap 64K rw private,anon
a: write buf 64K fill=0x77
a: r = madvise buf 64K mergeable
echo 1 > /sys/kernel/mm/ksm/run
tick 40ms
cat /sys/kernel/mm/ksm/pages_shared
echo 128 > /sys/kernel/mm/ksm/max_page_sharing
