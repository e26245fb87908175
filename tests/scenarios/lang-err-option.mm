# exit: 2
# An option the command does not have.
echo "not printed"
alloc_pages 0 colour=blue
