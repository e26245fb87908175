# exit: 2
# A process command needs its process, and the process must exist.
spawn a
a: p = mmap 4K rw private,anon
b: store p 1 1
