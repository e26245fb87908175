# exit: 2
# machine keys are ram, arch, nodes, cpus, seed, distance.
machine ram=64M swap=1G
