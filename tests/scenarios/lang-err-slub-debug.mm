# exit: 2
# An unknown slub_debug letter is refused before anything runs.
echo "not printed"
machine slub_debug=FZQ
