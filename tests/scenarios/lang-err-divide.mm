# exit: 2
# Runtime errors stop the script where they happen: the lines before have run.
x = 10
echo "before"
y = x / (x - 10)
echo "not printed"
