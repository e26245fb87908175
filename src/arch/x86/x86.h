/* The x86 pieces the rest of the machine calls (arch/x86). */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <mmlab/machine.h>

const struct arch_layout *arch_layout(enum mm_arch arch);
void e820__memory_setup(struct machine *m);
void e820__print_table(struct machine *m);
bool e820_ram_pfn_range(const struct machine *m, int *i, unsigned long *start, unsigned long *end);

#endif
