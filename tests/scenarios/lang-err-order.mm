# exit: 2
p = alloc_pages 0
free_pages p 12
