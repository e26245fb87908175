/*
 * Kernel panics (kernel/panic.c): the reason at KERN_EMERG, a stack dump (dump_stack), the closing line, and the
 * machine stops for good. The host is not halted: the machine keeps its reason, which stops the
 * script that drives it, and nothing in the machine runs after it.
 */
#include <stdio.h>

#include <mmlab/machine.h>
#include <mmlab/panic.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>

void panic(struct machine *m, const char *call_path, const char *reason)
{
	struct seq_file s;

	if (machine_panicked(m))	/* panic_cpu: one panic; the machine has stopped already */
		return;
	snprintf(m->panic_msg, sizeof(m->panic_msg), "%s", reason);
	printk(m, KERN_EMERG "Kernel panic - not syncing: %s\n", m->panic_msg);
	seq_init(&s);
	dump_stack_print_info(m, &s);
	seq_printf(&s, "Call Trace:\n <TASK>\n dump_stack_lvl\n panic\n%s </TASK>\n", call_path);
	printk_lines(m, KERN_WARNING, s.buf);	/* dump_stack: KERN_DEFAULT */
	seq_release(&s);
	printk(m, KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", m->panic_msg);
}

bool machine_panicked(const struct machine *m)
{
	return m->panic_msg[0] != '\0';
}
