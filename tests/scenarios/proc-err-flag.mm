# exit: 2
spawn a
a: p = mmap 4K rw private,anon,huge
