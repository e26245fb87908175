/* What the benchmarks of bench/ share: timing, reporting and a machine to time on. */
#ifndef BENCH_H
#define BENCH_H

struct machine;

/* bench_best_ns_per_op: run round(arg, iters) a few times; the fastest time per iteration. */
double bench_best_ns_per_op(void (*round)(void *arg, long iters), void *arg, long iters);
/* bench_report: one "NAME VALUE UNIT" line. */
void bench_report(const char *name, double value, const char *unit);
/* bench_machine: a default x86_64 machine with 1 GiB. */
struct machine *bench_machine(void);
/* bench_slab: the slab allocator's figures (bench/slab_bench.c). */
void bench_slab(void);
/* bench_zram: zram storing pages against liblz4 alone (bench/zram_bench.c). */
void bench_zram(void);
/* bench_faults: first-touch faults against the host kernel's, and TLB hits (bench/fault_bench.c). */
void bench_faults(void);
/* bench_reclaim: pages reclaimed per second under a streaming workload (bench/reclaim_bench.c). */
void bench_reclaim(void);

/* bench_keep: the compiler must assume p is used, so the work producing it is not optimised away. */
static inline void bench_keep(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

#endif
