/*
 * Interval trees (include/linux/interval_tree.h, include/linux/interval_tree_generic.h): a red-black
 * tree of closed intervals [start, last] sorted by start, each node augmented with the largest last
 * of its subtree, so that the intervals overlapping a query are found in O(log n + k). The file
 * mappings' i_mmap tree (mm/interval_tree.c) is one.
 */
#ifndef MMLAB_INTERVAL_TREE_H
#define MMLAB_INTERVAL_TREE_H

#include <stdbool.h>

#include <mmlab/rbtree.h>

struct interval_tree_node {
	struct rb_node rb;
	unsigned long start;		/* the first unit of the interval */
	unsigned long last;		/* its last unit, included */
	unsigned long __subtree_last;	/* the largest last in the subtree below and at this node */
};

/* interval_tree_insert, interval_tree_remove: node (start and last set) goes in, or out; equal
 * starts keep their order of insertion. */
void interval_tree_insert(struct interval_tree_node *node, struct rb_root *root);
void interval_tree_remove(struct interval_tree_node *node, struct rb_root *root);
/* interval_tree_iter_first, interval_tree_iter_next: the nodes overlapping [start, last], in
 * order of start; NULL after the last. */
struct interval_tree_node *interval_tree_iter_first(const struct rb_root *root, unsigned long start, unsigned long last);
struct interval_tree_node *interval_tree_iter_next(struct interval_tree_node *node, unsigned long start,
						   unsigned long last);
/* interval_tree_check: whether the tree is sorted and every __subtree_last right; its nodes are
 * counted into *count (no kernel counterpart: lib/interval_tree_test.c checks as much). */
bool interval_tree_check(const struct rb_root *root, unsigned long *count);

#endif
