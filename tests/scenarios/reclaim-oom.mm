# The OOM killer: with no swap, the process with the most points (rss + swap entries + page tables)
# is killed when a fault finds no memory; the others keep running with every byte intact.
machine ram=64M seed=2
spawn small
spawn big
small: s = mmap 4M rw private,anon
small: write s 4M fill=seq
big: b = mmap 40M rw private,anon
big: write b 40M fill=seq
expect /proc/big/oom_score > /proc/small/oom_score
echo 500 > /proc/small/oom_score_adj
expect /proc/small/oom_score_adj == 500
echo 0 > /proc/small/oom_score_adj
spawn grow
grow: g = mmap 32M rw private,anon
grow: write g 32M fill=seq
expect /proc/vmstat:oom_kill == 1
expect /proc/small/status:VmRSS == 4M
verify
