/* Resource limits and user ids (kernel/sys.c): setrlimit on the limits the machine models, setuid. */
#include <errno.h>

#include <mmlab/sched.h>
#include <mmlab/syscalls.h>

/* do_prlimit: a soft limit above the hard one is -EINVAL; raising the hard limit needs
 * CAP_SYS_RESOURCE (-EPERM), which a task has while it is root. */
long sys_setrlimit(struct task_struct *tsk, unsigned int resource, const struct rlimit *new_rlim)
{
	if (resource != RLIMIT_STACK && resource != RLIMIT_MEMLOCK)
		return -EINVAL;
	if (new_rlim->rlim_cur > new_rlim->rlim_max)
		return -EINVAL;
	if (new_rlim->rlim_max > tsk->rlim[resource].rlim_max && !capable(tsk, CAP_SYS_RESOURCE))
		return -EPERM;
	tsk->rlim[resource] = *new_rlim;
	return 0;
}

/* __sys_setuid: with CAP_SETUID every id becomes uid, and leaving root drops the capabilities
 * (cap_emulate_setxuid); without it only the task's own uid is allowed. The machine keeps one uid
 * for the real, effective, saved and filesystem ones. */
long sys_setuid(struct task_struct *tsk, unsigned int uid)
{
	if (uid == (unsigned int)-1)
		return -EINVAL;
	if (!capable(tsk, CAP_SETUID) && uid != tsk->uid)
		return -EPERM;
	tsk->uid = uid;
	return 0;
}
