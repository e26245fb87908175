# exit: 2
# free_pages takes what alloc_pages or __get_free_pages returned, nothing else.
machine ram=64M
free_pages 0x1234 0
