/*
 * vmalloc (mm/vmalloc.c): virtually contiguous, physically scattered kernel memory.
 *
 * Busy areas (struct vmap_area) are in a tree by address; the free ranges between them are in a
 * second tree by address, augmented with the largest free size below each node, so that the lowest
 * range that fits a size plus one guard page is found in O(log n) (alloc_vmap_area's first fit,
 * find_vmap_lowest_match). A freed area goes back to the free tree, merged with the ranges next to
 * it (merge_or_add_vmap_area). Free ranges are host records only: they have no vmap_area object in
 * the simulated slab, so /proc/slabinfo counts the busy areas alone. An area allocated by
 * vmalloc owns its pages, taken one at a time from the buddy allocator (HighMem allowed: they are
 * reached through the area, not the direct map). The kernel's own bookkeeping is real slab memory:
 * a vmap_area object, a vm_struct from kmalloc, and the page array.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/printk.h>
#include <mmlab/rbtree.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/vmalloc.h>

#include "slab.h"

#define VMALLOC_START_X86_64	0xffffc90000000000UL
#define VMALLOC_SIZE_X86_64	(32UL << 40)
#define VMALLOC_OFFSET_I386	(8UL << 20)
#define VMALLOC_END_I386	0xff5fe000UL	/* PKMAP_BASE - 2 pages, below the fixmap */

/* struct vm_struct and struct vmap_area (include/linux/vmalloc.h) in one host record; a free range
 * uses only its address range, its node and subtree_max_size. */
struct vmap_area {
	unsigned long va_start, va_end;	/* the guard page included */
	struct rb_node rb_node;		/* in the busy tree, or in the free tree */
	unsigned long subtree_max_size;	/* free ranges: the largest size in this subtree */
	unsigned long flags;		/* VM_ALLOC, VM_MAP */
	struct page **pages;
	unsigned int nr_pages;
	char *caller;			/* the scenario FILE:LINE, or "(kernel)" */
	unsigned long va_obj, vm_obj, pages_obj;	/* their simulated kernel objects */
};

struct vmap_state {
	struct rb_root vmap_area_root;		/* busy areas */
	struct rb_root free_vmap_area_root;	/* free ranges, augmented */
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

static unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static struct vmap_area *va_entry(struct rb_node *node)
{
	return node ? rb_entry(node, struct vmap_area, rb_node) : NULL;
}

/* find_va_links: where an area starting at va_start goes in a tree ordered by address. */
static struct rb_node **find_va_links(struct rb_root *root, unsigned long va_start, struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;

	*parent = NULL;
	while (*link) {
		*parent = *link;
		link = va_start < va_entry(*link)->va_start ? &(*link)->rb_left : &(*link)->rb_right;
	}
	return link;
}

/* ---- The free tree, augmented (mm/vmalloc.c free_vmap_area_root, subtree_max_size) ---- */

static unsigned long get_subtree_max_size(struct rb_node *node)
{
	return node ? va_entry(node)->subtree_max_size : 0;
}

static unsigned long compute_subtree_max_size(struct vmap_area *va)
{
	unsigned long max = va_size(va), l = get_subtree_max_size(va->rb_node.rb_left),
		      r = get_subtree_max_size(va->rb_node.rb_right);

	if (l > max)
		max = l;
	return r > max ? r : max;
}

/* free_vmap_propagate: recompute from node up to the root: an erase moves a successor up, so no
 * early stop is safe. */
static void free_vmap_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node))
		va_entry(node)->subtree_max_size = compute_subtree_max_size(va_entry(node));
}

static void free_vmap_rotate(struct rb_node *old, struct rb_node *new)
{
	va_entry(new)->subtree_max_size = va_entry(old)->subtree_max_size;
	va_entry(old)->subtree_max_size = compute_subtree_max_size(va_entry(old));
}

static const struct rb_augment_callbacks free_vmap_area_rb_augment_cb = { free_vmap_propagate, free_vmap_rotate };

