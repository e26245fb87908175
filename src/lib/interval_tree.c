/*
 * Interval trees (lib/interval_tree.c, include/linux/interval_tree_generic.h), on the augmented
 * red-black tree of src/lib/rbtree.c: nodes sorted by start, each keeping the largest last of its
 * subtree. A query descends only into subtrees whose largest last reaches the query's start, and
 * stops at the first node starting after its last.
 */
#include <mmlab/interval_tree.h>

static struct interval_tree_node *itn(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct interval_tree_node, rb) : NULL;
}

/* The node's own last, or a child's subtree last, whichever is largest (compute_subtree_last). */
static unsigned long compute_subtree_last(const struct interval_tree_node *node)
{
	unsigned long max = node->last;
	const struct interval_tree_node *l = itn(node->rb.rb_left), *r = itn(node->rb.rb_right);

	if (l && l->__subtree_last > max)
		max = l->__subtree_last;
	if (r && r->__subtree_last > max)
		max = r->__subtree_last;
	return max;
}

/* The augmented callbacks (RB_DECLARE_CALLBACKS_MAX): propagate recomputes up to stop (all the way:
 * the erase here propagates before a moved successor's value is fixed), rotate moves the value. */
static void augment_propagate(struct rb_node *rb, struct rb_node *stop)
{
	for (; rb != stop; rb = rb_parent(rb))
		itn(rb)->__subtree_last = compute_subtree_last(itn(rb));
}

static void augment_rotate(struct rb_node *old, struct rb_node *new)
{
	itn(new)->__subtree_last = itn(old)->__subtree_last;
	itn(old)->__subtree_last = compute_subtree_last(itn(old));
}

static const struct rb_augment_callbacks augment_callbacks = { augment_propagate, augment_rotate };

void interval_tree_insert(struct interval_tree_node *node, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		struct interval_tree_node *p = itn(*link);

		parent = *link;
		if (p->__subtree_last < node->last)
			p->__subtree_last = node->last;
		link = node->start < p->start ? &parent->rb_left : &parent->rb_right;
	}
	node->__subtree_last = node->last;
	rb_link_node(&node->rb, parent, link);
	rb_insert_augmented(&node->rb, root, &augment_callbacks);
}

void interval_tree_remove(struct interval_tree_node *node, struct rb_root *root)
{
	rb_erase_augmented(&node->rb, root, &augment_callbacks);
}

/* interval_tree_subtree_search: the leftmost node of node's subtree overlapping [start, last]. */
static struct interval_tree_node *subtree_search(struct interval_tree_node *node, unsigned long start,
						 unsigned long last)
{
	for (;;) {
		struct interval_tree_node *left = itn(node->rb.rb_left);

		if (left && start <= left->__subtree_last) {
			node = left;	/* some interval on the left reaches start: the leftmost is there */
			continue;
		}
		if (node->start > last)
			return NULL;	/* this and everything right of it starts too late */
		if (start <= node->last)
			return node;
		node = itn(node->rb.rb_right);
		if (!node || start > node->__subtree_last)
			return NULL;
	}
}

struct interval_tree_node *interval_tree_iter_first(const struct rb_root *root, unsigned long start, unsigned long last)
{
	struct interval_tree_node *node = itn(root->rb_node);

	if (!node || node->__subtree_last < start)
		return NULL;
	return subtree_search(node, start, last);
}

struct interval_tree_node *interval_tree_iter_next(struct interval_tree_node *node, unsigned long start,
						   unsigned long last)
{
	struct rb_node *rb = node->rb.rb_right, *prev;

	for (;;) {
		struct interval_tree_node *right = itn(rb);

		/* the right subtree first, if anything in it reaches start */
		if (right && start <= right->__subtree_last)
			return subtree_search(right, start, last);
		/* then up until we come from a node's left child: that node is next in order */
		do {
			rb = rb_parent(&node->rb);
			if (!rb)
				return NULL;
			prev = &node->rb;
			node = itn(rb);
			rb = node->rb.rb_right;
		} while (prev == rb);
		if (node->start > last)
			return NULL;
		if (start <= node->last)
			return node;
	}
}

/* The subtree below rb: each interval well formed, each __subtree_last the largest last at and
 * below its node; its nodes counted, its largest last into *max. */
static bool check_subtree(const struct rb_node *rb, unsigned long *count, unsigned long *max)
{
	const struct interval_tree_node *node = itn(rb);
	const struct rb_node *children[2] = { rb->rb_left, rb->rb_right };

	++*count;
	*max = node->last;
	for (int i = 0; i < 2; i++) {
		unsigned long sub;

		if (!children[i])
			continue;
		if (!check_subtree(children[i], count, &sub))
			return false;
		if (sub > *max)
			*max = sub;
	}
	return node->start <= node->last && node->__subtree_last == *max;
}

bool interval_tree_check(const struct rb_root *root, unsigned long *count)
{
	unsigned long max, prev = 0;
	bool first = true;

	if (root->rb_node && !check_subtree(root->rb_node, count, &max))
		return false;
	/* in order, the starts never decrease */
	for (const struct rb_node *rb = rb_first(root); rb; rb = rb_next(rb)) {
		if (!first && itn(rb)->start < prev)
			return false;
		prev = itn(rb)->start;
		first = false;
	}
	return true;
}
