# exit: 2
machine nodes=2
p = alloc_pages 0 node=5