static void insert_vmap_area_augment(struct vmap_state *vs, struct vmap_area *va)
{
	struct rb_node *parent, **link = find_va_links(&vs->free_vmap_area_root, va->va_start, &parent);

	rb_link_node(&va->rb_node, parent, link);
	free_vmap_propagate(&va->rb_node, NULL);
	rb_insert_augmented(&va->rb_node, &vs->free_vmap_area_root, &free_vmap_area_rb_augment_cb);
}

static void erase_free_area(struct vmap_state *vs, struct vmap_area *va)
{
	rb_erase_augmented(&va->rb_node, &vs->free_vmap_area_root, &free_vmap_area_rb_augment_cb);
	free(va);
}

/* find_vmap_lowest_match: the free range of lowest address holding size bytes: left while the left
 * subtree has one, else this node, else right. */
static struct vmap_area *find_vmap_lowest_match(struct vmap_state *vs, unsigned long size)
{
	struct rb_node *node = vs->free_vmap_area_root.rb_node;

	while (node) {
		if (get_subtree_max_size(node->rb_left) >= size)
			node = node->rb_left;
		else if (va_size(va_entry(node)) >= size)
			return va_entry(node);
		else if (get_subtree_max_size(node->rb_right) >= size)
			node = node->rb_right;
		else
			return NULL;
	}
	return NULL;
}

/* __alloc_vmap_area: the start of the lowest fit, cut from the left of its free range (the whole
 * range, or its left edge: FL_FIT_TYPE, LE_FIT_TYPE); 0 if none fits. */
static unsigned long __alloc_vmap_area(struct vmap_state *vs, unsigned long size)
{
	struct vmap_area *va = find_vmap_lowest_match(vs, size);

	if (!va)
		return 0;
	unsigned long addr = va->va_start;
	if (va_size(va) == size) {
		erase_free_area(vs, va);
	} else {
		va->va_start += size;
		free_vmap_propagate(&va->rb_node, NULL);
	}
	return addr;
}

/* merge_or_add_vmap_area: a range back to the free tree, joined with the free ranges that touch it;
 * va is taken over (freed, or inserted). */
