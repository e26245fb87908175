# The page cache's tracepoints, in the kernel's format (include/trace/events/filemap.h): a page
# read into the cache, and dropped when the file is cut short.
machine ram=64M
truncate /f size=8K
spawn a
trace mm_filemap_add_to_page_cache,mm_filemap_delete_from_page_cache
a: p = mmap 8K rw shared file=/f
a: x = load p+4K
truncate /f size=4K
trace off
