# KSM's tracepoints in ftrace's format (include/trace/events/ksm.h): each full scan starts and
# stops with its sequence number and the rmap_items; a KSM page freed (its two mappings written,
# each getting a copy) takes its stable node along. (Events print when the tick ends.)
machine ram=64M seed=9 aslr=off
spawn a
a: buf = mmap 8K rw private,anon
a: write buf 8K fill=0x3c
a: r = madvise buf 8K mergeable
echo 1 > /sys/kernel/mm/ksm/run
trace ksm_start_scan,ksm_stop_scan,ksm_remove_ksm_page
tick 21ms
expect /sys/kernel/mm/ksm/pages_shared == 1
a: store buf 0x01 1
a: store buf+4K 0x02 1
expect /sys/kernel/mm/ksm/pages_shared == 0
trace off