static void merge_or_add_vmap_area(struct vmap_state *vs, struct vmap_area *va)
{
	struct vmap_area *next = NULL;

	for (struct rb_node *n = vs->free_vmap_area_root.rb_node; n;) {	/* the first range above va */
		if (va_entry(n)->va_start > va->va_start) {
			next = va_entry(n);
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	struct vmap_area *prev = va_entry(next ? rb_prev(&next->rb_node) : rb_last(&vs->free_vmap_area_root));

	if (next && next->va_start == va->va_end) {
		next->va_start = va->va_start;
		free(va);
		va = next;
		if (prev && prev->va_end == va->va_start) {
			prev->va_end = va->va_end;
			erase_free_area(vs, va);
			va = prev;
		}
		free_vmap_propagate(&va->rb_node, NULL);
	} else if (prev && prev->va_end == va->va_start) {
		prev->va_end = va->va_end;
		free(va);
		free_vmap_propagate(&prev->rb_node, NULL);
	} else {
		insert_vmap_area_augment(vs, va);
	}
}

/* ---- The busy tree (mm/vmalloc.c vmap_area_root) ---- */

static void insert_vmap_area(struct vmap_state *vs, struct vmap_area *va)
{
	struct rb_node *parent, **link = find_va_links(&vs->vmap_area_root, va->va_start, &parent);

	rb_link_node(&va->rb_node, parent, link);
	rb_insert_color(&va->rb_node, &vs->vmap_area_root);
}

static struct vmap_area *find_vmap_area(struct machine *m, unsigned long addr)
{
	struct rb_node *n = m->vmap->vmap_area_root.rb_node;

	while (n) {
		struct vmap_area *va = va_entry(n);
		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

int vmalloc_init(struct machine *m)
{
	struct vmap_state *vs = calloc(1, sizeof(*vs));
	struct vmap_area *all = calloc(1, sizeof(*all));

	m->vmap = vs;
	if (!vs || !all) {
		free(all);
		return -ENOMEM;
	}
	all->va_start = vmalloc_start(m);	/* the whole region, free */
	all->va_end = vmalloc_end(m);
	insert_vmap_area_augment(vs, all);
	vs->vmap_area_cachep = kmem_cache_create(m, "vmap_area", 8 * m->slab->ptr_size, 0, SLAB_PANIC);
	return vs->vmap_area_cachep ? 0 : -ENOMEM;
}

/* free_tree: the host records of a whole tree, children first. */
static void free_tree(struct rb_node *node)
{
	if (!node)
		return;
	free_tree(node->rb_left);
	free_tree(node->rb_right);
	struct vmap_area *va = va_entry(node);
	free(va->pages);
	free(va->caller);
	free(va);
}

void vmalloc_exit(struct machine *m)
{
	struct vmap_state *vs = m->vmap;

	if (!vs)
		return;
	free_tree(vs->vmap_area_root.rb_node);
	free_tree(vs->free_vmap_area_root.rb_node);
	free(vs);
	m->vmap = NULL;
}

/* alloc_vmap_area: the lowest free range of size bytes, with its simulated kernel objects. */
static struct vmap_area *alloc_vmap_area(struct machine *m, unsigned long size, unsigned long flags)
{
	struct vmap_state *vs = m->vmap;
	struct vmap_area *va = calloc(1, sizeof(*va));

	if (!va)
		return NULL;
	va->va_start = __alloc_vmap_area(vs, size);
	if (!va->va_start) {
		free(va);
		return NULL;
	}
	va->caller = strdup(trace_call_site(m));
	va->va_end = va->va_start + size;
	va->flags = flags;
	va->va_obj = kmem_cache_alloc(m, vs->vmap_area_cachep, GFP_KERNEL);
	va->vm_obj = kzalloc(m, 8 * m->slab->ptr_size, GFP_KERNEL);	/* struct vm_struct */
	insert_vmap_area(vs, va);
	return va;
}

/* kvfree: vfree for a vmalloc address, kfree for anything else (mm/util.c). */
static void kvfree(struct machine *m, unsigned long addr)
{
	if (is_vmalloc_addr(m, addr))
		vfree(m, addr);
	else
		kfree(m, addr);
}

/* free_vmap_area: out of the busy tree, its objects freed, its range back to the free tree. */
static void free_vmap_area(struct machine *m, struct vmap_area *va)
{
	rb_erase(&va->rb_node, &m->vmap->vmap_area_root);
	kvfree(m, va->pages_obj);
	kfree(m, va->vm_obj);
	kmem_cache_free(m, m->vmap->vmap_area_cachep, va->va_obj);
	free(va->pages);
	free(va->caller);
	*va = (struct vmap_area){ .va_start = va->va_start, .va_end = va->va_end };	/* now a free range */
	merge_or_add_vmap_area(m->vmap, va);
}

static unsigned long __vmalloc(struct machine *m, unsigned long size, gfp_t gfp);

/* get_vm_area: an area of size bytes plus the guard page, with its page array: kmalloc'ed up to a
 * page, above that an area of its own, vmalloc'ed at the same site (__vmalloc_area_node). */
static struct vmap_area *get_vm_area(struct machine *m, unsigned long size, unsigned long flags)
{
	unsigned int nr_pages = (unsigned int)(size >> PAGE_SHIFT);
	size_t array_size = (size_t)nr_pages * m->slab->ptr_size;
	struct vmap_area *va = alloc_vmap_area(m, size + PAGE_SIZE, flags);

	if (!va)
		return NULL;
	va->pages = calloc(nr_pages ? nr_pages : 1, sizeof(*va->pages));
	va->pages_obj = array_size > PAGE_SIZE ? __vmalloc(m, array_size, GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO)
					       : kmalloc(m, array_size, GFP_KERNEL);
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
	for (struct rb_node *n = rb_first(&m->vmap->vmap_area_root); n; n = rb_next(n)) {
		struct vmap_area *va = va_entry(n);
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
