/*
 * VMAs (mm/vma.c, and mm/mmap.c before the maple tree): the address-ordered list and the red-black
 * tree augmented with rb_subtree_gap, the largest free gap below any VMA of a subtree. find_vma is
 * a tree descent; split_vma and merging keep both structures and the gaps right, and a file VMA's
 * place in its file's i_mmap tree.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/mm.h>

/* vm_start_gap, vm_end_gap: a stack VMA keeps the guard gap below it free (include/linux/mm.h). */
static unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > STACK_GUARD_GAP ? start - STACK_GUARD_GAP : 0;
	return start;
}

/* vma_compute_gap: the free space between this VMA and the one before it (mm/mmap.c). */
static unsigned long vma_compute_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vm_start_gap(vma), prev_end = vma->vm_prev ? vma->vm_prev->vm_end : 0;

	return start > prev_end ? start - prev_end : 0;
}

static unsigned long subtree_gap(const struct rb_node *node)
{
	return node ? rb_entry(node, struct vm_area_struct, vm_rb)->rb_subtree_gap : 0;
}

/* vma_compute_subtree_gap: the VMA's own gap or its children's, whichever is largest. */
static unsigned long vma_compute_subtree_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = vma_compute_gap(vma), l = subtree_gap(vma->vm_rb.rb_left),
		      r = subtree_gap(vma->vm_rb.rb_right);

	if (l > gap)
		gap = l;
	return r > gap ? r : gap;
}

static void vma_gap_propagate(struct rb_node *node, struct rb_node *stop)
{
	for (; node != stop; node = rb_parent(node)) {
		struct vm_area_struct *vma = rb_entry(node, struct vm_area_struct, vm_rb);

		vma->rb_subtree_gap = vma_compute_subtree_gap(vma);
	}
}

static void vma_gap_rotate(struct rb_node *old, struct rb_node *new)
{
	struct vm_area_struct *o = rb_entry(old, struct vm_area_struct, vm_rb);

	rb_entry(new, struct vm_area_struct, vm_rb)->rb_subtree_gap = o->rb_subtree_gap;
	o->rb_subtree_gap = vma_compute_subtree_gap(o);
}

static const struct rb_augment_callbacks vma_gap_callbacks = { vma_gap_propagate, vma_gap_rotate };

/* vma_gap_update: the VMA's gap changed (a neighbour moved): fix it and its ancestors. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	vma_gap_propagate(&vma->vm_rb, NULL);
}

/* After the last VMA changed, or the one after vma's place: keep the gaps and highest_vm_end. */
static void update_after(struct mm_struct *mm, struct vm_area_struct *next, struct vm_area_struct *prev)
{
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = prev ? prev->vm_end : 0;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	return vma;
}

/* vm_area_dup (kernel/fork.c): a copy, not linked, without the anon_vma (the caller clones or forks it). */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = malloc(sizeof(*vma));

	if (!vma)
		return NULL;
	*vma = *orig;
	vma->vm_next = vma->vm_prev = NULL;
	vma->anon_vma = NULL;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	shmem_get(vma->shm);
	get_file(vma->vm_file);
	hugetlb_file_get(vma->hfile);
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	unlink_anon_vmas(vma);
	shmem_put(vma->vm_mm->machine, vma->shm);
	fput(vma->vm_mm->machine, vma->vm_file);
	hugetlb_file_put(vma->vm_mm->machine, vma->hfile);
	free(vma);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (node) {
		struct vm_area_struct *vma = rb_entry(node, struct vm_area_struct, vm_rb);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr, struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct rb_node *last;

	if (vma) {
		*pprev = vma->vm_prev;
	} else {
		last = rb_last(&mm->mm_rb);
		*pprev = last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
	}
	return vma;
}

/* __vma_link_list, __vma_unlink_list: prev and next become the neighbours of between, or of each
 * other when between is NULL; the list starts at mm->mmap. */
static void list_join(struct mm_struct *mm, struct vm_area_struct *prev, struct vm_area_struct *next,
		      struct vm_area_struct *between)
{
	if (prev)
		prev->vm_next = between ? between : next;
	else
		mm->mmap = between ? between : next;
	if (next)
		next->vm_prev = between ? between : prev;
}

/* vma_link (mm/mmap.c __vma_link_list, __vma_link_rb): the tree position gives the list position. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *next;

	while (*link) {
		struct vm_area_struct *cur = rb_entry(*link, struct vm_area_struct, vm_rb);

		parent = *link;
		if (vma->vm_start < cur->vm_start) {
			link = &parent->rb_left;
		} else {
			prev = cur;
			link = &parent->rb_right;
		}
	}
	next = prev ? prev->vm_next : mm->mmap;
	vma->vm_prev = prev;
	vma->vm_next = next;
	list_join(mm, prev, next, vma);
	update_after(mm, next, vma);
	/* Hang it with its gap set and propagated, then rebalance (the augmented values stay right). */
	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
	if (vma->vm_file)	/* __vma_link_file */
		vma_interval_tree_insert(vma, &vma->vm_file->f_mapping->i_mmap);
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	list_join(mm, prev, next, NULL);
	update_after(mm, next, prev);
	vma->vm_next = vma->vm_prev = NULL;
	mm->map_count--;
	if (vma->vm_file)	/* unlink_file_vma */
		vma_interval_tree_remove(vma, &vma->vm_file->f_mapping->i_mmap);
}

