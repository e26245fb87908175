/*
 * vmalloc (mm/vmalloc.c): virtually contiguous, physically scattered kernel memory.
 *
 * Busy areas (struct vmap_area) are kept sorted by address; a new area takes the lowest gap of the
 * region that fits its size plus one guard page (alloc_vmap_area's first fit). An area allocated by
 * vmalloc owns its pages, taken one at a time from the buddy allocator (HighMem allowed: they are
 * reached through the area, not the direct map). The kernel's own bookkeeping is real slab memory:
 * a vmap_area object, a vm_struct from kmalloc, and the page array.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/printk.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/vmalloc.h>

#include "slab.h"

#define VMALLOC_START_X86_64	0xffffc90000000000UL
#define VMALLOC_SIZE_X86_64	(32UL << 40)
#define VMALLOC_OFFSET_I386	(8UL << 20)
#define VMALLOC_END_I386	0xff5fe000UL	/* PKMAP_BASE - 2 pages, below the fixmap */

/* struct vm_struct and struct vmap_area (include/linux/vmalloc.h) in one host record. */
struct vmap_area {
	unsigned long va_start, va_end;	/* the guard page included */
	struct list_head list;		/* busy areas by address */
	unsigned long flags;		/* VM_ALLOC, VM_MAP */
	struct page **pages;
	unsigned int nr_pages;
	char *caller;			/* the scenario FILE:LINE, or "(kernel)" */
	unsigned long va_obj, vm_obj, pages_obj;	/* their simulated kernel objects */
};

struct vmap_state {
	struct list_head busy;
	struct kmem_cache *vmap_area_cachep;
	unsigned long nr_vmalloc_pages;
};

unsigned long vmalloc_start(const struct machine *m)
{
	if (m->cfg.arch == ARCH_X86_64)
		return VMALLOC_START_X86_64;
	unsigned long lowmem_pfn = m->max_pfn < m->arch->max_low_pfn ? m->max_pfn : m->arch->max_low_pfn;
	return m->arch->page_offset + (lowmem_pfn << PAGE_SHIFT) + VMALLOC_OFFSET_I386;	/* high_memory + 8M */
}

unsigned long vmalloc_end(const struct machine *m)
{
	return m->cfg.arch == ARCH_X86_64 ? VMALLOC_START_X86_64 + VMALLOC_SIZE_X86_64 : VMALLOC_END_I386;
}

bool is_vmalloc_addr(const struct machine *m, unsigned long addr)
{
	return addr >= vmalloc_start(m) && addr < vmalloc_end(m);
}

int vmalloc_init(struct machine *m)
{
	struct vmap_state *vs = calloc(1, sizeof(*vs));

	if (!vs)
		return -ENOMEM;
	INIT_LIST_HEAD(&vs->busy);
	m->vmap = vs;
	vs->vmap_area_cachep = kmem_cache_create(m, "vmap_area", 8 * m->slab->ptr_size, 0, SLAB_PANIC);
	return vs->vmap_area_cachep ? 0 : -ENOMEM;
}

void vmalloc_exit(struct machine *m)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return;
	while (!list_empty(&vs->busy)) {
		struct vmap_area *va = list_first_entry(&vs->busy, struct vmap_area, list);
		list_del(&va->list);
		free(va->pages);
		free(va->caller);
		free(va);
	}
	free(vs);
	m->vmap = NULL;
}

/* alloc_vmap_area: the lowest free range of size bytes; the area goes in the busy list in order. */
static struct vmap_area *alloc_vmap_area(struct machine *m, unsigned long size, unsigned long flags)
{
	struct vmap_state *vs = m->vmap;
	unsigned long addr = vmalloc_start(m);
	struct list_head *pos;

	list_for_each(pos, &vs->busy) {
		struct vmap_area *busy = list_entry(pos, struct vmap_area, list);
		if (busy->va_start - addr >= size)
			break;
		addr = busy->va_end;
	}
	if (vmalloc_end(m) - addr < size)
		return NULL;
	struct vmap_area *va = calloc(1, sizeof(*va));
	if (!va)
		return NULL;
	va->caller = strdup(trace_call_site(m));
	va->va_start = addr;
	va->va_end = addr + size;
	va->flags = flags;
	va->va_obj = kmem_cache_alloc(m, vs->vmap_area_cachep, GFP_KERNEL);
	va->vm_obj = kzalloc(m, 8 * m->slab->ptr_size, GFP_KERNEL);	/* struct vm_struct */
	list_add_tail(&va->list, pos);	/* before the first area above it */
	return va;
}

static void free_vmap_area(struct machine *m, struct vmap_area *va)
{
	list_del(&va->list);
	kfree(m, va->pages_obj);
	kfree(m, va->vm_obj);
	kmem_cache_free(m, m->vmap->vmap_area_cachep, va->va_obj);
	free(va->pages);
	free(va->caller);
	free(va);
}

static struct vmap_area *find_vmap_area(struct machine *m, unsigned long addr)
{
	struct vmap_area *va;

	list_for_each_entry(va, &m->vmap->busy, list)
		if (addr >= va->va_start && addr < va->va_end)
			return va;
	return NULL;
}

/* get_vm_area: an area of size bytes plus the guard page, with its page array. */
static struct vmap_area *get_vm_area(struct machine *m, unsigned long size, unsigned long flags)
{
	unsigned int nr_pages = (unsigned int)(size >> PAGE_SHIFT);
	struct vmap_area *va = alloc_vmap_area(m, size + PAGE_SIZE, flags);

