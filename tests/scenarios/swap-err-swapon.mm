# exit: 2
# Used alone, a failing swapon is an error of the script, as swapon(8) reports it.
machine ram=64M
swapon /nothere
