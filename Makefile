# mmlab — the Linux memory-management subsystem in user space.
#   make            build build/mmlab and build/libmmsim.a (and the allocators in alloc/)
#   make run        the guided tour (scenarios/tour.mm)
#   make test       every test, normal and sanitizer builds; ends with "N passed, N failed"
#   make asan       the sanitizer build alone, and its test run
#   make stress     the property tests with STRESS_SEEDS seeds (default 50) per configuration
#   make fuzz       the scenario-parser fuzzer, for FUZZ_SECONDS (default 60)
#   make bench      the machine's benchmarks, one line per figure: NAME VALUE UNIT
#   make bench-malloc   the allocator benchmark against glibc, jemalloc, mimalloc and tcmalloc

# Builds run one job per CPU unless the command line says otherwise (-jN); tests and benchmarks
# are single recipes, run one at a time whatever the jobs.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif

# SANITIZE=1 selects the AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/.
ifeq ($(SANITIZE),1)
BUILD    ?= build-asan
CC       := clang
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      := -O1
else
BUILD    ?= build
CC       ?= cc
OPT      := -O2
endif

CFLAGS   := -std=c11 $(OPT) -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc $(SANFLAGS) -MMD -MP
LDFLAGS  := $(SANFLAGS)
SIMLIBS  := -llz4 -lzstd -llzo2 -lxxhash -lm
CLILIBS  := -ledit

SIM_SRCS  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

SIM_OBJS  := $(SIM_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

DEPS_OK   := $(BUILD)/.deps-ok

.PHONY: all run test asan stress fuzz bench bench-malloc clean
all: $(DEPS_OK) $(BUILD)/mmlab $(BUILD)/libmmsim.a $(UNIT_BINS) alloc-libs

# Missing Debian packages are installed (as root) or named (otherwise) before anything builds.
$(DEPS_OK): scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libmmsim.a: $(SIM_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/mmlab: $(CLI_OBJS) $(BUILD)/libmmsim.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libmmsim.a $(SIMLIBS) $(CLILIBS)

# A unit test links the machine and the interpreter (minus its main) with cmocka.
CLI_LIB_OBJS := $(filter-out $(BUILD)/obj/src/cli/main.o,$(CLI_OBJS))
$(BUILD)/tests/%: tests/unit/%.c $(CLI_LIB_OBJS) $(BUILD)/libmmsim.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_LIB_OBJS) $(BUILD)/libmmsim.a $(SIMLIBS) $(CLILIBS) -lcmocka

# The property tests link the random workload generator too.
STRESS_OBJS := $(BUILD)/obj/tests/stress/workload.o
$(BUILD)/tests/test_stress: tests/unit/test_stress.c $(STRESS_OBJS) $(CLI_LIB_OBJS) $(BUILD)/libmmsim.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(STRESS_OBJS) $(CLI_LIB_OBJS) $(BUILD)/libmmsim.a $(SIMLIBS) $(CLILIBS) -lcmocka

include alloc/alloc.mk

run: all
	$(BUILD)/mmlab run scenarios/tour.mm

# make test: the normal build's suite, then the sanitizer build's, counted together.
test: all
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@bash tests/run build build-asan

asan:
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@bash tests/run build-asan

# make stress: many more seeds of the property tests; failing scripts, shrunk, go to build/stress/.
STRESS_SEEDS ?= 50
STRESS_STEPS ?= 300
stress: all
	@mkdir -p $(BUILD)/stress
	STRESS_SEEDS=$(STRESS_SEEDS) STRESS_STEPS=$(STRESS_STEPS) STRESS_SHRINK=1 STRESS_OUT=$(BUILD)/stress \
		$(BUILD)/tests/test_stress

FUZZ_SECONDS ?= 60
fuzz: all
	@bash tests/fuzz/run $(FUZZ_SECONDS)

bench: all
	@$(MAKE) --no-print-directory -f bench/bench.mk BUILD=$(BUILD) CC=$(CC) SIMLIBS="$(SIMLIBS)"

clean:
	rm -rf build build-asan

-include $(SIM_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(STRESS_OBJS:.o=.d)
