/* libmmalloc: what it asks of the OS (mmap, madvise, the clock), fatal errors, one-time init. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/mman.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "mmalloc.h"

uintptr_t mm_secret;
pthread_mutex_t mm_global_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mm_late_lock = PTHREAD_MUTEX_INITIALIZER;

/* An aligned mapping (alloc/os_map.h), made by one copy of the code for the whole library. */
void *mm_os_map(size_t size, size_t align, size_t offset, int prot, int extra)
{
	return mm_map_aligned_prot(size, align, offset, prot, extra);
}

/* Gives the physical pages back; the range stays mapped and reads back as zeros. */
void mm_os_purge(void *p, size_t size)
{
	int saved = errno;                      /* free() must not change errno */
	madvise(p, size, MADV_DONTNEED);
	errno = saved;
}

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

/* A function of the vDSO by name, or NULL: its dynamic symbols found through PT_DYNAMIC, as far
 * as DT_HASH's chain count (the lookup the kernel's tools/testing/selftests/vDSO/parse_vdso.c
 * does). */
void *mm_vdso_func(const char *name)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)getauxval(AT_SYSINFO_EHDR);
	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return NULL;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	uintptr_t load = 0;                        /* where the vDSO's address 0 is mapped */
	const ElfW(Dyn) *dyn = NULL;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD)
			load = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)((const char *)eh + ph[i].p_offset);
	}
	const ElfW(Sym) *sym = NULL;
	const char *str = NULL;
	const ElfW(Word) *hash = NULL;
	for (; load && dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const ElfW(Sym) *)(load + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const char *)(load + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const ElfW(Word) *)(load + dyn->d_un.d_ptr);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (ElfW(Word) i = 0; i < hash[1]; i++)      /* hash[1]: nchain, the number of symbols */
		if (ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC && sym[i].st_shndx != SHN_UNDEF &&
		    !strcmp(str + sym[i].st_name, name))
			return (void *)(load + sym[i].st_value);
	return NULL;
}

/* The clock of purge deadlines: the vDSO's clock_gettime, called directly. libc's wrapper sits
 * in a part of libc that small programs do not run otherwise, and its first call would fault
 * in 64 KiB of libc (fault-around). libc's is the fallback (no vDSO: valgrind). */
uint64_t mm_clock_ms(void)
{
	static _Atomic(clock_gettime_fn) clock_fn;    /* every thread finds the same one */
	clock_gettime_fn fn = atomic_load_explicit(&clock_fn, memory_order_relaxed);
	if (mm_unlikely(!fn)) {
		if (!(fn = (clock_gettime_fn)mm_vdso_func("__vdso_clock_gettime")))
			fn = clock_gettime;
		atomic_store_explicit(&clock_fn, fn, memory_order_relaxed);
	}
	struct timespec ts;
	fn(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Writes "mmalloc: WHAT 0xADDR" with write(2) (stdio may allocate) and aborts. */
_Noreturn void mm_fatal(const char *what, const void *p)
{
	char buf[160] = "mmalloc: ";
	size_t n = strlen(buf);
	size_t w = strlen(what);
	if (w > sizeof(buf) - 40)
		w = sizeof(buf) - 40;
	memcpy(buf + n, what, w);
	n += w;
	buf[n++] = ' ';
	buf[n++] = '0';
	buf[n++] = 'x';
	uintptr_t v = (uintptr_t)p;
	int digits = 1;
	while (digits < 16 && (v >> (4 * digits)))  /* hex digits needed */
		digits++;
	for (int i = digits - 1; i >= 0; i--)
		buf[n++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		_exit(127);
	abort();
}

/* vm.overcommit_memory (the kernel's sysctl_overcommit_memory): OVERCOMMIT_GUESS,
 * OVERCOMMIT_ALWAYS or OVERCOMMIT_NEVER, read once (at load, below), for the span region's
 * setup (span.c); OVERCOMMIT_GUESS when it cannot be read. By syscall(), not libc's open and
 * read: no libc page that a small program would not touch anyway. Leaves errno alone. */
__attribute__((cold)) int mm_overcommit_memory(void)
{
	static _Atomic int mode = -1;
	int m = atomic_load_explicit(&mode, memory_order_relaxed);
	if (m >= 0)
		return m;
	int saved = errno;
	char c = '0';
	long fd = syscall(SYS_openat, AT_FDCWD, "/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (syscall(SYS_read, fd, &c, 1) != 1)
			c = '0';
		syscall(SYS_close, fd);
	}
	errno = saved;
	m = c == '1' ? OVERCOMMIT_ALWAYS : c == '2' ? OVERCOMMIT_NEVER : OVERCOMMIT_GUESS;
	atomic_store_explicit(&mode, m, memory_order_relaxed);
	return m;
}

/* Read at load: a process that confines itself later (seccomp) to the calls it needs should
 * not meet an openat at its first large block. */
__attribute__((constructor)) static void overcommit_at_load(void)
{
	mm_overcommit_memory();
}

/* splitmix64's finalizer: a bijection that spreads every input bit over the output. */
static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Picks the secret that cookies and free marks are xored with; called with mm_global_lock.
 * A freed block's mark gives it away to a use-after-free read, so it must be a secret of its
 * own: from getrandom(2), else hashed from the 16 AT_RANDOM bytes, never those bytes as they
 * are (glibc's stack canary and pointer guard are made of them). syscall(), not the libc
 * wrapper: no libc page that a small program would not touch anyway. */
void mm_init(void)
{
	if (mm_secret)
		return;
	uint64_t s = 0;
	if (syscall(SYS_getrandom, &s, sizeof(s), GRND_NONBLOCK) != (long)sizeof(s)) {
		uint64_t r[2] = { (uintptr_t)&s, mm_clock_ms() };
		const void *a = (const void *)getauxval(AT_RANDOM);
		if (a)
			memcpy(r, a, sizeof(r));
		s = mix64(r[0] ^ mix64(r[1] ^ (uintptr_t)&s));
	}
	mm_secret = (uintptr_t)s | 1;           /* never 0: a zeroed header never validates */
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&mm_late_lock);
	pthread_mutex_lock(&mm_global_lock);
}

static void fork_done(void)
{
	pthread_mutex_unlock(&mm_global_lock);
	pthread_mutex_unlock(&mm_late_lock);
}

static void fork_child(void)
{
	mm_heap_fork_child();
	fork_done();
}

/* A fork() while another thread holds the global lock (segments, spans, heaps) or the late
 * heap's would leave the child's copy locked forever: the forking thread holds them across
 * fork. The child's thread has a tid of its own (heap.c). Registered before the program's own
 * handlers (the first constructor priority open to programs; linked statically, ours would
 * otherwise run in link order): prepare handlers run newest first, so ours runs after theirs,
 * which may malloc, as glibc's fork locks its own malloc last. */
__attribute__((constructor(101))) static void fork_handlers(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_child);
}

/* MMALLOC_STATS=1: the statistics at exit. Here, with the library's init, which every program
 * that links libmmalloc.a pulls in: stats.c alone would be left out of a static link. */
__attribute__((destructor)) static void stats_at_exit(void)
{
	const char *e = getenv("MMALLOC_STATS");
	if (e && *e && strcmp(e, "0") != 0)
		mmalloc_stats_print(2);
}
