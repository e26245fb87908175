# Freeing a page twice is reported as the kernel reports it, and nothing is corrupted: the
# invariant checker (--check) runs after every command.
machine ram=32M
p = alloc_pages 2
free_pages p 2
free_pages p 2
q = alloc_pages 5
free_pages q 5
check
