/*
 * Kernel threads (include/linux/kthread.h) as the machine runs them: each has a wait condition and
 * a body; whenever simulated time advances (machine_tick), every thread whose condition holds runs
 * its body once, in the order the threads were created: kcompactd, ksmd and kswapd do.
 */
#ifndef MMLAB_KTHREAD_H
#define MMLAB_KTHREAD_H

#include <stdbool.h>

struct machine;

struct kthread {
	char comm[16];					/* "kcompactd0" (TASK_COMM_LEN) */
	int pid;					/* kthreadd's child: the next pid at creation */
	bool (*should_run)(struct machine *m, void *data);	/* what it waits for */
	void (*threadfn)(struct machine *m, void *data);	/* one pass after a wake-up */
	void *data;
	struct kthread *next;
};

/* kthread_run: create a thread and let it wait; NULL when the host is out of memory. */
struct kthread *kthread_run(struct machine *m, bool (*should_run)(struct machine *m, void *data),
			    void (*threadfn)(struct machine *m, void *data), void *data, const char *comm);
/* kthreads_run: every thread whose condition holds runs once (the scheduler, from machine_tick). */
void kthreads_run(struct machine *m);
/* find_kthread_by_pid: the kernel thread with that pid, or NULL. */
struct kthread *find_kthread_by_pid(struct machine *m, int pid);
/* kthread_stop_all: the machine goes down: every thread ends. */
void kthread_stop_all(struct machine *m);

#endif
