# exec replaces a process's address space (exec_mmap): the old mm with its pages and tables is
# torn down, the new one laid out from the ELF file; the pid, name, limits and fault counts stay.
# A failed exec leaves the process running in its old address space. A child forked before the
# exec keeps its copy-on-write pages.
machine ram=64M seed=5 aslr=off
spawn a
a: p = mmap 1M rw private,anon
a: write p 1M fill=seq
fork a child
expect /proc/meminfo:AnonPages == 1M
a: r = exec /etc/passwd
expect r == -ENOEXEC
a: r = exec /nonexistent/program
expect r == -ENOENT
expect /proc/a/status:RssAnon == 1M
verify
pid = /proc/a/status:Pid
a: r = exec /bin/true
expect r == 0
expect /proc/a/status:Pid == pid
expect /proc/a/status:RssAnon < 1M
expect /proc/a/status:VmExe > 0
# the child still holds the pages: none was freed, none lost (the new program has its own: the
# zeroed end of its data page)
expect /proc/meminfo:AnonPages == 1M + /proc/a/status:RssAnon
verify
# the old mapping is gone
expect signal SIGSEGV a: store p 1 1
spawn b
b: q = mmap 2M rw private,anon
b: write q 2M fill=seq
free1 = /proc/meminfo:MemFree
b: r = exec /bin/true
drain_all_pages
expect /proc/meminfo:MemFree >= free1 + 2M - /proc/b/status:RssAnon
expect /proc/meminfo:AnonPages == 1M + /proc/b/status:RssAnon
exit child
expect /proc/meminfo:AnonPages == /proc/b/status:RssAnon
