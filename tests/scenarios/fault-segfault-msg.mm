# show_signal_msg: an unhandled SIGSEGV logs the task, the address, ip and sp (not modelled: 0, as
# wide as a pointer), the error code and the CPU it ran on with its core and socket, at KERN_INFO:
# in dmesg, not on the console (only init, pid 1, would log at KERN_EMERG).
machine ram=128M nodes=2 cpus=4
spawn a
spawn b
cpu 3
expect signal SIGSEGV b: store 0x1000 1 1
cpu 0
expect signal SIGSEGV a: load 0x2000
dmesg
# i386: ip and sp are 32-bit pointers
machine ram=64M arch=i386 cpus=2
spawn a
spawn b
cpu 1
expect signal SIGSEGV b: load 0x3000
cpu 0
expect signal SIGSEGV a: store 0x4000 1 1
dmesg