void vma_set_range(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct rb_root *i_mmap = vma->vm_file ? &vma->vm_file->f_mapping->i_mmap : NULL;

	/* vma_prepare, vma_complete: out of the file's tree while its offsets change */
	if (i_mmap)
		vma_interval_tree_remove(vma, i_mmap);
	vma->vm_pgoff += (unsigned long)(((long)start - (long)vma->vm_start) / (long)PAGE_SIZE);
	vma->vm_start = start;
	vma->vm_end = end;
	if (i_mmap)
		vma_interval_tree_insert(vma, i_mmap);
	vma_gap_update(vma);
	update_after(mm, vma->vm_next, vma);
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, bool new_below)
{
	struct vm_area_struct *new;

	/* hugetlb_vm_op_split: a huge page cannot be cut */
	if ((vma->vm_flags & VM_HUGETLB) && (addr & (huge_page_size(hstate_vma(vma)) - 1)))
		return -EINVAL;
	/* vma_adjust_trans_huge: a huge PMD the cut goes through becomes PTEs */
	if (!(vma->vm_flags & VM_HUGETLB))
		split_huge_pmd_address(vma, addr);
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(mm, vma, addr, vma->vm_end);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma_set_range(mm, vma, vma->vm_start, addr);
	}
	vma_link(mm, new);
	return 0;
}

/* is_mergeable_anon_vma: the same anon_vma, or none on one side while the other's is its own (a
 * forked VMA's chain reaches its parent's pages: merging would lose them) (mm/vma.c). */
static bool is_mergeable_anon_vma(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->anon_vma == b->anon_vma)
		return true;
	if (!a->anon_vma)
		return list_is_singular(&b->anon_vma_chain);
	return !b->anon_vma && list_is_singular(&a->anon_vma_chain);
}

/* can_vma_merge_after: b continues a in every respect (mm/vma.c). */
static bool can_vma_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && !(a->vm_flags & VM_SPECIAL) && !((a->vm_flags ^ b->vm_flags) & ~VM_IGNORE_MERGE) && a->shm == b->shm && a->vm_file == b->vm_file &&
	       mpol_equal(&a->vm_policy, &b->vm_policy) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a) && is_mergeable_anon_vma(a, b);
}

/* anon_vma_compatible: a and b, adjacent in this order, could share an anon_vma: the same memory
 * policy, the same file (or none) at consecutive offsets, their flags apart at most where mprotect
 * changes them (mm/vma.c). */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && mpol_equal(&a->vm_policy, &b->vm_policy) && a->vm_file == b->vm_file &&
	       a->shm == b->shm &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/* reusable_anon_vma: old's anon_vma, when a and b (old one of them) are compatible and it is old's
 * only one (not a forked VMA's, whose chain reaches its parent's too) (mm/vma.c). */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old, const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	if (anon_vma_compatible(a, b) && old->anon_vma && list_is_singular(&old->anon_vma_chain))
		return old->anon_vma;
	return NULL;
}

struct anon_vma *find_mergeable_anon_vma(const struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = NULL;

	if (vma->vm_next)	/* the next VMA first */
		anon_vma = reusable_anon_vma(vma->vm_next, vma, vma->vm_next);
	if (!anon_vma && vma->vm_prev)
		anon_vma = reusable_anon_vma(vma->vm_prev, vma->vm_prev, vma);
	return anon_vma;
}

/* a takes over b's range (and its anon_vma if a had none); b goes. Only the link to b's
 * anon_vma needs copying (vma_expand): it is b's only one. */
static bool vma_absorb(struct mm_struct *mm, struct vm_area_struct *a, struct vm_area_struct *b)
{
	unsigned long end = b->vm_end;

	if (!a->anon_vma && b->anon_vma && anon_vma_clone(a, b))
		return false;		/* out of memory: the two stay apart */
	vma_unlink(mm, b);
	vm_area_free(b);
	vma_set_range(mm, a, a->vm_start, end);
	return true;
}

struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next;

	if (prev && can_vma_merge(prev, vma) && vma_absorb(mm, prev, vma))
		vma = prev;
	next = vma->vm_next;
	if (next && can_vma_merge(vma, next))
		vma_absorb(mm, vma, next);
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
				       unsigned long end, unsigned long newflags, int *err)
{
	if (start > vma->vm_start && (*err = split_vma(mm, vma, start, true)))
		return NULL;
	if (end < vma->vm_end && (*err = split_vma(mm, vma, end, false)))
		return NULL;
	vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
	vma->vm_flags = newflags;
	vma_set_page_prot(vma);
	vm_stat_account(mm, newflags, (long)vma_pages(vma));
	return vma_merge_neighbours(mm, vma);
}

pteval_t vm_get_page_prot(const struct mm_struct *mm, unsigned long vm_flags)
{
	pteval_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return 0;	/* PAGE_NONE: no PTE is ever installed */
	/* Private writable pages start write-protected: the write fault makes them writable or copies. */
	if ((vm_flags & VM_WRITE) && (vm_flags & VM_SHARED))
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC) && mm->pm->nx)
		prot |= _PAGE_NX;
	return prot;
}

/* vma_wants_writenotify: a shared writable file mapping: its pages are mapped read-only until a
 * store, so that the write fault can dirty the page-cache page (mm/mmap.c). */
static bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
}

void vma_set_page_prot(struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags;

	vma->vm_page_prot = vm_get_page_prot(vma->vm_mm, vma_wants_writenotify(vma) ? flags & ~VM_SHARED : flags);
}

void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += (unsigned long)npages;
	if (flags & VM_LOCKED)
		mm->locked_vm += (unsigned long)npages;
	if ((flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		mm->exec_vm += (unsigned long)npages;
	else if (flags & VM_GROWSDOWN)
		mm->stack_vm += (unsigned long)npages;
	else if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
		mm->data_vm += (unsigned long)npages;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}
