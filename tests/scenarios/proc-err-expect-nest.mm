# exit: 2
# expect signal takes one process command: expectations do not nest.
expect signal SIGSEGV expect signal SIGSEGV a: load 0
