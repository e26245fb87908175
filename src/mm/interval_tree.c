/*
 * The i_mmap tree (mm/interval_tree.c): a file's VMAs in an interval tree (lib/interval_tree.c) of
 * the page offsets each maps, [vm_pgoff, vm_pgoff + vma_pages - 1], so that the reverse map of a
 * page and the unmapping of a range of the file visit only the VMAs over it.
 */
#include <mmlab/mm.h>

/* vma_start_pgoff, vma_last_pgoff: the first and last page offset of the file vma maps. */
static unsigned long vma_start_pgoff(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff;
}

static unsigned long vma_last_pgoff(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff + vma_pages(vma) - 1;
}

static struct vm_area_struct *shared_vma(struct interval_tree_node *node)
{
	return node ? container_of(node, struct vm_area_struct, shared) : NULL;
}

void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root)
{
	vma->shared.start = vma_start_pgoff(vma);
	vma->shared.last = vma_last_pgoff(vma);
	interval_tree_insert(&vma->shared, root);
}

void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root)
{
	interval_tree_remove(&vma->shared, root);
}

struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long first, unsigned long last)
{
	return shared_vma(interval_tree_iter_first(root, first, last));
}

struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma, unsigned long first,
						   unsigned long last)
{
	return shared_vma(interval_tree_iter_next(&vma->shared, first, last));
}
