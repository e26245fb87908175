/*
 * Shared anonymous memory (mm/shmem.c shmem_zero_setup): a MAP_SHARED|MAP_ANONYMOUS mapping is
 * backed by an object of its own, which holds its pages by offset, so that every VMA mapping it
 * (split pieces, forked children) finds the same page. Its pages count as Shmem and as page cache;
 * mapped ones also as Mapped.
 */
#include <stdlib.h>

#include <mmlab/gfp.h>
#include <mmlab/mm.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

struct shmem_object {
	int refcount;			/* VMAs mapping it */
	unsigned long ino;		/* its inode number, as /proc/PID/maps shows it */
	unsigned long nr_pages;
	bool accounted;			/* its size is charged to the commit (not MAP_NORESERVE) */
	struct page **pages;		/* by page offset, NULL until first faulted */
};

struct shmem_object *shmem_zero_setup(struct machine *m, unsigned long size, bool account)
{
	struct shmem_object *obj = calloc(1, sizeof(*obj));

	if (!obj)
		return NULL;
	obj->nr_pages = size >> PAGE_SHIFT;
	obj->pages = calloc(obj->nr_pages, sizeof(*obj->pages));
	if (!obj->pages || (account && __vm_enough_memory(m, (long)obj->nr_pages))) {
		free(obj->pages);
		free(obj);
		return NULL;
	}
	obj->accounted = account;
	obj->ino = ++m->tasks->last_ino;
	obj->refcount = 1;
	return obj;
}

unsigned long shmem_ino(const struct shmem_object *obj)
{
	return obj->ino;
}

void shmem_get(struct shmem_object *obj)
{
	if (obj)
		obj->refcount++;
}

static void mod_shmem(struct machine *m, struct page *page, long delta)
{
	pg_data_t *pgdat = NODE_DATA(m, page_to_nid(page));

	__mod_node_page_state(pgdat, NR_SHMEM, delta);
	__mod_node_page_state(pgdat, NR_FILE_PAGES, delta);
}

/* shmem_undo_range: the object's pages [start, end) leave it, freed when no PTE maps them any more
 * (mm/shmem.c). */
static void shmem_undo_range(struct machine *m, struct shmem_object *obj, unsigned long start, unsigned long end)
{
	for (unsigned long i = start; i < end && i < obj->nr_pages; i++) {
		struct page *page = obj->pages[i];

		if (!page)
			continue;
		obj->pages[i] = NULL;
		mod_shmem(m, page, -1);
		put_page(m, page);
	}
}

void shmem_put(struct machine *m, struct shmem_object *obj)
{
	if (!obj || --obj->refcount)
		return;
	shmem_undo_range(m, obj, 0, obj->nr_pages);
	if (obj->accounted)
		vm_unacct_memory(m, (long)obj->nr_pages);	/* shmem_unacct_size */
	free(obj->pages);
	free(obj);
}

/* shmem_fault: the object's page at this offset, allocated zeroed on first use, mapped here. */
unsigned int shmem_fault(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned long idx = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct shmem_object *obj = vma->shm;
	struct page *page;

	if (idx >= obj->nr_pages)
		return VM_FAULT_SIGBUS;
	page = obj->pages[idx];
	if (!page) {
		page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
		if (!page)
			return VM_FAULT_OOM;
		page->mapping = obj;
		page->index = idx;
		set_page_flag(page, PG_swapbacked);
		folio_add_lru(m, page);
		obj->pages[idx] = page;
		mod_shmem(m, page, 1);
	}
	get_page(page);
	page_add_file_rmap(m, page);
	mlock_vma_folio(m, page, vma);
	add_mm_counter(vma->vm_mm, MM_SHMEMPAGES, 1);
	set_pte(pte, pfn_pte(page_to_pfn(m, page), vma->vm_page_prot) | _PAGE_ACCESSED);
	return 0;
}

void shmem_punch_hole(struct machine *m, struct shmem_object *obj, unsigned long start, unsigned long end)
{
	unmap_mapping_range(m, obj, start, end);
	shmem_undo_range(m, obj, start, end);
}