	if (!va)
		return NULL;
	va->pages = calloc(nr_pages ? nr_pages : 1, sizeof(*va->pages));
	va->pages_obj = kmalloc(m, (size_t)nr_pages * m->slab->ptr_size, GFP_KERNEL);
	if (!va->pages) {
		free_vmap_area(m, va);
		return NULL;
	}
	return va;
}

/* __vmalloc_area_node: the pages, one at a time; a failure frees what was had. */
static bool vmalloc_area_pages(struct machine *m, struct vmap_area *va, unsigned int nr_pages, gfp_t gfp)
{
	for (va->nr_pages = 0; va->nr_pages < nr_pages; va->nr_pages++) {
		struct page *page = alloc_pages(m, gfp, 0);
		if (!page)
			return false;
		va->pages[va->nr_pages] = page;
	}
	return true;
}

static void vfree_pages(struct machine *m, struct vmap_area *va)
{
	for (unsigned int i = 0; i < va->nr_pages; i++)
		__free_pages(m, va->pages[i], 0);
	m->vmap->nr_vmalloc_pages -= va->nr_pages;
}

static unsigned long __vmalloc(struct machine *m, unsigned long size, gfp_t gfp)
{
	size = (size + PAGE_SIZE - 1) & PAGE_MASK;
	if (!size || size > vmalloc_end(m) - vmalloc_start(m))
		return 0;
	struct vmap_area *va = get_vm_area(m, size, VM_ALLOC);
	if (!va) {
		pr_warn(m, "vmalloc error: size %lu, vm_struct allocation failed\n", size);
		return 0;
	}
	bool ok = vmalloc_area_pages(m, va, (unsigned int)(size >> PAGE_SHIFT), gfp);
	m->vmap->nr_vmalloc_pages += va->nr_pages;
	if (!ok) {
		pr_warn(m, "vmalloc error: size %lu, failed to allocate pages\n", size);
		vfree_pages(m, va);
		free_vmap_area(m, va);
		return 0;
	}
	return va->va_start;
}

unsigned long vmalloc(struct machine *m, unsigned long size)
{
	return __vmalloc(m, size, GFP_KERNEL | __GFP_HIGHMEM);
}

unsigned long vzalloc(struct machine *m, unsigned long size)
{
	return __vmalloc(m, size, GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO);
}

/* vfree / vunmap: an area's start only; anything else is the kernel's warning. */
static struct vmap_area *remove_vm_area(struct machine *m, unsigned long addr, unsigned long flags,
					const char *who)
{
	struct vmap_area *va = find_vmap_area(m, addr);

	if (!va || va->va_start != addr || !(va->flags & flags)) {
		pr_warn(m, "WARNING: CPU: %d PID: %d at mm/vmalloc.c %s\n", m->this_cpu, m->trace.pid, who);
		pr_warn(m, "Trying to %s() nonexistent vm area (0x%lx)\n", who, addr);
		return NULL;
	}
	return va;
}

void vfree(struct machine *m, unsigned long addr)
{
	if (!addr)
		return;
	struct vmap_area *va = remove_vm_area(m, addr, VM_ALLOC, "vfree");
	if (va) {
		vfree_pages(m, va);
		free_vmap_area(m, va);
	}
}

unsigned long vmap(struct machine *m, struct page **pages, unsigned int count)
{
	struct vmap_area *va = count ? get_vm_area(m, (unsigned long)count << PAGE_SHIFT, VM_MAP) : NULL;

	if (!va)
		return 0;
	memcpy(va->pages, pages, count * sizeof(*pages));
	va->nr_pages = count;
	return va->va_start;
}

void vunmap(struct machine *m, unsigned long addr)
{
	struct vmap_area *va = remove_vm_area(m, addr, VM_MAP, "vunmap");

	if (va)
		free_vmap_area(m, va);
}

struct page *vmalloc_to_page(struct machine *m, unsigned long addr)
{
	struct vmap_area *va = find_vmap_area(m, addr);
	unsigned long idx = va ? (addr - va->va_start) >> PAGE_SHIFT : 0;

	return va && idx < va->nr_pages ? va->pages[idx] : NULL;
}

unsigned long vmalloc_nr_pages(struct machine *m)
{
	return m->vmap ? m->vmap->nr_vmalloc_pages : 0;
}

/* s_show (mm/vmalloc.c): range, size with the guard page, caller, pages=, type, pages per node. */
void vmalloc_info_show(struct machine *m, struct seq_file *s)
{
	struct vmap_area *va;

	list_for_each_entry(va, &m->vmap->busy, list) {
		unsigned int per_node[MAX_NUMNODES] = { 0 };
		seq_printf(s, "0x%0*lx-0x%0*lx %7lu %s", (int)m->slab->ptr_size * 2, va->va_start,
			   (int)m->slab->ptr_size * 2, va->va_end, va->va_end - va->va_start, va->caller);
		if (va->nr_pages)
			seq_printf(s, " pages=%u", va->nr_pages);
		seq_puts(s, va->flags & VM_ALLOC ? " vmalloc" : " vmap");
		for (unsigned int i = 0; i < va->nr_pages; i++)
			per_node[page_to_nid(va->pages[i])]++;
		for (int nid = 0; m->cfg.arch == ARCH_X86_64 && nid < m->nr_node_ids; nid++)
			if (per_node[nid])
				seq_printf(s, " N%d=%u", nid, per_node[nid]);
		seq_putc(s, '\n');
	}
}
