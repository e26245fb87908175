# exit: 2
# What machine_boot refuses comes back as a located error.
echo "runs first"
machine ram=4K
