/*
 * libFuzzer target for the scenario language: arbitrary bytes go through the whole `mmlab run` path
 * (parse everything, then run on a machine). Inputs cannot run forever or ask for a huge machine:
 * the interpreter's limits bound statements, RAM and simulated time. Any crash or sanitizer report
 * is a bug; an error message is the right answer to bad input.
 */
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One sink for every run's output: opening /dev/null per input would dominate. */
	static FILE *sink;
	struct interp in;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		return 0;
	interp_init(&in, sink, sink);
	in.check = true;
	in.limits = (struct interp_limits){
		.max_steps = 500,	/* each command also runs machine_check */
		.max_ram = 512ULL << 20,
		.max_tick_ns = 10ULL * 1000 * 1000 * 1000,
	};
	interp_run_script(&in, "fuzz", (const char *)data, size);
	interp_release(&in);
	return 0;
}
