# exit: 2
repeat 3 as i
  repeat 2
    echo i
  end
