# Tracepoints print ftrace lines to the output while enabled.
machine ram=64M
trace mm_page_alloc,mm_page_free
p = alloc_pages 0
free_pages p 0
trace off
p = alloc_pages 0
free_pages p 0
