# exit: 2
machine nodes=2 distance=10,20,30;20,10,30;30,30,10
