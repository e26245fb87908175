# Lesson: KSM, kernel same-page merging (seed 4.2, deduplication): ksmd finds pages with the same
# bytes in memory that processes marked MADV_MERGEABLE, and keeps one write-protected copy of each.

machine ram=128M seed=46 aslr=off
echo "Two processes run the same program on the same data: each writes 4 MiB, and since aslr is"
echo "off their buffers have the same addresses, so their fill=seq bytes are the same page for"
echo "page. (seq bytes repeat every 256 pages, so each 4 MiB holds 256 distinct pages.)"
spawn vm1
spawn vm2
vm1: guest = mmap 4M rw private,anon
vm2: guest = mmap 4M rw private,anon
vm1: write guest 4M fill=seq
vm2: write guest 4M fill=seq
expect /proc/meminfo:AnonPages == 8M
echo "KSM only looks at memory that asks for it: madvise(MADV_MERGEABLE) sets VM_MERGEABLE"
echo "(\"mg\" in smaps' VmFlags) and registers the process with ksmd."
vm1: r = madvise guest 4M mergeable
vm2: r = madvise guest 4M mergeable
cat /proc/vm1/ksm_stat

echo ""
echo "== ksmd =="
echo "ksmd is a kernel thread: with run=1 it scans pages_to_scan pages, sleeps sleep_millisecs,"
echo "and again. Each scanned page gets an rmap_item. Here 4096 pages per batch, every 20 ms:"
echo 4096 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
tick 1ms
echo "After one full scan nothing is merged yet: a page goes into the unstable tree only if its"
echo "checksum did not change since the last scan (a page that changes is not worth merging)."
echo "Until then it counts as volatile:"
expect /sys/kernel/mm/ksm/full_scans == 1
expect /sys/kernel/mm/ksm/pages_shared == 0
cat /sys/kernel/mm/ksm/pages_volatile
tick 20ms
echo "The second scan compares each page first with the stable tree (the KSM pages, sorted by"
echo "content in a red-black tree), then with the unstable tree (pages seen this scan, sorted the"
echo "same way). Two equal pages become one KSM page: its PTEs write-protected, the duplicate's"
echo "PTE pointed at it, the duplicate freed. The next equal pages are found in the stable tree."
echo "pages_shared counts KSM pages, pages_sharing the mappings saved by them:"
cat /sys/kernel/mm/ksm/pages_shared
cat /sys/kernel/mm/ksm/pages_sharing
expect /sys/kernel/mm/ksm/pages_shared == 256
expect /sys/kernel/mm/ksm/pages_sharing == 2048 - 256
expect /proc/meminfo:AnonPages == 1M
echo "8 MiB of anonymous memory now take 1 MiB. Each process still has all its pages (RSS counts"
echo "mappings), but smaps shows them as KSM and shared:"
expect /proc/vm1/status:RssAnon == 4M
expect /proc/vm1/smaps_rollup:KSM == 4M
echo "general_profit is what merging saved, less the rmap_items' memory (64 bytes each):"
cat /sys/kernel/mm/ksm/general_profit
expect /sys/kernel/mm/ksm/general_profit == (2048 - 256) * 4096 - 2048 * 64
echo "A KSM page's struct page points to its stable_node (page->mapping, tagged PAGE_MAPPING_KSM),"
echo "which lists the rmap_items of every address merged into it: that is how reclaim and"
echo "compaction find all its PTEs. Both processes' PTEs map one frame, read-only:"
pagewalk vm1 guest
pagewalk vm2 guest

echo ""
echo "== Writing breaks the sharing =="
echo "A write to a KSM page faults; do_wp_page never reuses a KSM page in place, it copies it"
echo "(cow_ksm), and the writer gets its own page again:"
vm2: store guest 0xee 1
expect /proc/vmstat:cow_ksm == 1
vm1: a = load guest 1
vm2: b = load guest 1
expect a != 0xee
expect b == 0xee
expect /proc/meminfo:AnonPages == 1M + 4K
verify
echo "verify: every byte of both processes is what they wrote."

echo ""
echo "== Empty pages =="
echo "With use_zero_pages, pages of zeros are merged with the kernel's zero page instead (their"
echo "PTEs map it marked dirty, so that KSM can count them: ksm_zero_pages):"
echo 1 > /sys/kernel/mm/ksm/use_zero_pages
vm1: empty = mmap 1M rw private,anon
vm1: write empty 1M fill=zero
vm1: r = madvise empty 1M mergeable
tick 40ms
expect /sys/kernel/mm/ksm/ksm_zero_pages == 256
cat /proc/vm1/ksm_stat

echo ""
echo "== Limits: max_page_sharing =="
echo "One KSM page may be shared by at most max_page_sharing mappings (256), so that walking its"
echo "reverse map stays short. Beyond that KSM makes another KSM page of the same content: both"
echo "hang under one stable_node chain in the tree (stable_node_chains, stable_node_dups)."
spawn many
many: same = mmap 2M rw private,anon
many: write same 2M fill=0x61
many: r = madvise same 2M mergeable
tick 60ms
cat /sys/kernel/mm/ksm/stable_node_chains
cat /sys/kernel/mm/ksm/stable_node_dups
expect /sys/kernel/mm/ksm/stable_node_chains == 1
expect /sys/kernel/mm/ksm/stable_node_dups == 2

echo ""
echo "== Unmerging =="
echo "MADV_UNMERGEABLE gives a range its own pages back; echo 2 > run does it for everyone and"
echo "frees every rmap_item:"
echo 2 > /sys/kernel/mm/ksm/run
expect /sys/kernel/mm/ksm/pages_shared == 0
expect /sys/kernel/mm/ksm/ksm_zero_pages == 0
expect /proc/meminfo:AnonPages == 8M + 1M + 2M
verify
echo "Everything is back as written."
