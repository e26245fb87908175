# A write into a vmalloc area's guard page is a located error.
# exit: 2
w = vmalloc 10K
kwrite w 8K 10
kwrite w 12K 1
