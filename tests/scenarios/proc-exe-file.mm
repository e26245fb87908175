# spawn exe=PATH maps the ELF's PT_LOAD segments from the file as binfmt_elf does: text and data are
# private file mappings whose pages come from the page cache (one copy for every process running
# the program), the rest of the data's last page is zeroed by a copy, the bss is anonymous.
machine ram=128M aslr=off
spawn a exe=/bin/sh
spawn b exe=/bin/sh
# the first page of the first segment is the ELF header: "\x7fELF", read from the file
a: x = load 0x555555554000 4
expect x == 0x464c457f
expect /proc/vmstat:pgmajfault >= 1
b: y = load 0x555555554000 4
expect y == x
pa = pagewalk a 0x555555554000
pb = pagewalk b 0x555555554000
expect pa == pb
n = rmap pa / 4K
expect n == 2
expect /proc/a/smaps_rollup:Pss_File == 2K
expect /proc/a/status:RssFile == 4K
# padzero copied the data segment's last file page: one anonymous page each
expect /proc/a/status:RssAnon == 4K
exit a
exit b
expect /proc/meminfo:Mapped == 0
expect /proc/meminfo:AnonPages == 0
