# /proc/PID/status's PPid and /proc/PID/stat's fourth field: a spawned process is init's child
# (PPid 1, as a process started on a booted system), a forked one its parent's, a kernel thread
# kthreadd's (2).
machine ram=64M
spawn a
expect /proc/a/status:PPid == 1
p = fork a b
expect /proc/b/status:PPid == /proc/a/status:Pid
expect /proc/3/status:PPid == 2
