/*
 * Red-black trees (include/linux/rbtree.h, rbtree_augmented.h): the node is embedded in the object
 * it sorts, and the user walks the tree to find where a new node goes (rb_link_node), then lets
 * rb_insert_color rebalance. An augmented tree keeps a per-node value summarising its subtree (the
 * largest free gap below a VMA, for instance); the callbacks keep it right through rotations.
 */
#ifndef MMLAB_RBTREE_H
#define MMLAB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#include <mmlab/list.h>

/* The parent pointer and the colour share a word: nodes are at least 2-byte aligned. */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT (struct rb_root){ NULL }
#define RB_RED		0
#define RB_BLACK	1

#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define rb_color(r)	((r)->__rb_parent_color & 1)
#define rb_is_red(r)	(!rb_color(r))
#define rb_is_black(r)	rb_color(r)
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

/* How an augmented tree keeps its per-node value (include/linux/rbtree_augmented.h). */
struct rb_augment_callbacks {
	/* propagate: recompute the value of node and of its ancestors up to (not including) stop. */
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	/* rotate: new took old's place above it: new gets old's value, old is recomputed. */
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

/* rb_link_node: hang node at *rb_link, a child slot of parent, red and without children. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;	/* red */
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
/* The augmented forms: the caller has set node's value and propagated it before inserting. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *aug);

/* rb_replace_node: new takes victim's place, colour and children, without rebalancing (the
 * caller keeps the order). */
void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root);

/* In-order iteration. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif
