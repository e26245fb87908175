# exit: 2
echo 1
end
