/*
 * /proc/loadavg (fs/proc/loadavg.c loadavg_proc_show): the load averages, which the machine does not
 * compute (it has no scheduler tick: 0.00), the tasks running against all tasks, the last pid.
 */
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

static int loadavg_proc_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "0.00 0.00 0.00 %u/%u %d\n", nr_running(m), nr_threads(m), m->last_pid);
	return 0;
}

const struct proc_entry loadavg_proc_entries[] = {
	{ .path = "/proc/loadavg", .show = loadavg_proc_show },
	{ .path = NULL },
};
