/* The per-thread state of libmmalloc (heaps) and libmmpool (caches) whose thread is gone
 * without giving it back: glibc runs pthread key destructors in at most
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds, and a key set in the last round (a thread's first malloc
 * or first use of a pool, in another key's destructor) never has its destructor run; the
 * threads of a fork parent do not exist in the child. Each such state records its thread's
 * kernel tid and sits on a list; a thread that makes its own checks the next few of a
 * round-robin cursor with tgkill(pid, tid, 0), whose ESRCH says the thread no longer exists in
 * the thread group (kill(2): signal 0 checks, sends nothing). Any other answer counts as alive:
 * a tid reused by a newer thread only delays the reaping. The list is under the owner library's
 * lock. */
#ifndef MM_THREAD_REAP_H
#define MM_THREAD_REAP_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include "mmlab/list.h"

/* A thread's state on the list: its tid, 0 once off the list (given back, or left alone). */
struct mm_thread_link {
	pid_t tid;
	struct list_head list;
};

struct mm_thread_list {
	struct list_head head;
	struct list_head *cursor;        /* the next link checked; the head: the first one */
	size_t n;
	pid_t pid;                       /* the process the tids were read in */
};

/* An empty list's static initializer. */
#define MM_THREAD_LIST_INIT(name) { .head = LIST_HEAD_INIT((name).head), .cursor = &(name).head }

/* The calling thread's kernel tid (gettid(2)). */
static inline pid_t mm_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline void mm_thread_list_add(struct mm_thread_list *l, struct mm_thread_link *t,
				      pid_t pid, pid_t tid)
{
	if (!l->pid)
		l->pid = pid;
	t->tid = tid;
	list_add(&t->list, &l->head);
	l->n++;
}

static inline void mm_thread_list_del(struct mm_thread_list *l, struct mm_thread_link *t)
{
	if (l->cursor == &t->list)
		l->cursor = t->list.next;
	__list_del_entry(&t->list);
	t->tid = 0;
	l->n--;
}

/* Does the thread no longer exist in the process? Leaves errno alone (malloc must). */
static inline bool mm_thread_gone(pid_t pid, pid_t tid)
{
	int saved = errno;
	bool gone = tid > 0 && syscall(SYS_tgkill, pid, tid, 0) && errno == ESRCH;
	errno = saved;
	return gone;
}

/* Checks the next (at most max) links of the cursor; those whose thread is gone are taken off
 * the list and stored in gone[]. Returns how many. Nothing is checked in a process the tids
 * were not read in (a child made without the fork handlers: its own thread's tid is stale). */
static inline size_t mm_thread_list_reap(struct mm_thread_list *l, pid_t pid,
					 struct mm_thread_link **gone, size_t max)
{
	size_t n = 0, scan = pid == l->pid ? l->n : 0;
	for (size_t i = 0; i < max && i < scan; i++) {
		if (l->cursor == &l->head)
			l->cursor = l->head.next;
		struct mm_thread_link *t = list_entry(l->cursor, struct mm_thread_link, list);
		l->cursor = t->list.next;
		if (mm_thread_gone(pid, t->tid)) {
			mm_thread_list_del(l, t);
			gone[n++] = t;
		}
	}
	return n;
}
#endif
