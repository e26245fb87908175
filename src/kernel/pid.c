/* Process ids (kernel/pid.c): one namespace, init_pid_ns, handing out pids upwards from the ones
 * rest_init takes at boot (init and kthreadd); the kernel wraps round to reuse freed pids past
 * pid_max, the machine stops there. */
#include <mmlab/machine.h>
#include <mmlab/sched.h>

int alloc_pid(struct machine *m)
{
	if (m->last_pid + 1 >= PID_MAX_DEFAULT)
		return 0;
	return ++m->last_pid;
}
