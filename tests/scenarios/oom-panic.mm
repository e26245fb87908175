# exit: 4
# The OOM killer with nothing to kill (mm/oom_kill.c out_of_memory): the only process is exempt
# (oom_score_adj -1000), so the fault that finds no memory cannot be served by killing anyone.
# The kernel does not kill the exempt task: it reports the OOM (dump_header, the task list), says
# "Out of memory and no killable processes..." and panics, "System is deadlocked on memory".
# The machine stops there: the script ends with exit status 4 and the panic's reason, the task
# still alive, every byte it wrote still in place.
machine ram=64M seed=2
sysctl vm.overcommit_memory=1
spawn a
echo -1000 > /proc/a/oom_score_adj
expect /proc/a/oom_score == 0
a: p = mmap 128M rw private,anon
a: write p 128M fill=seq
echo "not reached"
