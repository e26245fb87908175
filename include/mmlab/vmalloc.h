/*
 * vmalloc: virtually contiguous kernel memory from pages that need not be (include/linux/vmalloc.h,
 * mm/vmalloc.c). Each area takes a range of the vmalloc region of the kernel's address space, with
 * an unmapped guard page after it, and its pages one by one from the buddy allocator.
 */
#ifndef MMLAB_VMALLOC_H
#define MMLAB_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include <mmlab/gfp.h>

struct machine;
struct page;
struct seq_file;

/* vm_struct flags (include/linux/vmalloc.h). */
#define VM_IOREMAP	0x00000001u
#define VM_ALLOC	0x00000002u	/* vmalloc() */
#define VM_MAP		0x00000004u	/* vmap()ed pages */

/* The region: x86_64 0xffffc90000000000 + 32 TiB; i386 from high_memory + 8 MiB to below the
 * pkmap and fixmap area (Documentation/arch/x86/x86_64/mm.rst, arch/x86/include/asm/pgtable_32_areas.h). */
unsigned long vmalloc_start(const struct machine *m);
unsigned long vmalloc_end(const struct machine *m);
bool is_vmalloc_addr(const struct machine *m, unsigned long addr);

int vmalloc_init(struct machine *m);
void vmalloc_exit(struct machine *m);

/* vmalloc / vzalloc: 0 when no room or no pages. */
unsigned long vmalloc(struct machine *m, unsigned long size);
unsigned long vzalloc(struct machine *m, unsigned long size);
void vfree(struct machine *m, unsigned long addr);
/* vmap: map count pages the caller owns; vunmap undoes it and leaves the pages alone. */
unsigned long vmap(struct machine *m, struct page **pages, unsigned int count);
void vunmap(struct machine *m, unsigned long addr);
/* vmalloc_to_page: the page behind a vmalloc address, NULL for a guard page or no area. */
struct page *vmalloc_to_page(struct machine *m, unsigned long addr);

/* vmalloc_nr_pages: the pages vmalloc holds, /proc/meminfo VmallocUsed. */
unsigned long vmalloc_nr_pages(struct machine *m);
/* /proc/vmallocinfo. */
void vmalloc_info_show(struct machine *m, struct seq_file *s);

#endif
