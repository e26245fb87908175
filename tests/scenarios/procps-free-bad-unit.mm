# exit: 2
# free refuses what procps free refuses: an unknown option, or a second unit (check_unit_set);
# the whole script is refused before anything runs.
free -h
free -m -g
