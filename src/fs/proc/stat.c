/*
 * /proc/stat (fs/proc/stat.c show_stat): CPU time, interrupts, context switches, forks and the
 * running and blocked tasks. The machine's work takes no simulated time: a command runs between two
 * instants, and the clock moves only while every CPU waits (tick). So each CPU has been idle since
 * boot, and user, system and the other times are 0; it has no interrupts, context switches or
 * softirqs to count, nor a wall clock (btime 0). processes counts every task created since boot, as
 * total_forks does; procs_running and procs_blocked come from the tasks' states.
 */
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

#define NR_IRQS_LEGACY	16	/* the fewest interrupts x86 numbers (arch_probe_nr_irqs) */
#define NR_SOFTIRQS	10	/* HI_SOFTIRQ .. RCU_SOFTIRQ */

#define NSEC_PER_USER_HZ	10000000ULL	/* USER_HZ 100 */

uint64_t get_idle_time(const struct machine *m, int cpu)
{
	(void)cpu;
	return m->now_ns;
}

/* The ten times of a "cpu" line, in clock ticks (nsec_to_clock_t): user nice system idle iowait
 * irq softirq steal guest guest_nice. */
static void show_cpu_times(struct seq_file *s, uint64_t idle_ns)
{
	seq_printf(s, " 0 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)(idle_ns / NSEC_PER_USER_HZ));
}

static int show_stat(struct machine *m, struct seq_file *s, const char *arg)
{
	uint64_t idle = 0;

	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		idle += get_idle_time(m, cpu);
	seq_puts(s, "cpu ");
	show_cpu_times(s, idle);
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		seq_printf(s, "cpu%d", cpu);
		show_cpu_times(s, get_idle_time(m, cpu));
	}
	(void)arg;
	seq_puts(s, "intr 0");
	for (int irq = 0; irq < NR_IRQS_LEGACY; irq++)
		seq_puts(s, " 0");
	/* total_forks: every pid handed out was a task created, init and kthreadd included */
	seq_printf(s, "\nctxt 0\nbtime 0\nprocesses %d\nprocs_running %u\nprocs_blocked 0\nsoftirq 0", m->last_pid,
		   nr_running(m));
	for (int i = 0; i < NR_SOFTIRQS; i++)
		seq_puts(s, " 0");
	seq_putc(s, '\n');
	return 0;
}

const struct proc_entry stat_proc_entries[] = {
	{ .path = "/proc/stat", .show = show_stat },
	{ .path = NULL },
};
