/*
 * Processes (include/linux/sched.h, sched/task.h): a task has a pid, a name and an address space.
 * The machine keeps its tasks, the pid counter, the shared zero page and each CPU's TLB in one
 * struct task_state, created with the first process.
 */
#ifndef MMLAB_SCHED_H
#define MMLAB_SCHED_H

#include <stdbool.h>

#include <mmlab/list.h>
#include <mmlab/mm_types.h>
#include <mmlab/pgtable.h>
#include <mmlab/resource.h>

#define TASK_COMM_LEN	16
#define PID_MAX_DEFAULT	0x8000

struct task_struct {
	int pid;
	int ppid;			/* the parent's pid; 1 (init) for a spawned process */
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	struct list_head tasks;		/* the machine's task list */
	unsigned long min_flt, maj_flt;
	short oom_score_adj;		/* -1000..1000 (signal_struct.oom_score_adj) */
	unsigned int uid;		/* cred->uid: root (0) until setuid; fork and exec keep it */
	char exe[256];			/* the program: a path, or "" for the default layout */
	struct rlimit rlim[RLIM_NLIMITS];	/* signal->rlim: INIT_RLIMITS at spawn; fork copies it */
	struct mempolicy mempolicy;	/* set_mempolicy's NUMA policy: fork copies it, exec keeps it */
	/* What the process's loads and stores touched, from the node of the CPU it ran on (no kernel
	 * counterpart: what the hardware charges): bytes on that node and on others, and their cost,
	 * each byte weighted by its node_distance (10 local; numa_account_access). */
	unsigned long numa_bytes_local, numa_bytes_remote, numa_access_cost;
};

struct task_state {
	struct list_head tasks;
	unsigned long last_ino;		/* get_next_ino: inode numbers of shmem objects */
	struct page *zero_page;		/* ZERO_PAGE(0): what anonymous read faults map */
	struct page *huge_zero_folio;	/* the huge zero page, allocated at its first use (mm/huge_memory.c) */
	struct tlb *tlb;		/* one per CPU */
};

/* Pids as a booted kernel hands them out (rest_init): 1 is init, here the script's own context
 * ("mmlab"), 2 kthreadd; the kernel threads started at boot take the next ones, in the order the
 * kernel starts them (kcompactd, ksmd, kswapd per node), and processes come after them. */
#define INIT_PID	1
#define KTHREADD_PID	2

/* Capabilities (include/uapi/linux/capability.h): a task has them all while it is root (uid 0) and
 * none once setuid gives it another uid (cap_emulate_setxuid clears them); capable() is that. */
#define CAP_SETUID		7
#define CAP_IPC_LOCK		14
#define CAP_SYS_NICE		23
#define CAP_SYS_RESOURCE	24

static inline bool capable(const struct task_struct *tsk, int cap)
{
	(void)cap;
	return tsk->uid == 0;
}

/* rlimit: the task's soft limit of a resource (include/linux/sched/signal.h). */
static inline unsigned long rlimit(const struct task_struct *tsk, unsigned int resource)
{
	return tsk->rlim[resource].rlim_cur;
}

/* fork_init: max_threads from RAM at boot, whose half is init's RLIMIT_NPROC and
 * RLIMIT_SIGPENDING, inherited by every task (kernel/fork.c). */
void fork_init(struct machine *m);

/* alloc_pid: the next pid, or 0 when none is left below PID_MAX_DEFAULT (kernel/pid.c; pids are not
 * reused). */
int alloc_pid(struct machine *m);

/* task_state: the machine's processes, created on first use; NULL if the host is out of memory. */
struct task_state *task_state(struct machine *m);
/* exit_all_tasks: every process exits and the state goes (at machine_destroy). */
void exit_all_tasks(struct machine *m);

/* nr_threads: every task, processes and kernel threads (kernel/fork.c); nr_running: those running,
 * the processes: a kernel thread sleeps between its runs from the clock (kernel/sched/core.c). */
unsigned int nr_threads(struct machine *m);
unsigned int nr_running(struct machine *m);

/* find_task_by_name, find_task_by_pid: NULL when there is none. */
struct task_struct *find_task_by_name(struct machine *m, const char *name);
struct task_struct *find_task_by_pid(struct machine *m, int pid);
/* find_task: by pid when arg is a number, else by name. */
struct task_struct *find_task(struct machine *m, const char *arg);

/* alloc_task: a new task called comm with the next pid, not yet listed (kernel/fork.c). NULL with
 * *err: -EINVAL (not a name: up to 15 letters, digits and '_', not starting with a digit), -EEXIST
 * (the name is taken), -EAGAIN (no pid left), -ENOMEM. */
struct task_struct *alloc_task(struct machine *m, const char *comm, int *err);
/* spawn_task: a new process running exe, an ELF file, or a default program when exe is NULL
 * (fs/exec.c). NULL with *err, and for a bad program a message in msg. */
struct task_struct *spawn_task(struct machine *m, const char *comm, const char *exe, int *err, char *msg,
			       size_t msglen);
/* do_execve: tsk runs exe (NULL: the default program) in a new address space, its pid, name,
 * limits and fault counts kept; the old address space goes (fs/exec.c). 0, or a negative errno
 * (-ENOENT, -ENOEXEC, -ENOMEM: the task goes on in its old address space) with, for a bad program,
 * a message in msg. The kernel renames the task after the program; here the name is the script's
 * handle on it and stays. */
int do_execve(struct machine *m, struct task_struct *tsk, const char *exe, char *msg, size_t msglen);
/* kernel_clone: fork parent into a new task called comm (kernel/fork.c). NULL with *err. */
struct task_struct *kernel_clone(struct machine *m, struct task_struct *parent, const char *comm, int *err);
/* do_exit: the task's memory goes, then the task (kernel/exit.c). */
void do_exit(struct machine *m, struct task_struct *tsk);

#endif
