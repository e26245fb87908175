/*
 * Creating processes (kernel/fork.c): the machine's task list and pids, and fork: a new task whose
 * address space copies the parent's VMAs, with anonymous pages shared copy-on-write (dup_mmap).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/gfp.h>
#include <mmlab/khugepaged.h>
#include <mmlab/ksm.h>
#include <mmlab/kthread.h>
#include <mmlab/mm.h>
#include <mmlab/numa_balancing.h>

struct task_state *task_state(struct machine *m)
{
	struct task_state *ts;

	if (m->tasks)
		return m->tasks;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return NULL;
	ts->tlb = calloc((size_t)m->nr_cpu_ids, sizeof(*ts->tlb));
	ts->zero_page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	if (!ts->tlb || !ts->zero_page) {
		if (ts->zero_page)
			__free_pages(m, ts->zero_page, 0);
		free(ts->tlb);
		free(ts);
		return NULL;
	}
	INIT_LIST_HEAD(&ts->tasks);
	m->tasks = ts;
	return ts;
}

struct task_struct *find_task_by_name(struct machine *m, const char *name)
{
	struct task_struct *tsk;

	if (!m->tasks)
		return NULL;
	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		if (!strcmp(tsk->comm, name))
			return tsk;
	return NULL;
}

struct task_struct *find_task_by_pid(struct machine *m, int pid)
{
	struct task_struct *tsk;

	if (!m->tasks)
		return NULL;
	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		if (tsk->pid == pid)
			return tsk;
	return NULL;
}

unsigned int nr_running(struct machine *m)
{
	struct task_struct *tsk;
	unsigned int n = 0;

	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			n++;
	return n;
}

unsigned int nr_threads(struct machine *m)
{
	unsigned int n = nr_running(m);

	for (const struct kthread *k = m->kthreads; k; k = k->next)
		n++;
	return n;
}

struct task_struct *find_task(struct machine *m, const char *arg)
{
	char *end;
	long pid = strtol(arg, &end, 10);

	if (*arg >= '0' && *arg <= '9' && !*end)
		return pid > 0 && pid < PID_MAX_DEFAULT ? find_task_by_pid(m, (int)pid) : NULL;
	return find_task_by_name(m, arg);
}

/* A valid process name: it is also a /proc directory and a script's `NAME:` prefix. */
static bool valid_comm(const char *comm)
{
	size_t len = strlen(comm);

	if (!len || len >= TASK_COMM_LEN || (comm[0] >= '0' && comm[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(comm[i] == '_' || (comm[i] >= 'a' && comm[i] <= 'z') || (comm[i] >= 'A' && comm[i] <= 'Z') ||
		      (comm[i] >= '0' && comm[i] <= '9')))
			return false;
	return true;
}

#define MIN_THREADS	20
#define MAX_THREADS	0x3fffffffUL	/* FUTEX_TID_MASK */

void fork_init(struct machine *m)
{
	/* set_max_threads: the kernel stacks may take an eighth of RAM */
	unsigned long threads = m->totalram_pages * PAGE_SIZE / (m->arch->thread_size * 8UL);

	m->max_threads = threads < MIN_THREADS ? MIN_THREADS : threads > MAX_THREADS ? MAX_THREADS : threads;
}

/* INIT_RLIMITS (include/asm-generic/resource.h), with fork_init's RLIMIT_NPROC and
 * RLIMIT_SIGPENDING: the limits init has and a spawned process inherits. */
static void init_rlimits(const struct machine *m, struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = _STK_LIM;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NPROC] = rlim[RLIMIT_SIGPENDING] = (struct rlimit){ m->max_threads / 2, m->max_threads / 2 };
	rlim[RLIMIT_NOFILE] = (struct rlimit){ INR_OPEN_CUR, INR_OPEN_MAX };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ MLOCK_LIMIT, MLOCK_LIMIT };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	rlim[RLIMIT_NICE] = rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

/* alloc_task: a task named comm with the next pid (alloc_pid), not yet listed; NULL with *err. */
struct task_struct *alloc_task(struct machine *m, const char *comm, int *err)
{
	struct task_state *ts = task_state(m);
	struct task_struct *tsk;

	*err = -EINVAL;
	if (!valid_comm(comm))
		return NULL;
	*err = -ENOMEM;
	if (!ts)
		return NULL;
	if (find_task_by_name(m, comm)) {
		*err = -EEXIST;
		return NULL;
	}
	tsk = calloc(1, sizeof(*tsk));
	if (!tsk)
		return NULL;
	tsk->pid = alloc_pid(m);
	if (!tsk->pid) {
		free(tsk);
		*err = -EAGAIN;
		return NULL;
	}
	snprintf(tsk->comm, sizeof(tsk->comm), "%s", comm);
	tsk->ppid = 1;		/* a spawned process is init's child, as on a booted system */
	init_rlimits(m, tsk->rlim);
	return tsk;
}

/* The child's copy of one VMA: its own anon_vma under the parent's and the PTEs, unless
 * MADV_WIPEONFORK asked for a fresh, empty range. */
static int dup_vma(struct mm_struct *mm, struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp = vm_area_dup(mpnt);
	bool wipe = mpnt->vm_flags & VM_WIPEONFORK;

	if (!tmp)
		return -ENOMEM;
	tmp->vm_mm = mm;
	tmp->vm_flags &= ~VM_LOCKED;	/* memory locks are not inherited */
	if (vm_account(mm, tmp->vm_flags, vma_pages(tmp))) {
		vm_area_free(tmp);
		return -ENOMEM;
	}
	if (!wipe && anon_vma_fork(tmp, mpnt)) {
		vm_unaccount(mm, tmp->vm_flags, vma_pages(tmp));
		vm_area_free(tmp);
		return -ENOMEM;
	}
	vma_link(mm, tmp);
	vm_stat_account(mm, tmp->vm_flags, (long)vma_pages(tmp));
	if (wipe) {
		seq_record(mm, tmp->vm_start, tmp->vm_end, false);
		return 0;
	}
	return copy_page_range(tmp, mpnt) ? -ENOMEM : 0;
}

/* dup_mmap: the layout, then each VMA but VM_DONTCOPY ones; the parent's TLBs lose the
 * write permission its PTEs just lost. */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	int err = 0;

	mm->mmap_base = oldmm->mmap_base;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	if (seq_copy(mm, oldmm) || ksm_fork(mm, oldmm) || khugepaged_fork(mm, oldmm))
		return -ENOMEM;
	for (struct vm_area_struct *mpnt = oldmm->mmap; mpnt && !err; mpnt = mpnt->vm_next) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			seq_record(mm, mpnt->vm_start, mpnt->vm_end, false);
		else
			err = dup_vma(mm, mpnt);
	}
	flush_tlb_mm_range(oldmm->machine, oldmm, 0, oldmm->task_size);
	return err;
}

struct task_struct *kernel_clone(struct machine *m, struct task_struct *parent, const char *comm, int *err)
{
	struct task_struct *tsk = alloc_task(m, comm, err);

	if (!tsk)
		return NULL;
	tsk->mm = mm_alloc(m);
	if (!tsk->mm || (*err = dup_mmap(tsk->mm, parent->mm))) {
		if (tsk->mm)
			mmput(tsk->mm);
		free(tsk);
		*err = -ENOMEM;
		return NULL;
	}
	snprintf(tsk->exe, sizeof(tsk->exe), "%s", parent->exe);
	tsk->ppid = parent->pid;
	tsk->oom_score_adj = parent->oom_score_adj;
	tsk->uid = parent->uid;
	memcpy(tsk->rlim, parent->rlim, sizeof(tsk->rlim));
	tsk->mempolicy = parent->mempolicy;
	tsk->mm->owner = tsk;
	init_numa_balancing(m, tsk);
	list_add_tail(&tsk->tasks, &m->tasks->tasks);
	return tsk;
}
