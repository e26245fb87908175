/*
 * The XArray (lib/xarray.c): a radix tree of 64-slot nodes. The height grows when an index beyond
 * the tree's reach is stored (xas_expand) and shrinks when only slot 0 of the top node is left
 * (xas_shrink); a node left empty by an erase is freed with its empty ancestors (xas_delete_node).
 * Nodes come from the host's heap (the kernel's come from the radix_tree_node slab cache).
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/xarray.h>

/* The largest index a tree of this height reaches. */
static unsigned long xa_max_index(unsigned int height)
{
	return height * XA_CHUNK_SHIFT >= 64 ? ~0UL : (1UL << (height * XA_CHUNK_SHIFT)) - 1;
}

static struct xa_node *xa_node_alloc(struct xarray *xa, unsigned int shift, struct xa_node *parent,
				     unsigned int offset)
{
	struct xa_node *node = calloc(1, sizeof(*node));

	if (!node)
		return NULL;
	node->shift = (unsigned char)shift;
	node->parent = parent;
	node->offset = (unsigned char)offset;
	node->array = xa;
	INIT_LIST_HEAD(&node->private_list);
	xa->xa_nodes++;
	return node;
}

/* xas_update: the owner is told of a leaf node's new counts. */
static void xas_update(struct xarray *xa, struct xa_node *node)
{
	if (xa->xa_update)
		xa->xa_update(node, xa->xa_update_private);
}

/* A node is freed empty: the owner lets go of it first. */
static void xa_node_free(struct xarray *xa, struct xa_node *node)
{
	node->count = node->nr_values = 0;
	xas_update(xa, node);
	free(node);
	xa->xa_nodes--;
}

void *xa_load(const struct xarray *xa, unsigned long index)
{
	const struct xa_node *node;

	if (!xa->xa_height)
		return index ? NULL : xa->xa_head;
	if (index > xa_max_index(xa->xa_height))
		return NULL;
	for (node = xa->xa_head;;) {
		void *slot = node->slots[(index >> node->shift) & XA_CHUNK_MASK];

		if (!node->shift || !slot)
			return slot;
		node = slot;
	}
}

/* xas_expand: levels above the head until index is reached; the old head moves to slot 0 of the
 * new top node (an empty tree gets one node of the height needed). */
static int xa_expand(struct xarray *xa, unsigned long index)
{
	while (index > xa_max_index(xa->xa_height)) {
		unsigned int height = xa->xa_height + 1;
		struct xa_node *top;

		while (!xa->xa_head && index > xa_max_index(height))
			height++;
		if (!(top = xa_node_alloc(xa, (height - 1) * XA_CHUNK_SHIFT, NULL, 0)))
			return -ENOMEM;
		if (xa->xa_head) {
			top->slots[0] = xa->xa_head;
			top->count = 1;
			if (xa->xa_height)
				((struct xa_node *)xa->xa_head)->parent = top;
			else
				top->nr_values = xa_is_value(xa->xa_head);
		}
		xa->xa_head = top;
		xa->xa_height = height;
	}
	return 0;
}

/* xas_shrink: while the top node holds only slot 0, its content becomes the head. */
static void xa_shrink(struct xarray *xa)
{
	while (xa->xa_height) {
		struct xa_node *top = xa->xa_head;

		if (top->count != 1 || !top->slots[0])
			return;
		xa->xa_head = top->slots[0];
		xa->xa_height--;
		if (xa->xa_height)
			((struct xa_node *)xa->xa_head)->parent = NULL;
		xa_node_free(xa, top);
	}
}

/* xas_delete_node: an empty node goes, and its parent if that empties it too. */
static void xas_delete_node(struct xarray *xa, struct xa_node *node)
{
	while (node && !node->count) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			xa->xa_head = NULL;
			xa->xa_height = 0;
		}
		xa_node_free(xa, node);
		node = parent;
	}
	xa_shrink(xa);
}

