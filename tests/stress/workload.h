/*
 * Seeded random workloads for the property that nothing is ever lost (issue 5). A workload is a
 * scenario script written one line at a time: each line is generated from the state the previous
 * ones left (which processes live, what they map, what each page should hold), run at once through
 * the interpreter as `mmlab run --check` runs it, and kept, so that a failure is a script anyone
 * can replay with `mmlab run --check`, and shrink.
 *
 * The generator keeps its own model of every process's memory, page by page (zero, fill=seq with
 * the address it was written at, or a fill byte), independent of the machine's: spot checks load
 * bytes and `expect` them; `verify` (the machine's own record of fill=seq) runs at checkpoints and
 * at the end; the invariant checker after every line.
 */
#ifndef TESTS_STRESS_WORKLOAD_H
#define TESTS_STRESS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

/* What a configuration adds to the common operations. */
enum stress_feature {
	STRESS_COMPACT = 1 << 0,	/* compact_memory and high-order kernel allocations at random */
	STRESS_SWAPOFF = 1 << 1,	/* swapoff and swapon again of the configuration's areas */
	STRESS_FILES = 1 << 2,		/* shared and private mappings of two files, msync, drop_caches */
	STRESS_KSM = 1 << 3,		/* madvise mergeable/unmergeable, with ksmd running */
	STRESS_THP = 1 << 4,		/* madvise hugepage/nohugepage/collapse, with khugepaged running */
};

struct stress_config {
	const char *name;
	const char *setup;		/* scenario lines after `machine`: the swap areas, zswap, ... */
	const char *areas[3];		/* the swap areas STRESS_SWAPOFF may take away, NULL-ended */
	unsigned int features;		/* enum stress_feature */
	const char *ram;		/* the machine's RAM; NULL: STRESS_RAM, 32M */
};

extern const struct stress_config stress_configs[];
extern const size_t nr_stress_configs;

/* stress_config_by_name: the configuration called name, or NULL. */
const struct stress_config *stress_config_by_name(const char *name);

struct stress_result {
	int failed;			/* 0: every line ran and every check held */
	char *script;			/* the lines that ran, the failing one last (malloc'ed) */
	char *diag;			/* what went wrong: the interpreter's diagnostics (malloc'ed) */
	unsigned int steps;		/* operations run */
	unsigned int oom_kills;		/* processes the OOM killer took (not a failure by itself) */
};

/* stress_run: steps random operations of cfg from seed; res says how it went (stress_result_release). */
void stress_run(const struct stress_config *cfg, uint64_t seed, unsigned int steps, struct stress_result *res);
/* stress_replay: run a script line by line, as stress_run ran it; 0 if all held, else a failure with
 * its diagnostics in *diag (malloc'ed, or NULL). */
int stress_replay(const char *script, char **diag);
/* stress_shrink: the smallest script, by removing lines, that still fails as script does (its
 * diagnostics start with the same words); malloc'ed. */
char *stress_shrink(const char *script, const char *diag);
void stress_result_release(struct stress_result *res);

#endif
