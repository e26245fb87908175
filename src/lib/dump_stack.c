/* The opening line of a stack dump (lib/dump_stack.c). The machine has no stack to unwind: each
 * report prints the call trace it models itself. */
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>

void dump_stack_print_info(struct machine *m, struct seq_file *s)
{
	seq_printf(s, "CPU: %d PID: %d Comm: %s Not tainted " UTS_RELEASE " #1\n", m->this_cpu, m->trace.pid, m->trace.comm);
}