/* The leaf node that holds index, made (with the nodes above it) when create. */
static struct xa_node *xa_leaf(struct xarray *xa, unsigned long index, bool create)
{
	struct xa_node *node = xa->xa_head;

	while (node->shift) {
		unsigned int off = (index >> node->shift) & XA_CHUNK_MASK;
		struct xa_node *child = node->slots[off];

		if (!child) {
			if (!create || !(child = xa_node_alloc(xa, node->shift - XA_CHUNK_SHIFT, node, off))) {
				xas_delete_node(xa, node);
				return NULL;
			}
			node->slots[off] = child;
			node->count++;
		}
		node = child;
	}
	return node;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	struct xa_node *node;
	void *old;

	if (!xa->xa_height) {
		old = index ? NULL : xa->xa_head;
		if (!index)
			xa->xa_head = NULL;
		return old;
	}
	if (index > xa_max_index(xa->xa_height) || !(node = xa_leaf(xa, index, false)))
		return NULL;
	old = node->slots[index & XA_CHUNK_MASK];
	if (old) {
		node->slots[index & XA_CHUNK_MASK] = NULL;
		node->count--;
		node->nr_values -= xa_is_value(old);
		xas_update(xa, node);
		xas_delete_node(xa, node);
	}
	return old;
}

int xa_store(struct xarray *xa, unsigned long index, void *entry, void **old)
{
	struct xa_node *node;
	void **slot;

	if (!entry) {
		*old = xa_erase(xa, index);
		return 0;
	}
	if (!index && !xa->xa_height) {
		*old = xa->xa_head;
		xa->xa_head = entry;
		return 0;
	}
	if (xa_expand(xa, index)) {
		xa_shrink(xa);
		return -ENOMEM;
	}
	if (!(node = xa_leaf(xa, index, true)))
		return -ENOMEM;
	slot = &node->slots[index & XA_CHUNK_MASK];
	*old = *slot;
	node->count += !*old;
	node->nr_values += xa_is_value(entry) - (*old && xa_is_value(*old));
	*slot = entry;
	xas_update(xa, node);
	return 0;
}

void xa_delete_node(struct xa_node *node)
{
	for (unsigned int off = 0; off < XA_CHUNK_SIZE; off++)
		node->slots[off] = NULL;
	node->count = node->nr_values = 0;
	xas_delete_node(node->array, node);
}

/* The first entry at or after *index (and at most max) below node, which covers from base. */
static void *xa_node_find(const struct xa_node *node, unsigned long base, unsigned long *index, unsigned long max)
{
	for (unsigned long off = (*index - base) >> node->shift; off < XA_CHUNK_SIZE; off++) {
		unsigned long start, from;
		void *slot;

		if (off > (~0UL - base) >> node->shift)
			return NULL;	/* past the last index */
		start = base + (off << node->shift);
		if (start > max)
			return NULL;
		if (!(slot = node->slots[off]))
			continue;
		from = start > *index ? start : *index;
		if (!node->shift) {
			*index = start;
			return slot;
		}
		if ((slot = xa_node_find(slot, start, &from, max))) {
			*index = from;
			return slot;
		}
	}
	return NULL;
}

void *xa_find(const struct xarray *xa, unsigned long *index, unsigned long max)
{
	if (*index > max || !xa->xa_head)
		return NULL;
	if (!xa->xa_height)
		return *index ? NULL : xa->xa_head;
	if (*index > xa_max_index(xa->xa_height))
		return NULL;
	return xa_node_find(xa->xa_head, 0, index, max);
}

static void xa_free_below(struct xarray *xa, struct xa_node *node)
{
	for (unsigned int off = 0; node->shift && off < XA_CHUNK_SIZE; off++)
		if (node->slots[off])
			xa_free_below(xa, node->slots[off]);
	xa_node_free(xa, node);
}

void xa_destroy(struct xarray *xa)
{
	if (xa->xa_height)
		xa_free_below(xa, xa->xa_head);
	xa->xa_head = NULL;
	xa->xa_height = 0;
}
