# slub_debug= as a boot parameter: the kmalloc caches created at boot get red zones and poison,
# so an overflow of a kmalloc object is caught without any per-cache setting.
machine ram=64M slub_debug=FZPU
cat /sys/kernel/slab/kmalloc-64/red_zone
cat /sys/kernel/slab/kmalloc-64/poison
k = kmalloc 64
kwrite k 64 4
kfree k
# Only the caches named after the comma get the flags.
machine ram=64M slub_debug=Z,kmalloc-128
cat /sys/kernel/slab/kmalloc-64/red_zone
cat /sys/kernel/slab/kmalloc-128/red_zone
