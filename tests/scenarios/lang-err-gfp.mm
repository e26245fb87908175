# exit: 2
# gfp= takes the kernel's flag names joined with |.
p = alloc_pages 0 gfp=GFP_KERNEL|__GFP_SOMETIMES
