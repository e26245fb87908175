# slub_debug reports in the kernel's words: a red zone overwritten, a double free, a write after free;
# the machine goes on and its invariants hold.
machine ram=64M cpus=1
slub_debug FZPU,kmalloc-32
k = kmalloc 20
kwrite k 20 1
kwrite k 32 1
kfree k
kfree k
kfree k
kwrite k 4 2 0
k = kmalloc 20
ok = kmalloc 32
kwrite ok 0 32
kfree ok
