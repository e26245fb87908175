# exit: 1
# expect signal fails when the command does not kill its process.
spawn a
a: p = mmap 4K rw private,anon
expect signal SIGSEGV a: store p 1 1
