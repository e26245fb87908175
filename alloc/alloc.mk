# The user-space allocators (alloc/): libmmpool and libmmalloc, their tests and the benchmark.
# Included by the top Makefile, which provides BUILD, CC, CFLAGS, LDFLAGS, DEPS_OK, SANITIZE.
.PHONY: alloc-libs bench-malloc

ALLOC_OBJ     := $(BUILD)/alloc
ALLOC_CFLAGS  := $(CFLAGS) -Ialloc/include -fvisibility=hidden
# libmmalloc replaces malloc: under ASAN (which owns malloc) it is built without the sanitizer.
# Its pages are resident in every process it is preloaded into: no .eh_frame (debuggers and
# valgrind read .debug_frame; nothing unwinds through malloc, which calls no user code), and
# the shared library's relative relocations packed (DT_RELR, glibc 2.36): 8 KiB less of it.
MALLOC_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(ALLOC_CFLAGS)) -ftls-model=initial-exec \
                 -fno-asynchronous-unwind-tables

POOL_SRCS   := $(sort $(wildcard alloc/pool/*.c))
MALLOC_SRCS := $(sort $(wildcard alloc/malloc/*.c))
POOL_OBJS     := $(POOL_SRCS:%.c=$(ALLOC_OBJ)/static/%.o)
POOL_PIC      := $(POOL_SRCS:%.c=$(ALLOC_OBJ)/pic/%.o)
MALLOC_OBJS   := $(MALLOC_SRCS:%.c=$(ALLOC_OBJ)/static/%.o)
MALLOC_PIC    := $(MALLOC_SRCS:%.c=$(ALLOC_OBJ)/pic/%.o)
MALLOC_CHECK  := $(MALLOC_SRCS:%.c=$(ALLOC_OBJ)/check/%.o)
# The valgrind builds (-DMM_VALGRIND, alloc/track.h): memcheck client requests on every path
# where a block changes hands; the normal libraries carry none of them.
POOL_VG       := $(POOL_SRCS:%.c=$(ALLOC_OBJ)/vg/%.o)
MALLOC_VG     := $(MALLOC_SRCS:%.c=$(ALLOC_OBJ)/vg/%.o)

# Test programs: pool_* link libmmpool.a, malloc_* link libmmalloc.a and, as malloc_*-check,
# libmmalloc-check.a (built with -DMM_CHECK: heap invariants checked on every slow path);
# prog_* link nothing of ours (they run under LD_PRELOAD). Benchmark programs are prog-like.
# Under valgrind (normal build only): pool_*-vg and malloc_*-vg link the valgrind libraries,
# and so do vg_pool_* and vg_malloc_*, programs with deliberate bugs that memcheck must report.
ALLOC_TEST_SRCS := $(sort $(wildcard tests/alloc/*.c))
ALLOC_TESTS     := $(ALLOC_TEST_SRCS:tests/alloc/%.c=$(ALLOC_OBJ)/tests/%) \
                   $(patsubst tests/alloc/%.c,$(ALLOC_OBJ)/tests/%-check,$(filter tests/alloc/malloc_%,$(ALLOC_TEST_SRCS)))
VG_LIBS         := $(BUILD)/libmmpool-vg.a $(BUILD)/libmmalloc-vg.a
VG_TESTS        := $(patsubst tests/alloc/%.c,$(ALLOC_OBJ)/tests/%-vg,$(filter tests/alloc/pool_% tests/alloc/malloc_%,$(ALLOC_TEST_SRCS)))
BENCH_SRCS      := $(sort $(wildcard bench/malloc/*.c))
BENCH_BINS      := $(BENCH_SRCS:bench/malloc/%.c=$(ALLOC_OBJ)/bench/%)
ifeq ($(SANITIZE),1)
BENCH_BINS      :=  # the benchmark measures the normal build only
VG_LIBS         :=  # valgrind does not run sanitized programs
VG_TESTS        :=
ALLOC_TESTS     := $(filter-out $(ALLOC_OBJ)/tests/vg_%,$(ALLOC_TESTS))
endif

alloc-libs: $(BUILD)/libmmpool.a $(BUILD)/libmmpool.so $(BUILD)/libmmalloc.a $(BUILD)/libmmalloc.so $(BUILD)/libmmalloc-check.a \
            $(ALLOC_TESTS) $(BENCH_BINS) $(VG_LIBS) $(VG_TESTS)

$(ALLOC_OBJ)/static/alloc/pool/%.o: alloc/pool/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) -c $< -o $@

$(ALLOC_OBJ)/pic/alloc/pool/%.o: alloc/pool/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) -fPIC -c $< -o $@

$(ALLOC_OBJ)/static/alloc/malloc/%.o: alloc/malloc/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -c $< -o $@

$(ALLOC_OBJ)/pic/alloc/malloc/%.o: alloc/malloc/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -fPIC -c $< -o $@

$(ALLOC_OBJ)/check/alloc/malloc/%.o: alloc/malloc/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -DMM_CHECK -c $< -o $@

$(ALLOC_OBJ)/vg/alloc/pool/%.o: alloc/pool/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) -DMM_VALGRIND -c $< -o $@

$(ALLOC_OBJ)/vg/alloc/malloc/%.o: alloc/malloc/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -DMM_VALGRIND -c $< -o $@

$(BUILD)/libmmpool-vg.a: $(POOL_VG)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmmalloc-vg.a: $(MALLOC_VG)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmmpool.a: $(POOL_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmmpool.so: $(POOL_PIC)
	$(CC) $(LDFLAGS) -shared -o $@ $^ -lpthread

$(BUILD)/libmmalloc.a: $(MALLOC_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmmalloc-check.a: $(MALLOC_CHECK)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libmmalloc.so: $(MALLOC_PIC)
	$(CC) -shared -Wl,-z,pack-relative-relocs -o $@ $^ -lpthread

$(ALLOC_OBJ)/tests/pool_%: tests/alloc/pool_%.c $(BUILD)/libmmpool.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmmpool.a -lpthread

$(ALLOC_OBJ)/tests/malloc_%: tests/alloc/malloc_%.c $(BUILD)/libmmalloc.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmalloc.a -lpthread

$(ALLOC_OBJ)/tests/malloc_%-check: tests/alloc/malloc_%.c $(BUILD)/libmmalloc-check.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmalloc-check.a -lpthread

$(ALLOC_OBJ)/tests/pool_%-vg: tests/alloc/pool_%.c $(BUILD)/libmmpool-vg.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmmpool-vg.a -lpthread

$(ALLOC_OBJ)/tests/malloc_%-vg: tests/alloc/malloc_%.c $(BUILD)/libmmalloc-vg.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmalloc-vg.a -lpthread

$(ALLOC_OBJ)/tests/vg_pool_%: tests/alloc/vg_pool_%.c $(BUILD)/libmmpool-vg.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmpool-vg.a -lpthread

$(ALLOC_OBJ)/tests/vg_malloc_%: tests/alloc/vg_malloc_%.c $(BUILD)/libmmalloc-vg.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmalloc-vg.a -lpthread

$(ALLOC_OBJ)/tests/prog_%: tests/alloc/prog_%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< -lpthread

$(ALLOC_OBJ)/bench/%: bench/malloc/%.c $(BUILD)/libmmpool.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(MALLOC_CFLAGS) -o $@ $< $(BUILD)/libmmpool.a -lpthread

bench-malloc: alloc-libs
	@bash scripts/deps.sh bench
	@bash bench/malloc/run $(BUILD)

-include $(POOL_OBJS:.o=.d) $(POOL_PIC:.o=.d) $(MALLOC_OBJS:.o=.d) $(MALLOC_PIC:.o=.d) $(MALLOC_CHECK:.o=.d) \
         $(POOL_VG:.o=.d) $(MALLOC_VG:.o=.d) $(ALLOC_TESTS:=.d) $(VG_TESTS:=.d) $(BENCH_BINS:=.d)
