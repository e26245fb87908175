/*
 * Reverse mapping of anonymous pages (mm/rmap.c): each VMA with anonymous pages has an anon_vma,
 * which its pages point to; a forked child's anon_vma hangs from its parent's. A page's _mapcount
 * counts the PTEs that map it (minus one), and NR_ANON_MAPPED the anonymous pages mapped at all.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/mm.h>
#include <mmlab/vmstat.h>

static struct anon_vma *anon_vma_alloc(struct anon_vma *parent)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (!av)
		return NULL;
	av->refcount = 1;
	av->parent = parent;
	if (parent)
		parent->refcount++;
	return av;
}

/* put_anon_vma: the last user of an anon_vma frees it, and drops its hold on its parent. */
static void put_anon_vma(struct anon_vma *av)
{
	while (av && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		free(av);
		av = parent;
	}
}

/* anon_vma_prepare: the VMA gets its anon_vma at its first anonymous fault. 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		return 0;
	vma->anon_vma = anon_vma_alloc(NULL);
	if (!vma->anon_vma)
		return -ENOMEM;
	vma->nr_anon_vma_chains = 1;
	return 0;
}

/* anon_vma_clone: a VMA split off another shares its anon_vma and chain. */
void anon_vma_clone(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	dst->anon_vma = src->anon_vma;
	dst->nr_anon_vma_chains = src->nr_anon_vma_chains;
	if (dst->anon_vma)
		dst->anon_vma->refcount++;
}

/* anon_vma_fork: the child's VMA gets an anon_vma of its own under the parent's; its chain links
 * its own and every one of the parent's. 0 or -ENOMEM. */
int anon_vma_fork(struct vm_area_struct *vma, const struct vm_area_struct *pvma)
{
	if (!pvma->anon_vma)
		return 0;
	vma->anon_vma = anon_vma_alloc(pvma->anon_vma);
	if (!vma->anon_vma)
		return -ENOMEM;
	vma->nr_anon_vma_chains = pvma->nr_anon_vma_chains + 1;
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	put_anon_vma(vma->anon_vma);
	vma->anon_vma = NULL;
	vma->nr_anon_vma_chains = 0;
}

static void mod_anon_mapped(struct machine *m, struct page *page, long delta)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_ANON_MAPPED, delta);
}

/* page_add_new_anon_rmap: a page just faulted in: mapped once, owned by the VMA's anon_vma, at its
 * index in the VMA's linear page numbering. */
void page_add_new_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	page->mapping = (void *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	page->_mapcount = 0;
	mod_anon_mapped(m, page, 1);
}

/* page_dup_rmap: fork maps the page once more. */
void page_dup_rmap(struct page *page)
{
	page->_mapcount++;
}

/* page_remove_rmap: one PTE less; the last one takes the page out of NR_ANON_MAPPED (or, for a
 * shmem page, NR_FILE_MAPPED). */
void page_remove_rmap(struct machine *m, struct page *page)
{
	if (--page->_mapcount >= 0)
		return;
	if (PageAnon(page))
		mod_anon_mapped(m, page, -1);
	else
		__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_FILE_MAPPED, -1);
}
