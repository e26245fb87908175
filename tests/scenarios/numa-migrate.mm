# Moving pages between nodes (mm/migrate.c move_pages, mm/mempolicy.c migrate_pages and mbind's
# MPOL_MF_MOVE): the bytes are copied to a page of the target node, every PTE that mapped the old
# frame maps the new one, and verify reads back every byte. move_pages gives each page's status:
# the node it is on, -ENOENT where nothing is mapped, -EFAULT outside any VMA or at the zero page,
# -EACCES for a page another process maps too (without move_all).
machine ram=256M nodes=2 cpus=2 aslr=off
spawn a
a: p = mmap 64K rw private,anon
a: r = madvise p 64K nohugepage
a: write p 32K fill=seq
a: x = load p+48K
# where the pages are: 8 on node 0, then nothing, then the zero page
a: st = move_pages p 16
expect st == 0
expect st[0] == 0
expect st[7] == 0
expect st[8] == -ENOENT
expect st[12] == -EFAULT
# to node 1: the 8 pages move, the others keep their statuses
s0 = /proc/vmstat:pgmigrate_success
a: st = move_pages p 16 node=1
expect st == 0
expect st[0] == 1
expect st[7] == 1
expect st[8] == -ENOENT
expect st[12] == -EFAULT
expect /proc/vmstat:pgmigrate_success == s0 + 8
expect /sys/devices/system/node/node1/meminfo:AnonPages == 32K
expect /sys/devices/system/node/node0/meminfo:AnonPages == 0
a: st = move_pages p 1
expect st[0] == 1
verify
# a page already there stays (status its node), outside any VMA -EFAULT, a node without memory or
# past the last ends the call with -ENODEV
a: st = move_pages p 1 node=1
expect st[0] == 1
a: st = move_pages 0x1000 1 node=0
expect st[0] == -EFAULT
a: st = move_pages p 1 node=5
expect st == -ENODEV
a: st = move_pages p 1 node=-1
expect st == -ENODEV
# after fork both map the pages: -EACCES, unless move_all (CAP_SYS_NICE, which root has)
fork a b
a: st = move_pages p 2 node=0
expect st[0] == -EACCES
expect st[1] == -EACCES
a: st = move_pages p 2 move_all node=0
expect st[0] == 0
expect st[1] == 0
b: st = move_pages p 2
expect st[0] == 0
expect st[1] == 0
# an ordinary user may not move shared pages
b: r = setuid 1000
b: st = move_pages p 1 move_all node=1
expect st == -EPERM
# migrate_pages: every page of a on node 1 to node 0 (shared ones too: a is root)
a: r = migrate_pages 1 0
expect r == 0
a: st = move_pages p 8
expect st[7] == 0
verify
# mbind bind move: the misplaced pages of the range migrate to the policy's nodes; with strict and
# no move flag a misplaced page is -EIO and the policy is not set
a: q = mmap 64K rw private,anon
a: r = madvise q 64K nohugepage
a: write q 64K fill=seq
a: r = mbind q 64K bind strict nodes=1
expect r == -EIO
a: r = mbind q 64K bind move strict nodes=1
expect r == 0
a: st = move_pages q 16
expect st[0] == 1
expect st[15] == 1
# a THP: the page is split out of it first (the THP is not migrated whole)
a: t = mmap 4M rw private,anon
a: r = madvise t 4M hugepage
a: write t 2M fill=seq
expect /proc/a/smaps_rollup:AnonHugePages == 2M
a: st = move_pages t+4K 1 node=1
expect st[0] == 1
expect /proc/a/smaps_rollup:AnonHugePages == 0
cat /proc/a/numa_maps
verify
