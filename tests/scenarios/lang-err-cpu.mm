# exit: 2
machine cpus=2
cpu 2
