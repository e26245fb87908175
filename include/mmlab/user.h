/*
 * The C library of the simulated processes (src/user): malloc and friends, running in the process
 * on brk and mmap as glibc's do. Each returns what the C function returns - an address, or 0 - and
 * sets *sig to the signal the process died of (SIGSEGV on a bad access, SIGABRT on a corrupted
 * heap), or 0.
 */
#ifndef MMLAB_USER_H
#define MMLAB_USER_H

struct machine;
struct task_struct;

unsigned long user_malloc(struct machine *m, struct task_struct *tsk, unsigned long n, int *sig);
unsigned long user_calloc(struct machine *m, struct task_struct *tsk, unsigned long nmemb, unsigned long size, int *sig);
unsigned long user_realloc(struct machine *m, struct task_struct *tsk, unsigned long p, unsigned long n, int *sig);
/* user_free: free(p); the signal the process died of, or 0. */
int user_free(struct machine *m, struct task_struct *tsk, unsigned long p);
/* user_mallopt_mmap_threshold: mallopt(M_MMAP_THRESHOLD, threshold). */
void user_mallopt_mmap_threshold(struct machine *m, struct task_struct *tsk, unsigned long threshold, int *sig);

#endif
