# Executable file pages under memory pressure (mm/vmscan.c): a page of a VM_EXEC file mapping is
# activated on its first reference (folio_check_references, with the VMA flags folio_referenced
# reports), where a page of a read-only data mapping referenced once is only kept a round longer
# and then reclaimed; on the active list, a referenced executable page takes another trip round
# (shrink_active_list's nr_rotated) instead of being deactivated. Streaming use-once page cache
# (pread) makes the pressure; there is no swap.
machine ram=64M seed=4
truncate /code size=4M
truncate /data size=4M
truncate /stream size=512M
spawn a
spawn b
a: c = mmap 4M rx private file=/code
b: d = mmap 4M r private file=/data
a: read c 4M
b: read d 4M
a: io = mmap 1M rw private,anon
repeat 120 as i
  a: n = pread /stream io 1M off=i*1M
end
expect /proc/vmstat:pgsteal_file > 0
# the code stayed, on the active list; the data, referenced as often, went
expect /proc/a/status:RssFile == 4M
expect /proc/b/status:RssFile == 0
expect /proc/vmstat:pgactivate == 1024
expect /proc/meminfo:Active(file) == 4M
check
# code big enough for the active list to be aged, and used between the reads: the referenced
# pages rotate on the active list instead of going to the inactive one
machine ram=64M seed=4
truncate /code size=36M
truncate /stream size=512M
spawn a
a: c = mmap 36M rx private file=/code
a: read c 36M
a: io = mmap 1M rw private,anon
repeat 8 as j
  a: read c 36M
  repeat 40 as i
    a: n = pread /stream io 1M off=(j*40+i)*1M
  end
end
expect /proc/vmstat:pgrefill > 0
expect /proc/vmstat:pgdeactivate < /proc/vmstat:pgrefill / 2
expect /proc/a/status:RssFile > 24M
check
