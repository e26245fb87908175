# Commit accounting: private writable mappings, the heap, the stack and shared memory are charged
# to Committed_AS when mapped (not when touched) and discharged when unmapped; with
# vm.overcommit_memory=2 a mapping beyond CommitLimit fails with ENOMEM, also through fork,
# mprotect and mremap, while read-only mappings cost nothing.
machine ram=64M seed=22 aslr=off
c0 = /proc/meminfo:Committed_AS
spawn a
c1 = /proc/meminfo:Committed_AS
# the stack (132K) and the writable .data and .bss pages
expect c1 - c0 == 132K + 8K
# p well below the others: room above it for growing in place
a: p = mmap 16M rw private,anon addr=0x7f0000000000
expect /proc/meminfo:Committed_AS == c1 + 16M
a: r = mmap 16M r private,anon
expect /proc/meminfo:Committed_AS == c1 + 16M
a: n = mmap 16M rw private,anon,noreserve
expect /proc/meminfo:Committed_AS == c1 + 16M
a: s = mmap 4M rw shared,anon
expect /proc/meminfo:Committed_AS == c1 + 20M
a: x = munmap p 8M
expect /proc/meminfo:Committed_AS == c1 + 12M
a: x = munmap s 4M
expect /proc/meminfo:Committed_AS == c1 + 8M
# never overcommit: the limit is half of RAM here
sysctl vm.overcommit_memory=2
limit = /proc/meminfo:CommitLimit
expect limit < 32M
a: big = mmap 32M rw private,anon
expect big == -ENOMEM
a: n2 = mmap 32M rw private,anon,noreserve
expect n2 == -ENOMEM
a: ro = mmap 32M r private,anon
expect ro > 0
a: rw = mprotect ro 32M rw
expect rw == -ENOMEM
# growing in place is charged for the growth only
a: g = mremap p+8M 8M 16M
expect g == p + 8M
a: g = mremap p+8M 16M 40M maymove
expect g == -ENOMEM
# the child would double a's commitment
pid = fork a b
expect pid == -ENOMEM
sysctl vm.overcommit_memory=0
pid = fork a b
expect pid > 0
expect /proc/meminfo:Committed_AS > limit
exit b
exit a
expect /proc/meminfo:Committed_AS == c0
