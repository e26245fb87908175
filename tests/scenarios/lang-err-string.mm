# exit: 2
echo "no closing quote
