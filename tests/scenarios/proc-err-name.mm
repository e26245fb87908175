# exit: 2
spawn a
fork a 9lives
