/* The simulated clock and the machine's random numbers (kernel/time, lib/random32.c). Time moves only
 * when a command says so, and randomness comes from the boot seed: a script is replayed exactly. */
#include <mmlab/kthread.h>
#include <mmlab/machine.h>
#include <mmlab/numa_balancing.h>

void machine_tick(struct machine *m, uint64_t ns)
{
	m->now_ns += ns;
	kthreads_run(m);
	task_tick_numa(m);
}

/* splitmix64: small, fast and statistically sound for a simulation's choices. */
uint64_t machine_random(struct machine *m)
{
	uint64_t z = (m->rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
