/* A kernel panic (include/linux/panic.h): the machine stops. */
#ifndef MMLAB_PANIC_H
#define MMLAB_PANIC_H

#include <stdbool.h>

struct machine;

/* panic: the machine halts with reason (a line of text, no newline), logged as the kernel logs
 * it; call_path names the functions below panic, innermost first, each " name\n". Nothing on the
 * machine runs after it: the scenario that drives it stops (kernel/panic.c). */
void panic(struct machine *m, const char *call_path, const char *reason);

/* machine_panicked: a panic has stopped the machine. */
bool machine_panicked(const struct machine *m);

#endif
