# exit: 2
# percpu_pagelist_high_fraction is 0 or at least 8: 5 is refused and the value stays.
machine ram=256M
sysctl vm.percpu_pagelist_high_fraction=5
