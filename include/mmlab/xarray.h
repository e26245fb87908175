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

#include <mmlab/list.h>

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK	(XA_CHUNK_SIZE - 1)

struct xarray;

/* One node: the slots of 64 consecutive index ranges of its level (struct xa_node). private_list
 * and nid are its owner's (the workingset code lists the nodes that hold only shadows). */
struct xa_node {
	unsigned char shift;		/* bits of the index below this node's slot number */
	unsigned char count;		/* slots in use */
	unsigned char nr_values;	/* of which value entries */
	unsigned char offset;		/* its slot in the parent */
	unsigned char nid;		/* the NUMA node its memory counts on, while listed */
	struct xa_node *parent;
	struct xarray *array;
	struct list_head private_list;
	void *slots[XA_CHUNK_SIZE];
};

/* xa_update_node_t: called when a node's count or nr_values changed, and before it is freed (with
 * both 0) (include/linux/xarray.h; the kernel passes it per operation, xas_set_update). */
typedef void (*xa_update_node_t)(struct xa_node *node, void *private);

/* struct xarray: the root: an entry for index 0 alone, or the top node. */
struct xarray {
	void *xa_head;			/* a struct xa_node * when xa_height > 0, else the entry of index 0 */
	unsigned int xa_height;		/* levels of nodes below the head */
	unsigned long xa_nodes;		/* nodes allocated (workingset_nodes-like accounting) */
	xa_update_node_t xa_update;	/* or NULL */
	void *xa_update_private;
};

#define XARRAY_INIT { NULL, 0, 0, NULL, NULL }

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
	xa->xa_update = NULL;
	xa->xa_update_private = NULL;
}

/* xa_set_update: update is told of every change to a leaf node's counts (mapping_set_update). */
static inline void xa_set_update(struct xarray *xa, xa_update_node_t update, void *private)
{
	xa->xa_update = update;
	xa->xa_update_private = private;
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
/* xa_delete_node: a leaf node's entries erased and the node freed, with the ancestors it empties
 * (the workingset code's reclaim of a node of shadows). */
void xa_delete_node(struct xa_node *node);

/* xa_for_each_range: every entry of [start, last] in index order; the body may store or erase. */
#define xa_for_each_range(xa, index, entry, start, last)                                              \
	for ((index) = (start), (entry) = xa_find((xa), &(index), (last)); (entry);                    \
	     (entry) = (index) < (last) ? ((index)++, xa_find((xa), &(index), (last))) : NULL)
#define xa_for_each(xa, index, entry) xa_for_each_range(xa, index, entry, 0, ~0UL)

#endif
