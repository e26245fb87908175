# exit: 2
# A syntax error anywhere: nothing runs, not even the lines before it.
echo "not printed"
machine ram=64M
frobnicate 3
