# exit: 2
# NAME: runs a command in a process; none exist yet.
a: p = alloc_pages 0
