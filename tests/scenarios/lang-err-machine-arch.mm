# exit: 2
machine arch=arm64
