/* Threads whose first use of an allocator is in the last round of pthread key destructors:
 * glibc runs them in at most PTHREAD_DESTRUCTOR_ITERATIONS (4) rounds while a round sets new
 * values; a destructor that re-arms its key until the last round and only then allocates sets
 * the allocator's key too late for its destructor to run (when the allocator's key was made
 * first: it comes earlier in every round). */
#ifndef ALLOC_LAST_ROUND_H
#define ALLOC_LAST_ROUND_H
#include <pthread.h>
#include <stdbool.h>

#define LAST_ROUND 4                                /* PTHREAD_DESTRUCTOR_ITERATIONS */

struct last_round {
	pthread_key_t key;
	void (*last)(void);                         /* what the last round does */
	int round;
};

static inline void last_round_dtor(void *arg)
{
	struct last_round *l = arg;
	if (++l->round < LAST_ROUND)
		pthread_setspecific(l->key, l);     /* again in the next round */
	else
		l->last();
}

static inline void *last_round_thread(void *arg)
{
	struct last_round *l = arg;
	pthread_setspecific(l->key, l);             /* nothing else before the destructors */
	return NULL;
}

/* Makes the key: after the allocator's, which must exist by now. */
static inline void last_round_init(struct last_round *l, void (*last)(void))
{
	l->last = last;
	pthread_key_create(&l->key, last_round_dtor);
}

/* Runs n such threads one after another; false if a thread's destructor missed a round. */
static inline bool last_round_run(struct last_round *l, int n)
{
	bool good = true;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		l->round = 0;
		pthread_create(&t, NULL, last_round_thread, l);
		pthread_join(t, NULL);
		good &= l->round == LAST_ROUND;
	}
	return good;
}
#endif
