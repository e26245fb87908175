/* Intrusive doubly linked lists of libmmalloc and libmmpool, in the shape of the kernel's
 * include/linux/list.h: a struct mm_list_head sits in each entry, and a list is a ring through
 * a head of its own (the sentinel), so that adding and deleting take no branch, the first and
 * the last entry are one load away, and an empty list points at itself. A head must be
 * initialized (MM_LIST_HEAD_INIT, mm_list_init) before use: a zeroed one is not empty. The
 * machine has its own (include/mmlab/list.h); alloc/ includes no header of the machine, so that
 * the libraries build alone. */
#ifndef MM_LIST_H
#define MM_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct mm_list_head {
	struct mm_list_head *next, *prev;
};

/* The enclosing struct of a member (container_of, include/linux/container_of.h). */
#define mm_container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* An empty list's static initializer (LIST_HEAD_INIT). */
#define MM_LIST_HEAD_INIT(name) { &(name), &(name) }

/* Makes the list empty (INIT_LIST_HEAD). */
static inline void mm_list_init(struct mm_list_head *list)
{
	list->next = list;
	list->prev = list;
}

/* Links entry in between two neighbours (__list_add). The store to next->prev stands between
 * the entry's own two: gcc would otherwise pair them into one vector store, which costs two
 * more instructions to build. */
static inline void mm_list_insert(struct mm_list_head *entry, struct mm_list_head *prev,
				  struct mm_list_head *next)
{
	entry->next = next;
	next->prev = entry;
	entry->prev = prev;
	prev->next = entry;
}

/* Adds entry at the front of the list: a stack (list_add). */
static inline void mm_list_add(struct mm_list_head *entry, struct mm_list_head *head)
{
	mm_list_insert(entry, head, head->next);
}

/* Takes entry off its list; its own links are left stale until it is added again
 * (__list_del_entry: list_del without the poisoning). */
static inline void mm_list_del(struct mm_list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}

/* Takes entry off its list and adds it at the front of another, or of the same (list_move). */
static inline void mm_list_move(struct mm_list_head *entry, struct mm_list_head *head)
{
	mm_list_del(entry);
	mm_list_add(entry, head);
}

/* Is the list empty (list_empty)? */
static inline bool mm_list_empty(const struct mm_list_head *head)
{
	return head->next == head;
}

/* Does the list hold exactly one entry (list_is_singular)? */
static inline bool mm_list_is_singular(const struct mm_list_head *head)
{
	return !mm_list_empty(head) && head->next == head->prev;
}

/* The struct of an entry (list_entry). */
#define mm_list_entry(ptr, type, member) mm_container_of(ptr, type, member)

/* The first entry of a list that is not empty (list_first_entry). */
#define mm_list_first_entry(head, type, member) mm_list_entry((head)->next, type, member)

/* The first entry, or NULL when the list is empty (list_first_entry_or_null). */
#define mm_list_first_entry_or_null(head, type, member) \
	(mm_list_empty(head) ? NULL : mm_list_first_entry(head, type, member))

/* Each entry pos of the list, front to back (list_for_each_entry). */
#define mm_list_for_each_entry(pos, head, member)                               \
	for (pos = mm_list_entry((head)->next, __typeof__(*pos), member);       \
	     &pos->member != (head);                                            \
	     pos = mm_list_entry(pos->member.next, __typeof__(*pos), member))

/* The same, where the body may take pos off the list (list_for_each_entry_safe). */
#define mm_list_for_each_entry_safe(pos, n, head, member)                       \
	for (pos = mm_list_entry((head)->next, __typeof__(*pos), member),       \
	     n = mm_list_entry(pos->member.next, __typeof__(*pos), member);     \
	     &pos->member != (head);                                            \
	     pos = n, n = mm_list_entry(n->member.next, __typeof__(*n), member))
#endif
