/* Resource limits (kernel/sys.c): setrlimit on the limits the machine models. */
#include <errno.h>

#include <mmlab/sched.h>
#include <mmlab/syscalls.h>

/* do_prlimit: a soft limit above the hard one is -EINVAL; raising the hard limit needs
 * CAP_SYS_RESOURCE, which simulated processes have (they run as root). */
long sys_setrlimit(struct task_struct *tsk, unsigned int resource, const struct rlimit *new_rlim)
{
	if (resource != RLIMIT_STACK)
		return -EINVAL;
	if (new_rlim->rlim_cur > new_rlim->rlim_max)
		return -EINVAL;
	tsk->rlim[resource] = *new_rlim;
	return 0;
}
