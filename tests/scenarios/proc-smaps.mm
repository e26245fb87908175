# /proc/PID/smaps: per VMA, Rss counts the pages mapped, Pss divides each page by its mapcount,
# shared and private, clean and dirty; the zero page counts nowhere. Pss summed over the processes
# sharing the pages is the memory they use.
machine ram=64M seed=17 aslr=off
spawn a
a: p = mmap 16K rw private,anon
a: write p 8K fill=seq
a: x = load p+12K
fork a b
b: store p 1 1
cat /proc/b/smaps
cat /proc/a/smaps
