/* The kernel log (include/linux/printk.h): messages with a level, kept for dmesg and shown on the
 * console when their level is at least as urgent as the console's. */
#ifndef MMLAB_PRINTK_H
#define MMLAB_PRINTK_H

#include <stddef.h>

struct machine;
struct seq_file;

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line */

/* Messages more urgent than this reach the console: warnings and errors, not the boot chatter
 * (as with loglevel=5 on the kernel command line). dmesg shows everything. */
#define CONSOLE_LOGLEVEL 5

void printk(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text of a seq_file, line by line, at one level (multi-line reports). */
void printk_lines(struct machine *m, const char *level, const char *text);

#define pr_err(m, ...)		printk(m, KERN_ERR __VA_ARGS__)
#define pr_warn(m, ...)		printk(m, KERN_WARNING __VA_ARGS__)
#define pr_notice(m, ...)	printk(m, KERN_NOTICE __VA_ARGS__)
#define pr_info(m, ...)		printk(m, KERN_INFO __VA_ARGS__)
#define pr_cont(m, ...)		printk(m, KERN_CONT __VA_ARGS__)

/* dump_stack_print_info: the "CPU: ... Comm: ..." line that opens a stack dump, into s
 * (lib/dump_stack.c). */
void dump_stack_print_info(struct machine *m, struct seq_file *s);

/* dmesg: the whole log with timestamps, as `dmesg` prints it. */
void log_dump(struct machine *m, struct seq_file *out);

#endif
