/*
 * The XArray (include/linux/xarray.h, lib/xarray.c): a radix tree of 64-slot nodes mapping an
 * unsigned long index to an entry. An entry is a pointer (4-byte aligned) or a value entry: an
 * integer tagged in its low bit (xa_mk_value), which the page cache uses for the shadow of an
 * evicted page. NULL means empty. The tree grows in height as larger indices are stored and frees
 * nodes that become empty. Value entries are integers stored where a pointer would be, told apart
 * by bit 0, which no page or object pointer has set: shadow entries of evicted pages are value
 * entries.
 */
#ifndef MMLAB_XARRAY_H
#define MMLAB_XARRAY_H

#include <stdbool.h>
#include <stdint.h>

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK	(XA_CHUNK_SIZE - 1)

/* One node: the slots of 64 consecutive index ranges of its level (struct xa_node). */
struct xa_node {
	unsigned char shift;		/* bits of the index below this node's slot number */
	unsigned char count;		/* slots in use */
	unsigned char offset;		/* its slot in the parent */
	struct xa_node *parent;
	void *slots[XA_CHUNK_SIZE];
};

/* struct xarray: the root: an entry for index 0 alone, or the top node. */
struct xarray {
	void *xa_head;			/* a struct xa_node * when xa_height > 0, else the entry of index 0 */
	unsigned int xa_height;		/* levels of nodes below the head */
	unsigned long xa_nodes;		/* nodes allocated (workingset_nodes-like accounting) */
};

#define XARRAY_INIT { NULL, 0, 0 }

/* BITS_PER_XA_VALUE: the bits a value entry keeps (one goes to the tag). */
#define BITS_PER_XA_VALUE	(64 - 1)

/* xa_mk_value, xa_to_value, xa_is_value: value entries (include/linux/xarray.h). */
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}
static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}
static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

static inline void xa_init(struct xarray *xa)
{
	xa->xa_head = NULL;
	xa->xa_height = 0;
	xa->xa_nodes = 0;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return !xa->xa_head;
}

/* xa_load: the entry at index, or NULL. */
void *xa_load(const struct xarray *xa, unsigned long index);
/* xa_store: entry (NULL erases) at index; *old gets what was there. 0 or -ENOMEM (nothing changed). */
int xa_store(struct xarray *xa, unsigned long index, void *entry, void **old);
/* xa_erase: remove the entry at index; what was there. */
void *xa_erase(struct xarray *xa, unsigned long index);
/* xa_find: the first entry at an index in [*index, max]; *index is set to it. NULL when none. */
void *xa_find(const struct xarray *xa, unsigned long *index, unsigned long max);
/* xa_destroy: free every node (the entries are the caller's). */
void xa_destroy(struct xarray *xa);

/* xa_for_each_range: every entry of [start, last] in index order; the body may store or erase. */
#define xa_for_each_range(xa, index, entry, start, last)                                              \
	for ((index) = (start), (entry) = xa_find((xa), &(index), (last)); (entry);                    \
	     (entry) = (index) < (last) ? ((index)++, xa_find((xa), &(index), (last))) : NULL)
#define xa_for_each(xa, index, entry) xa_for_each_range(xa, index, entry, 0, ~0UL)

#endif
