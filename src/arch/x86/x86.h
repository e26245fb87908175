/* The x86 pieces the rest of the machine calls (arch/x86). */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <mmlab/machine.h>

const struct arch_layout *arch_layout(enum mm_arch arch, bool la57);
void e820__memory_setup(struct machine *m);
void e820__print_table(struct machine *m);
bool e820_ram_pfn_range(const struct machine *m, int *i, unsigned long *start, unsigned long *end);
/* init_vdso_image: the vDSO's ELF image written into its kernel-image pages at boot (init_vdso). */
void init_vdso_image(struct machine *m);
/* is_vsyscall_vaddr: vaddr is in the vsyscall page (arch/x86/include/asm/vsyscall.h). */
bool is_vsyscall_vaddr(unsigned long vaddr);
/* emulate_vsyscall: a data access to the vsyscall page in xonly mode, refused; a read logs the
 * kernel's warning (arch/x86/entry/vsyscall/vsyscall_64.c). */
struct task_struct;
void emulate_vsyscall(struct machine *m, const struct task_struct *tsk, bool write);

/* The kernel image's .data opens with the vDSO's data store (VDSO_DATA_PAGES pages, the vvar
 * pages of arch/x86/entry/vdso), then the page tables head_64.S/head_32.S provide: swapper_pg_dir
 * and the kernel text mapping's tables (init.c). */
#define VDSO_DATA_PAGES		4
static inline unsigned long kernel_data_pfn(const struct machine *m)
{
	return m->reserved.kernel_pfn + m->reserved.kernel_code;
}

/* init_mem_mapping_pages: the table pages the direct map (and on i386 the pkmap area) needs
 * beyond the image's own, for the boot code to reserve (the early pgt_buf). */
unsigned long init_mem_mapping_pages(struct machine *m);
/* init_mem_mapping: build the kernel half of the page tables in swapper_pg_dir, its direct-map
 * tables taken from the init_mem_mapping_pages() pages at pfn, and on i386 kmap's state
 * (arch/x86/mm/init.c). 0 or -ENOMEM. */
int init_mem_mapping(struct machine *m, unsigned long pfn);

#endif
