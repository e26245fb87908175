# exit: 2
n = 2
repeat n - 5
end
