/* Kernel threads (kernel/kthread.c): created waiting, run by the simulated clock when what they wait
 * for holds (see include/mmlab/kthread.h). */
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/kthread.h>
#include <mmlab/machine.h>
#include <mmlab/sched.h>

struct kthread *kthread_run(struct machine *m, bool (*should_run)(struct machine *m, void *data),
			    void (*threadfn)(struct machine *m, void *data), void *data, const char *comm)
{
	struct kthread *k = calloc(1, sizeof(*k)), **tail = &m->kthreads;

	if (!k)
		return NULL;
	k->pid = alloc_pid(m);
	snprintf(k->comm, sizeof(k->comm), "%s", comm);
	k->should_run = should_run;
	k->threadfn = threadfn;
	k->data = data;
	while (*tail)
		tail = &(*tail)->next;
	*tail = k;
	return k;
}

void kthreads_run(struct machine *m)
{
	const char *comm = m->trace.comm;
	int pid = m->trace.pid;

	for (struct kthread *k = m->kthreads; k; k = k->next) {
		if (!k->should_run(m, k->data))
			continue;
		m->trace.comm = k->comm;	/* what printk and tracepoints name as current */
		m->trace.pid = k->pid;
		k->threadfn(m, k->data);
	}
	m->trace.comm = comm;
	m->trace.pid = pid;
}

struct kthread *find_kthread_by_pid(struct machine *m, int pid)
{
	struct kthread *k = m->kthreads;

	while (k && k->pid != pid)
		k = k->next;
	return k;
}

void kthread_stop_all(struct machine *m)
{
	while (m->kthreads) {
		struct kthread *k = m->kthreads;

		m->kthreads = k->next;
		free(k);
	}
}
