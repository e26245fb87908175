/*
 * /proc/uptime (fs/proc/uptime.c uptime_proc_show): seconds since boot on the simulated clock, and
 * the idle time of every CPU summed (get_idle_time: all of it, see fs/proc/stat.c).
 */
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

#define NSEC_PER_SEC 1000000000ULL

/* "S.CC": seconds and hundredths. */
static void show_seconds(struct seq_file *s, uint64_t ns)
{
	seq_printf(s, "%llu.%02llu", (unsigned long long)(ns / NSEC_PER_SEC),
		   (unsigned long long)(ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100)));
}

static int uptime_proc_show(struct machine *m, struct seq_file *s, const char *arg)
{
	uint64_t idle = 0;

	(void)arg;
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		idle += get_idle_time(m, cpu);
	show_seconds(s, m->now_ns);
	seq_putc(s, ' ');
	show_seconds(s, idle);
	seq_putc(s, '\n');
	return 0;
}

const struct proc_entry uptime_proc_entries[] = {
	{ .path = "/proc/uptime", .show = uptime_proc_show },
	{ .path = NULL },
};
