# The page cache's tracepoints, in the kernel's format (include/trace/events/filemap.h): the read
# fault (fault-around first: nothing cached to map yet), the file's two pages read into the cache
# around it, a second read fault that maps the cached pages around it, and the page dropped when
# the file is cut short.
machine ram=64M
truncate /f size=8K
spawn a
trace mm_filemap_add_to_page_cache,mm_filemap_delete_from_page_cache,mm_filemap_fault,mm_filemap_map_pages
a: p = mmap 8K rw shared file=/f
a: x = load p+4K
spawn b
b: q = mmap 8K r shared file=/f
b: x = load q
truncate /f size=4K
trace off
