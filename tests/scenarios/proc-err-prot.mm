# exit: 2
# A protection is none or letters of rwx.
spawn a
a: p = mmap 4K rwq private,anon
