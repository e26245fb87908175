# exit: 2
mmap 4K rw private,anon
