# exit: 2
p = alloc_pages 0
free_pages q 0
