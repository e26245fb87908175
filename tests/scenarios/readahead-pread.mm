# read(2) goes through the same readahead (mm/filemap.c filemap_get_pages, mm/readahead.c): a read
# that misses starts a window (page_cache_sync_ra), a read that reaches the page marked
# PG_readahead reads the next, larger one (page_cache_async_ra). Each pread here opens the file
# afresh, so its state starts empty: the cached pages before a miss, and the marked pages, carry
# the stream from one read to the next. Readahead never reads past the file's last page.
machine ram=128M seed=2
truncate /p size=1M+100
spawn a
a: buf = mmap 64K rw private,anon
# a 4K read at the start of the file: the first window is four times the request
a: n = pread /p buf 4K
expect n == 4K
expect /proc/meminfo:Cached == 16K
# not used yet, the pages read ahead are neither referenced nor active
expect /proc/meminfo:Inactive(file) == 16K
expect /proc/meminfo:Active(file) == 0
trace page_cache_sync_ra,page_cache_async_ra,page_cache_ra_order
repeat 15 as i
  a: n = pread /p buf 4K off=(i + 1) * 4K
end
trace off
# the whole file in 64K reads: every page once, the last (100 bytes) included, nothing past it
repeat 17 as i
  a: n = pread /p buf 64K off=i * 64K
end
expect n == 100
expect /proc/meminfo:Cached == 1M + 4K
expect /proc/vmstat:pgpgin == 1028
verify
