/*
 * Red-black trees with optional augmentation (lib/rbtree.c). Written from the textbook invariants:
 * every red node has black children and every path from a node down to a leaf crosses the same
 * number of black nodes, so the height stays below 2 log2(n + 1).
 */
#include <mmlab/rbtree.h>

static inline void rb_set_parent_color(struct rb_node *n, struct rb_node *parent, int color)
{
	n->__rb_parent_color = (unsigned long)parent | (unsigned long)color;
}

static inline void rb_set_parent(struct rb_node *n, struct rb_node *parent)
{
	n->__rb_parent_color = (unsigned long)parent | rb_color(n);
}

static inline void rb_set_color(struct rb_node *n, int color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | (unsigned long)color;
}

static inline bool node_is_black(const struct rb_node *n)
{
	return !n || rb_is_black(n);
}

/* __rb_change_child: whatever pointed at old (its parent, or the root) now points at new. */
static void rb_change_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
			    struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* Rotate x down to the left (its right child y comes up), or to the right (mirror). */
static void rotate(struct rb_node *x, bool left, struct rb_root *root, const struct rb_augment_callbacks *aug)
{
	struct rb_node *parent = rb_parent(x);
	struct rb_node *y = left ? x->rb_right : x->rb_left;
	struct rb_node *moved = left ? y->rb_left : y->rb_right;

	if (left) {
		x->rb_right = moved;
		y->rb_left = x;
	} else {
		x->rb_left = moved;
		y->rb_right = x;
	}
	if (moved)
		rb_set_parent(moved, x);
	rb_set_parent_color(y, parent, (int)rb_color(y));
	rb_change_child(x, y, parent, root);
	rb_set_parent(x, y);
	if (aug)
		aug->rotate(x, y);
}

/* The fix-up after inserting a red node: recolour while the uncle is red, rotate once or twice
 * when it is black (lib/rbtree.c __rb_insert). */
static void rb_insert(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		bool left;

		gparent = rb_parent(parent);
		left = parent == gparent->rb_left;
		uncle = left ? gparent->rb_right : gparent->rb_left;
		if (uncle && rb_is_red(uncle)) {
			rb_set_color(parent, RB_BLACK);
			rb_set_color(uncle, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (node == (left ? parent->rb_right : parent->rb_left)) {
			rotate(parent, left, root, aug);
			node = parent;
			parent = rb_parent(node);
		}
		rb_set_color(parent, RB_BLACK);
		rb_set_color(gparent, RB_RED);
		rotate(gparent, !left, root, aug);
	}
	rb_set_color(root->rb_node, RB_BLACK);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug)
{
	rb_insert(node, root, aug);
}

/* The fix-up after removing a black node: x (possibly NULL) under parent is "doubly black"
 * (lib/rbtree.c ____rb_erase_color). */
static void rb_erase_color(struct rb_node *x, struct rb_node *parent, struct rb_root *root,
			   const struct rb_augment_callbacks *aug)
{
	while (x != root->rb_node && node_is_black(x)) {
		bool left = x == parent->rb_left;
		struct rb_node *w = left ? parent->rb_right : parent->rb_left;

		if (rb_is_red(w)) {
			rb_set_color(w, RB_BLACK);
			rb_set_color(parent, RB_RED);
			rotate(parent, left, root, aug);
			w = left ? parent->rb_right : parent->rb_left;
		}
		if (node_is_black(w->rb_left) && node_is_black(w->rb_right)) {
			rb_set_color(w, RB_RED);
			x = parent;
			parent = rb_parent(x);
			continue;
		}
		if (node_is_black(left ? w->rb_right : w->rb_left)) {
			rb_set_color(left ? w->rb_left : w->rb_right, RB_BLACK);
			rb_set_color(w, RB_RED);
			rotate(w, !left, root, aug);
			w = left ? parent->rb_right : parent->rb_left;
		}
		rb_set_color(w, (int)rb_color(parent));
		rb_set_color(parent, RB_BLACK);
		rb_set_color(left ? w->rb_right : w->rb_left, RB_BLACK);
		rotate(parent, left, root, aug);
		x = root->rb_node;
		break;
	}
	if (x)
		rb_set_color(x, RB_BLACK);
}

/* Take node out of the tree: a node with two children is replaced by its successor. The lowest
 * node whose subtree changed is propagated to the root before rebalancing (lib/rbtree.c
 * __rb_erase_augmented). */
static void rb_erase_node(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug)
{
	struct rb_node *child, *parent, *lowest;
	bool black;

	if (!node->rb_left || !node->rb_right) {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = rb_parent(node);
		black = rb_is_black(node);
		rb_change_child(node, child, parent, root);
		if (child)
			rb_set_parent(child, parent);
		lowest = parent;
	} else {
		struct rb_node *succ = node->rb_right;

		while (succ->rb_left)
			succ = succ->rb_left;
		child = succ->rb_right;
		black = rb_is_black(succ);
		if (succ == node->rb_right) {
			parent = succ;
		} else {
			parent = rb_parent(succ);
			parent->rb_left = child;
			if (child)
				rb_set_parent(child, parent);
			succ->rb_right = node->rb_right;
			rb_set_parent(node->rb_right, succ);
		}
		succ->rb_left = node->rb_left;
		rb_set_parent(node->rb_left, succ);
		rb_change_child(node, succ, rb_parent(node), root);
		succ->__rb_parent_color = node->__rb_parent_color;
		lowest = parent;
	}
	if (aug && lowest)
		aug->propagate(lowest, NULL);
	if (black)
		rb_erase_color(child, parent, root, aug);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_node(node, root, NULL);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug)
{
	rb_erase_node(node, root, aug);
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*new = *victim;
	if (victim->rb_left)
		rb_set_parent(victim->rb_left, new);
	if (victim->rb_right)
		rb_set_parent(victim->rb_right, new);
	rb_change_child(victim, new, parent, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

/* rb_step: the in-order neighbour on one side: down that side then all the way the other way, or
 * up until we come from the other side. */
static struct rb_node *rb_step(const struct rb_node *node, bool forward)
{
	struct rb_node *n = forward ? node->rb_right : node->rb_left, *parent;

	if (n) {
		while (forward ? n->rb_left : n->rb_right)
			n = forward ? n->rb_left : n->rb_right;
		return n;
	}
	while ((parent = rb_parent(node)) && node == (forward ? parent->rb_right : parent->rb_left))
		node = parent;
	return parent;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	return rb_step(node, true);
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	return rb_step(node, false);
}
