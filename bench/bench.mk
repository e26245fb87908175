# make bench: build and run the machine's benchmarks (called from the top Makefile with BUILD and CC).
CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc -Ibench
BENCH_SRCS := $(wildcard bench/*.c)

.PHONY: run
run: $(BUILD)/bench/machine_bench
	@$(BUILD)/bench/machine_bench

$(BUILD)/bench/machine_bench: $(BENCH_SRCS) bench/bench.h $(BUILD)/libmmsim.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(BENCH_SRCS) $(BUILD)/libmmsim.a $(SIMLIBS)
