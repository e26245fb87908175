/* The property tests that nothing is lost (issue 5): seeded random workloads of several processes
 * (tests/stress/workload.c) under each swap configuration, the invariant checker after every line,
 * spot checks and verify of every byte. STRESS_SEEDS seeds per configuration (default 3) from
 * STRESS_SEED (default 1), STRESS_STEPS operations each (default 200); STRESS_CONFIG=NAME runs one
 * configuration. A failing seed prints its script; with STRESS_SHRINK=1 shrunk to the fewest lines
 * that still fail alike, written to STRESS_OUT/CONFIG-SEED.mm when STRESS_OUT names a directory.
 * STRESS_PRINT=1 prints every script; STRESS_ECHO=1 each line before it runs (when one crashes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../stress/workload.h"

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* The script of a failure, shrunk when asked, printed and saved. */
static void report_failure(const struct stress_config *cfg, unsigned long seed, const struct stress_result *res)
{
	char *script = getenv("STRESS_SHRINK") ? stress_shrink(res->script, res->diag) : strdup(res->script);
	const char *dir = getenv("STRESS_OUT");

	printf("stress %s seed %lu failed at step %u:\n%s--- script%s:\n%s", cfg->name, seed, res->steps,
		      res->diag, getenv("STRESS_SHRINK") ? " (shrunk)" : "", script);
	if (dir) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s-%lu.mm", dir, cfg->name, seed);
		if ((f = fopen(path, "w"))) {
			fprintf(f, "# stress %s seed %lu\n%s", cfg->name, seed, script);
			fclose(f);
		}
	}
	free(script);
}

static void stress_config(void **state)
{
	const struct stress_config *cfg = *state;
	unsigned long first = env_ulong("STRESS_SEED", 1), seeds = env_ulong("STRESS_SEEDS", 3);
	unsigned int steps = (unsigned int)env_ulong("STRESS_STEPS", 200), failures = 0, ooms = 0;

	for (unsigned long seed = first; seed < first + seeds; seed++) {
		struct stress_result res = { 0 };

		stress_run(cfg, seed, steps, &res);
		if (getenv("STRESS_PRINT"))
			printf("# stress %s seed %lu:\n%s", cfg->name, seed, res.script);
		if (res.failed) {
			report_failure(cfg, seed, &res);
			failures++;
		}
		ooms += res.oom_kills;
		stress_result_release(&res);
	}
	print_message("# stress %s: %lu seeds x %u steps, %u OOM kills, %u failed\n", cfg->name, seeds, steps, ooms,
		      failures);
	assert_int_equal(failures, 0);
}

int main(void)
{
	struct CMUnitTest tests[16];
	const char *only = getenv("STRESS_CONFIG");
	size_t n = 0;

	for (size_t i = 0; i < nr_stress_configs && n < sizeof(tests) / sizeof(tests[0]); i++) {
		if (only && strcmp(only, stress_configs[i].name))
			continue;
		tests[n++] = (struct CMUnitTest){ .name = stress_configs[i].name, .test_func = stress_config,
						  .initial_state = (void *)&stress_configs[i] };
	}
	return _cmocka_run_group_tests("stress", tests, n, NULL, NULL);
}
