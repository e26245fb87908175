/* libmmalloc tests (linked statically, so malloc here is ours): every function of the malloc
 * family and its edge cases, hardening aborts, memory given back, fork, and a cross-thread
 * stress with random sizes and alignments that verifies every block's contents. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include "malloc_totals.h"
#include "mmalloc.h"
#include "tap.h"

/* Values the compiler cannot see through: the bad calls below are deliberate. */
static size_t opaque(size_t v)
{
	volatile size_t x = v;
	return x;
}

/* libmmalloc internals (hidden, linked statically) */
#include "../../alloc/malloc/internal.h"

static void *hide(void *p)
{
	void *volatile q = p;
	return q;
}

static void test_malloc_free(void)
{
	void *a = malloc(0), *b = malloc(0);
	ok(a && b && a != b, "malloc(0) returns distinct pointers");
	free(a);
	free(b);
	free(NULL);
	bool good = true;
	void *p[2100];
	for (size_t n = 1; n < 2100; n++) {
		p[n] = malloc(n);
		good &= p[n] && ((uintptr_t)p[n] % 16) == 0 && malloc_usable_size(p[n]) >= n;
		fill(p[n], n, (unsigned)n);
	}
	for (size_t n = 1; n < 2100; n++) {
		good &= check_fill(p[n], n, (unsigned)n);
		free(p[n]);
	}
	ok(good, "malloc 1..2099 bytes: aligned to 16, usable size, contents kept");
	ok(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) is 0");
	for (size_t n = 4096; n <= tap_scaled(64u << 20); n *= 2) {
		unsigned char *q = malloc(n + 1);
		good &= q && malloc_usable_size(q) >= n + 1;
		fill(q, n + 1, 3);
		good &= check_fill(q, n + 1, 3);
		free(q);
	}
	ok(good, "malloc 4 KiB..64 MiB");
	errno = 0;
	ok(malloc(opaque(SIZE_MAX)) == NULL && errno == ENOMEM, "malloc(SIZE_MAX) fails with ENOMEM");
	errno = 0;
	ok(malloc(opaque((size_t)PTRDIFF_MAX + 1)) == NULL && errno == ENOMEM, "malloc(PTRDIFF_MAX + 1) fails");
}

static void test_calloc(void)
{
	bool zero = true;
	for (size_t n = 1; n < (4u << 20); n = n * 3 + 1) {
		unsigned char *p = malloc(n);            /* dirty a block of that size first */
		memset(p, 0xff, n);
		free(p);
		p = calloc(n, 1);
		for (size_t i = 0; i < n; i++)
			zero &= p[i] == 0;
		free(p);
	}
	ok(zero, "calloc returns zeroed memory, also for reused blocks");
	errno = 0;
	ok(calloc(opaque(SIZE_MAX / 2), 3) == NULL && errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
	void *z = calloc(0, 5);
	ok(z != NULL, "calloc(0, n) returns a pointer");
	free(z);
}

static void test_realloc(void)
{
	unsigned char *p = malloc(100), ref[100];
	fill(p, 100, 9);
	memcpy(ref, p, sizeof(ref));                /* the pattern depends on the first address */
	unsigned char *q = realloc(p, 110);
	ok(q == p, "realloc within the size class stays in place");
	bool good = !memcmp(q, ref, 100);
	size_t n = 100;
	for (size_t m = 200; m < (32u << 20); m = m * 2 + 7) {   /* grow through every kind */
		q = realloc(q, m);
		good &= !memcmp(q, ref, 100);
		n = m;
	}
	ok(good && malloc_usable_size(q) >= n, "realloc growth to 32 MiB keeps contents");
	unsigned char *a = aligned_alloc(256, 300);  /* inside a block of 560: no block start */
	fill(a, 300, 5);
	size_t au = malloc_usable_size(a);
	unsigned char *a2 = realloc(a, au);
	unsigned char *a3 = realloc(a2, 2000);
	ok(a && (uintptr_t)a % 256 == 0 && a2 == a && a3 && check_fill(a3, 300, 5),
	   "realloc of an aligned pointer inside a block: in place up to its usable size, then moved");
	free(a3);
	q = realloc(q, 50);
	ok(q && !memcmp(q, ref, 50), "realloc shrink keeps contents");
	ok(realloc(q, 0) == NULL, "realloc(p, 0) frees and returns NULL");
	q = malloc(5000);
	fill(q, 5000, 4);
	unsigned char *r = realloc(q, 9000);          /* past the small classes: a span */
	ok(r && check_fill(r, 5000, 4) && malloc_usable_size(r) % 4096 == 0 && realloc(r, 20000) == r,
	   "a block growing past 8 KiB moves to pages that grow in place");
	free(r);
	q = realloc(NULL, 77);
	ok(q != NULL, "realloc(NULL, n) allocates");
	errno = 0;
	ok(realloc(hide(q), opaque(SIZE_MAX)) == NULL && errno == ENOMEM,
	   "realloc to SIZE_MAX fails, block kept");
	errno = 0;
	ok(reallocarray(hide(q), opaque(SIZE_MAX / 2), 4) == NULL && errno == ENOMEM, "reallocarray overflow");
	q = reallocarray(q, 10, 10);
	ok(q && malloc_usable_size(q) >= 100, "reallocarray");
	free(q);
	good = true;
	for (int k = 0; k < 3; k++) {                  /* a large block: a span, resized in place */
		static const size_t huge[3] = { ((size_t)1 << 44) + 4096, (size_t)1 << 62, SIZE_MAX - 4095 };
		q = malloc(100000);
		fill(q, 100000, 5);
		errno = 0;
		r = realloc(hide(q), opaque(huge[k]));  /* its page count does not fit in 32 bits */
		good &= r ? malloc_usable_size(r) >= huge[k] : errno == ENOMEM && check_fill(q, 100000, 5);
		free(r ? r : q);
	}
	ok(good, "realloc of a large block to a size beyond any span fails (ENOMEM) or is that large");
}

/* What the kernel's overcommit policy says of a block, p, just asked for: granted, or refused
 * with ENOMEM. Clears errno for the next. */
static bool overcommit_said(const void *p, bool granted)
{
	bool said = granted ? p != NULL : p == NULL && errno == ENOMEM;
	errno = 0;
	return said;
}

/* Blocks larger than RAM and swap (at least 2 GiB: beyond any span) get mappings of their
 * own, charged to the commit limit as glibc's are: the kernel's overcommit policy decides.
 * Under its heuristic (vm.overcommit_memory 0) and under strict accounting (2) it refuses
 * them: NULL and ENOMEM, and a block that realloc cannot grow is kept; when it always
 * overcommits (1) it grants them, untouched. */
static void test_overcommit(void)
{
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	int mode = f ? fgetc(f) - '0' : 0;
	if (f)
		fclose(f);
	struct sysinfo si = { 0 };
	bool good = !sysinfo(&si), granted = mode == 1;
	size_t total = ((size_t)si.totalram + si.totalswap) * si.mem_unit;
	size_t big = 2 * total > ((size_t)2 << 30) ? 2 * total : (size_t)2 << 30;
	void *p[6] = { NULL };
	errno = 0;
	good &= overcommit_said(p[0] = malloc(opaque(big)), granted);
	good &= overcommit_said(p[1] = calloc(opaque(big / 8), 8), granted);
	good &= overcommit_said(p[2] = aligned_alloc(8u << 20, opaque(big)), granted);
	good &= overcommit_said(p[3] = memalign(1u << 30, opaque(big)), granted);
	good &= overcommit_said(p[4] = valloc(opaque(big)), granted);
	int rc = posix_memalign(&p[5], 4096, opaque(big));
	good &= granted ? rc == 0 : rc == ENOMEM;
	unsigned char *q = malloc(100000);
	fill(q, 100000, 9);
	unsigned char *r = realloc(hide(q), opaque(big));
	good &= overcommit_said(r, granted) && check_fill(r ? r : q, 100000, 9);
	free(r ? r : q);
	for (int i = 0; i < 6; i++)
		free(p[i]);
	printf("# vm.overcommit_memory %d; RAM and swap %zu MiB; blocks of %zu MiB\n", mode,
	       total >> 20, big >> 20);
	ok(good, granted ? "blocks larger than RAM and swap: granted, as the kernel always overcommits"
			 : "blocks larger than RAM and swap: refused by the kernel's overcommit policy (ENOMEM)");
}

static void test_aligned(void)
{
	bool good = true;
	void *p;
	for (size_t a = sizeof(void *); a <= (16u << 20); a *= 2) {
		for (size_t n = 1; n < (3u << 20); n = n * 7 + 3) {
			good &= posix_memalign(&p, a, n) == 0 && ((uintptr_t)p % a) == 0;
			fill(p, n, 5);
			good &= check_fill(p, n, 5) && malloc_usable_size(p) >= n;
			free(p);
		}
	}
	ok(good, "posix_memalign 8 B..16 MiB alignments, many sizes");
	ok(posix_memalign(&p, 24, 8) == EINVAL && posix_memalign(&p, 4, 8) == EINVAL,
	   "posix_memalign: bad alignment is EINVAL");
	p = aligned_alloc(4096, 10000);
	ok(p && ((uintptr_t)p % 4096) == 0, "aligned_alloc");
	free(p);
	errno = 0;
	/* Through volatiles: the compiler would reject a constant alignment that is not a power of 2. */
	volatile size_t align48 = 48, align100 = 100;
	ok(aligned_alloc(align48, 96) == NULL && errno == EINVAL, "aligned_alloc: bad alignment");
	p = memalign(align100, 1000);
	ok(p && ((uintptr_t)p % 128) == 0, "memalign rounds odd alignments up");
	free(p);
	p = valloc(5);
	ok(p && ((uintptr_t)p % 4096) == 0, "valloc is page aligned");
	free(p);
	p = pvalloc(5);
	ok(p && ((uintptr_t)p % 4096) == 0 && malloc_usable_size(p) >= 4096, "pvalloc rounds the size");
	free(p);
	errno = 0;
	ok(posix_memalign(&p, 64, SIZE_MAX - 10) == ENOMEM, "posix_memalign huge size is ENOMEM");
	/* glibc's memalign: an alignment above SIZE_MAX / 2 + 1 is EINVAL, one up to it rounds up
	 * and fails for want of memory */
	volatile size_t top = (size_t)1 << 63, over = top + 1, near = top - 4096;
	errno = 0;
	bool good_top = memalign(top, 16) == NULL && errno == ENOMEM;
	errno = 0;
	bool good_near = memalign(near, 16) == NULL && errno == ENOMEM;
	errno = 0;
	ok(good_top && good_near && memalign(over, 16) == NULL && errno == EINVAL &&
	   posix_memalign(&p, top, 16) == ENOMEM,
	   "memalign: alignment up to SIZE_MAX / 2 + 1 is ENOMEM, above it EINVAL");
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	if (f)
		fclose(f);
	return rss * 4;
}

/* Empty segments are purged but stay mapped (a late remote free may read a page descriptor in
 * one): a thread fills a dozen segments with 8 KiB blocks, frees them and exits; each segment
 * is still mapped afterwards, with at most one page resident (the link of the cache). */
enum { SEG_BLOCKS = 6000 };
static uintptr_t seg_addr[SEG_BLOCKS];

static void *segment_thread(void *arg)
{
	(void)arg;
	static char *blk[SEG_BLOCKS];
	for (int i = 0; i < SEG_BLOCKS; i++) {
		blk[i] = malloc(8192);
		blk[i][0] = 1;
		seg_addr[i] = (uintptr_t)blk[i] & ~(((uintptr_t)4 << 20) - 1);
	}
	for (int i = 0; i < SEG_BLOCKS; i++)
		free(blk[i]);
	return NULL;
}

/* Whether the OS page at p holds memory of the process's own (below). */
static bool page_committed(uintptr_t p);

/* A thread takes blocks of the same class until one lands in a segment that segment_thread
 * emptied (its heap takes exited threads' pages first): that segment came from the cache, and
 * its page descriptors are zeros already (each was cleared when its page was freed, the
 * header's other pages purged), so only the first header page is written again. */
static void *segment_reuse_thread(void *arg)
{
	bool *r = arg;
	static char *blk[SEG_BLOCKS];
	int n = 0;
	while (n < SEG_BLOCKS && !r[0]) {
		blk[n] = malloc(8192);
		uintptr_t seg = (uintptr_t)blk[n++] & ~(((uintptr_t)4 << 20) - 1);
		for (int i = 0; i < SEG_BLOCKS && !r[0]; i++)
			r[0] = seg_addr[i] == seg;
		r[1] = r[0] && !page_committed(seg + MM_OS_PAGE) && !page_committed(seg + 2 * MM_OS_PAGE);
	}
	while (n)
		free(blk[--n]);
	return NULL;
}

static void test_segments_kept(void)
{
	pthread_t t;
	pthread_create(&t, NULL, segment_thread, NULL);
	pthread_join(t, NULL);
	unsigned char vec[1024];                      /* 4 MiB of 4 KiB pages */
	size_t segs = 0, mapped = 0, resident = 0;
	for (int i = 0; i < SEG_BLOCKS; i++) {
		if (i && seg_addr[i] == seg_addr[i - 1])
			continue;
		segs++;
		if (mincore((void *)seg_addr[i], (size_t)4 << 20, vec))
			continue;                         /* ENOMEM: unmapped */
		mapped++;
		for (size_t k = 0; k < sizeof(vec); k++)
			resident += vec[k] & 1;
	}
	printf("# %zu segments emptied: %zu still mapped, %zu pages resident in them\n", segs, mapped,
	       resident);
	ok(segs >= 10 && mapped == segs && resident <= segs,
	   "an emptied segment stays mapped, purged but for one page");
	bool reused[2] = { false, false };
	pthread_create(&t, NULL, segment_reuse_thread, reused);
	pthread_join(t, NULL);
	printf("# a cached segment taken again: %d; its purged header pages untouched: %d\n",
	       reused[0], reused[1]);
	ok(reused[0] && reused[1], "a segment taken from the cache writes only its first header page");
}

static void test_return_memory(void)
{
	enum { N = 400000 };
	void **v = malloc(N * sizeof(void *));
	long before = rss_kib();
	for (int i = 0; i < N; i++)
		memset(v[i] = malloc(256), 1, 256);
	long peak = rss_kib();
	for (int i = 0; i < N; i++)
		free(v[i]);
	usleep(120 * 1000);                          /* past the purge delay */
	void *volatile slow = malloc(3000);          /* a slow path: purges what is due */
	free(slow);
	long after = rss_kib();
	printf("# rss before %ld KiB, peak %ld KiB, after free %ld KiB\n", before, peak, after);
	ok(peak - before > 80000 && after - before < (peak - before) / 4,
	   "freed memory goes back to the system");
	free(v);
}

/* Each class keeps its last page when it empties, so that a class used on and off does not
 * take a page and give it back each time; past the purge delay, those pages go back too. A
 * thread of its own fills 60 KiB in each class up to 1 KiB, frees it all, waits and makes one
 * slow-path malloc (a new class): what it kept of 3.75 MiB must be gone. */
static void *idle_classes_thread(void *arg)
{
	long *rss = arg;
	enum { PER_CLASS = 60 << 10, CLASSES = 64, MAX_BLOCKS = PER_CLASS / 16 };
	static unsigned char *blk[CLASSES][MAX_BLOCKS];
	rss[0] = rss_kib();
	for (size_t c = 0; c < CLASSES; c++)
		for (size_t i = 0; i < PER_CLASS / ((c + 1) * 16); i++)
			memset(blk[c][i] = malloc((c + 1) * 16), 1, (c + 1) * 16);
	rss[1] = rss_kib();
	for (size_t c = 0; c < CLASSES; c++)
		for (size_t i = 0; i < PER_CLASS / ((c + 1) * 16); i++)
			free(blk[c][i]);
	rss[2] = rss_kib();
	usleep(120 * 1000);                          /* past the purge delay */
	void *volatile slow = malloc(3000);          /* a class not used yet: the slow path */
	free(slow);
	rss[3] = rss_kib();
	return NULL;
}

static void test_idle_classes(void)
{
	long rss[4];
	pthread_t t;
	pthread_create(&t, NULL, idle_classes_thread, rss);
	pthread_join(t, NULL);
	long filled = rss[1] - rss[0];
	printf("# rss before %ld KiB, filled %ld KiB, freed %ld KiB, past the delay %ld KiB\n",
	       rss[0], rss[1], rss[2], rss[3]);
	ok(filled > 3000 && rss[3] - rss[0] < filled / 8,
	   "the empty page each class keeps goes back to the system past the purge delay");
}

/* Whether the OS page at p holds memory of the process's own (/proc/self/pagemap: present and
 * mapped by this process alone), not the shared zero page that a read of untouched anonymous
 * memory maps (mincore counts that one as resident). */
static bool page_committed(uintptr_t p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	bool got = fd >= 0 && pread(fd, &e, sizeof(e), (off_t)(p / MM_OS_PAGE * sizeof(e))) == sizeof(e);
	if (fd >= 0)
		close(fd);
	return got && (e >> 63 & 1) && (e >> 56 & 1);
}

/* A heap's lists of other threads' blocks (one per small class) are set up on their first
 * block: a thread that frees only its own blocks never reads or writes them (malloc's slow
 * path looks at a class's list only once it is set up), and the OS pages that lie wholly
 * inside their array stay uncommitted (where the kernel maps no zero page, a read commits one
 * too). The thread's heap must be a fresh one (a reused heap's lists were set up by its last
 * thread): the test runs before any thread exits. It uses classes (330, 460, 590 bytes) that
 * the tests that need unused classes do not. */
static void *foreign_lazy_thread(void *arg)
{
	size_t *counts = arg;                        /* whole pages, committed ones */
	free(hide(malloc(4000)));
	for (size_t n = 330; n < 600; n += 130)      /* small classes: malloc's slow path too */
		free(hide(malloc(n)));
	mm_page_t *f = mm_tls_heap->foreign;
	uintptr_t lo = ((uintptr_t)f + MM_OS_PAGE - 1) & ~(uintptr_t)(MM_OS_PAGE - 1);
	for (uintptr_t p = lo; p + MM_OS_PAGE <= (uintptr_t)(f + MM_DIRECT_BINS); p += MM_OS_PAGE) {
		counts[0]++;
		counts[1] += page_committed(p);
	}
	return NULL;
}

static void test_foreign_lists_lazy(void)
{
	size_t counts[2] = { 0, 0 };
	pthread_t t;
	pthread_create(&t, NULL, foreign_lazy_thread, counts);
	pthread_join(t, NULL);
	printf("# foreign lists of a fresh heap: %zu whole pages, %zu committed\n", counts[0], counts[1]);
	ok(counts[0] >= 1 && counts[1] == 0,
	   "a thread that frees only its own blocks commits none of its foreign lists");
}

/* Large blocks (spans) follow glibc's dynamic mmap and trim thresholds: one larger than twice
 * any freed before goes back to the system at free, one as large as a block freed before, or
 * up to twice as large, stays committed for the next; calloc zeroes only the pages that were
 * in use before. No timing involved. */
/* Writes every byte of p (the stores cannot be optimised away: a byte is read back). */
static void touch(unsigned char *p, size_t n, int c)
{
	memset(p, c, n);
	if (((volatile unsigned char *)p)[n - 1] != (unsigned char)c)
		abort();
}

static void test_large_free(void)
{
	size_t big = 48u << 20, n = 24u << 20, small = 100u << 10;
	unsigned char *p = hide(malloc(big));
	touch(p, big, 1);
	long full = rss_kib();
	free(p);
	long freed = rss_kib();
	printf("# rss with a 48 MiB block %ld KiB, after its free %ld KiB\n", full, freed);
	ok(full - freed > 46 * 1024, "a block larger than any freed before goes back at free");
	bool reused = true;
	for (int round = 0; round < 3; round++) {
		p = hide(malloc(n));
		touch(p, n, 2);
		long used = rss_kib();
		free(p);
		long kept = rss_kib();
		if (round > 0)                           /* the first free raised the threshold */
			reused &= used - kept < 1024;
	}
	p = hide(malloc(n));
	long before = rss_kib();
	touch(p, n, 3);
	reused &= rss_kib() - before < 1024;         /* on the committed pages: no new memory */
	free(p);
	ok(reused, "a block as large as one freed before is kept committed and reused");
	size_t larger = 30u << 20;                   /* above 24 MiB, within twice it */
	p = hide(malloc(larger));
	touch(p, larger, 4);
	long used = rss_kib();
	free(p);
	long kept = rss_kib();
	printf("# rss with a 30 MiB block %ld KiB, after its free %ld KiB\n", used, kept);
	ok(used - kept < 1024, "a block larger than any kept before, within twice its size, is kept committed");
	p = hide(malloc(small));
	touch(p, small, 0xff);
	free(p);                                     /* below the threshold: stays committed */
	before = rss_kib();
	unsigned char *z = hide(calloc(1, 64u << 20)); /* over the committed pages and fresh ones */
	long after = rss_kib();
	bool zero = z != NULL;
	for (size_t i = 0; zero && i < (64u << 20); i++)
		zero = z[i] == 0;
	printf("# rss before a 64 MiB calloc %ld KiB, after %ld KiB\n", before, after);
	ok(zero && after - before < 1024, "calloc of a large block zeroes its reused pages, leaves fresh ones untouched");
	free(z);
}

/* Freed spans of a size whose kept pages went unused are purged at once, the next two of
 * them; the third is kept again. 3 MiB blocks (an order of size no other test frees), after
 * test_large_free, whose 24 MiB frees raised the threshold above them. The first one's pages
 * wait past the 100 ms deadline and go when a span of another size is taken. */
static bool span_freed_committed(size_t n)
{
	unsigned char *p = hide(malloc(n));
	uintptr_t a = (uintptr_t)p;
	touch(p, n, 5);
	free(p);
	return page_committed(a) && page_committed(a + n - MM_OS_PAGE);
}

static void test_span_unused_purged(void)
{
	size_t n = 3u << 20;
	unsigned char *p = hide(malloc(n));
	uintptr_t a = (uintptr_t)p;
	touch(p, n, 6);
	free(p);
	bool kept = page_committed(a);
	usleep(160 * 1000);                          /* past the deadline of committed free pages */
	free(hide(malloc(100u << 10)));              /* a span operation: expired pages are purged */
	bool expired = !page_committed(a + n / 2);   /* (that span may take its first pages) */
	bool next[3];
	for (int i = 0; i < 3; i++)
		next[i] = span_freed_committed(n);
	printf("# 3 MiB block: kept at free %d, purged unused %d; the next three kept at free %d %d %d\n",
	       kept, expired, next[0], next[1], next[2]);
	ok(kept && expired, "a freed large block below the threshold stays committed until its deadline");
	ok(!next[0] && !next[1] && next[2],
	   "after one went unused, the next two frees of its size are purged at once, the third kept");
}

/* When large blocks grow to their high-water mark, the growing thread's heap gives back its
 * empty pages at once, not at their deadline: the kept last page of a class is purged by a
 * malloc or a realloc that makes the spans larger than ever (512 MiB, then 600 MiB: above any
 * block of the tests before; address space only), not by a large malloc below that mark. A
 * thread of its own: a heap whose pages the test knows. */
static uintptr_t class_page_kept(void)
{
	enum { N = 4 };
	unsigned char *b[N];
	for (int i = 0; i < N; i++)
		memset(b[i] = malloc(3000), 1, 3000);
	for (int i = 0; i < N; i++)
		free(b[i]);                              /* its page is empty, kept until the deadline */
	return page_committed((uintptr_t)b[0]) ? (uintptr_t)b[0] : 0;
}

static void *peak_purge_thread(void *arg)
{
	bool *r = arg;
	uintptr_t kept = class_page_kept();
	unsigned char *big = hide(malloc(512u << 20));
	r[0] = kept && big && !page_committed(kept);
	kept = class_page_kept();
	unsigned char *bigger = hide(realloc(big, 600u << 20));
	r[1] = kept && bigger && !page_committed(kept);
	free(bigger);
	kept = class_page_kept();
	unsigned char *below = hide(malloc(1u << 20));
	r[2] = kept && below && page_committed(kept);
	free(below);
	return NULL;
}

static void test_peak_purge(void)
{
	bool r[3] = { false };
	pthread_t t;
	pthread_create(&t, NULL, peak_purge_thread, r);
	pthread_join(t, NULL);
	printf("# a class's kept empty page purged by a malloc to a new peak %d, by a realloc %d; "
	       "kept through a malloc below it %d\n", r[0], r[1], r[2]);
	ok(r[0] && r[1], "large blocks at their high-water mark: the thread's empty pages go back at once");
	ok(r[2], "a large block below the high-water mark leaves them committed");
}

/* A size class without a free block takes one of a class at most twice as large that the heap
 * holds before it carves new memory. Runs in a thread of its own (a heap of its own) with
 * classes above 1 KiB, which no exited thread of the tests left pages of. */
static void *borrow_thread(void *arg)
{
	enum { N = 40 };
	static unsigned char *a[N], *b[N / 2];
	bool *good = arg;
	for (int i = 0; i < N; i++)
		a[i] = malloc(1536);
	for (int i = 1; i < N; i++)
		free(a[i]);                               /* the page keeps 39 free blocks */
	for (int i = 0; i < N / 2; i++) {
		b[i] = malloc(1100);                      /* class 1280: no page in this heap */
		*good &= malloc_usable_size(b[i]) == 1536 && b[i] != a[0];
		fill(b[i], 1100, (unsigned)i);
	}
	for (int i = 0; i < N / 2; i++) {
		*good &= check_fill(b[i], 1100, (unsigned)i);
		free(b[i]);
	}
	free(a[0]);
	return NULL;
}

/* Runs fn in a new thread (a heap of its own), which reports through the flag it is given. */
static bool in_new_thread(void *(*fn)(void *), bool good)
{
	pthread_t t;
	pthread_create(&t, NULL, fn, &good);
	pthread_join(t, NULL);
	return good;
}

static void test_borrow(void)
{
	ok(in_new_thread(borrow_thread, true),
	   "a class without free blocks takes the free blocks of a larger class");
}

/* The statistics' row of a block size: allocations, frees and live bytes. */
static void stats_row(size_t size, unsigned long long v[3])
{
	FILE *f = tmpfile();
	char line[256];
	v[0] = v[1] = v[2] = 0;
	if (!f)
		return;
	mmalloc_stats_print(fileno(f));
	rewind(f);
	size_t bs;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%zu %llu %llu %llu", &bs, &v[0], &v[1], &v[2]) == 4 && bs == size)
			break;
		else
			v[0] = v[1] = v[2] = 0;
	fclose(f);
}

/* A fresh thread (no other class to borrow from) allocates 1000 blocks of 200 bytes (the
 * 208-byte class) and frees 400: the statistics count exactly that. */
static void *stats_thread(void *arg)
{
	bool *good = arg;
	unsigned long long a[3], b[3];
	void *p[1000];
	stats_row(208, a);
	for (int i = 0; i < 1000; i++)
		p[i] = malloc(200);
	for (int i = 0; i < 400; i++)
		free(p[i]);
	stats_row(208, b);
	*good = b[0] - a[0] == 1000 && b[1] - a[1] == 400 && b[2] - a[2] == 600 * 208;
	printf("# 208-byte class: allocs +%llu, frees +%llu, live bytes +%llu\n", b[0] - a[0],
	       b[1] - a[1], b[2] - a[2]);
	for (int i = 400; i < 1000; i++)
		free(p[i]);
	return NULL;
}

/* A class without free blocks borrows a block of a larger class; posix_memalign of the class
 * must not get one: 528-byte blocks are not aligned to 512. Runs in the main thread before the
 * classes 512..528 were used. */
static void test_borrow_aligned(void)
{
	unsigned char *l[4];
	for (int i = 0; i < 4; i++)
		l[i] = malloc(528);
	for (int i = 1; i < 4; i++)
		free(l[i]);                               /* the 528-byte page has free blocks */
	unsigned char *s[2] = { malloc(512), malloc(512) };
	void *al = NULL;
	bool good = malloc_usable_size(s[0]) == 528 && malloc_usable_size(s[1]) == 528 &&
		    posix_memalign(&al, 512, 512) == 0 && (uintptr_t)al % 512 == 0;
	printf("# borrowed blocks of %zu and %zu bytes for malloc(512); posix_memalign(512): %p\n",
	       malloc_usable_size(s[0]), malloc_usable_size(s[1]), al);
	ok(good, "a class without free blocks borrows a larger class's; posix_memalign of it gets its own");
	free(al);
	free(s[0]);
	free(s[1]);
	free(l[0]);
}

/* Borrowing is one block at a time and leaves the lender page MM_BORROW_KEEP free blocks:
 * a lender is never drained. The borrower's next malloc after a free of its own block gets
 * that block back, not the lender's. A class more than twice the size lends nothing. Runs in a
 * thread of its own with classes above 512 bytes, which no exited thread left pages of. */
static void *borrow_keep_thread(void *arg)
{
	enum { N = 40 };
	static unsigned char *a[N];
	bool *good = arg;
	for (int i = 0; i < N; i++)
		a[i] = malloc(1536);
	for (int i = 1; i <= MM_BORROW_KEEP + 1; i++)
		free(a[i]);                               /* one free block more than it keeps */
	unsigned char *b1 = malloc(1100), *b2 = malloc(1100);
	size_t u1 = malloc_usable_size(b1), u2 = malloc_usable_size(b2);
	free(b2);
	unsigned char *b3 = malloc(1100);
	unsigned char *c = malloc(700);               /* 704: half of 1536 is more */
	printf("# malloc(1100): %zu, then %zu bytes; after a free of its own: %s; malloc(700): %zu\n",
	       u1, u2, b3 == b2 ? "that block" : "another", malloc_usable_size(c));
	*good &= u1 == 1536 && u2 == 1280 && b3 == b2 && malloc_usable_size(c) == 704;
	free(c);
	free(b3);
	free(b1);
	free(a[0]);
	for (int i = MM_BORROW_KEEP + 2; i < N; i++)
		free(a[i]);
	return NULL;
}

/* The lender need not be the front page of its class: with the front page down to its last
 * MM_BORROW_KEEP free blocks, the next page of the class lends. A thread of its own: 1536-byte
 * blocks fill one page, then MM_BORROW_KEEP + 2 go to the next; that page frees all but one of
 * them, and the first page (now at the front of the queue) frees MM_BORROW_KEEP. */
static void *borrow_next_page_thread(void *arg)
{
	enum { N = 200 };
	static unsigned char *a[N];
	bool *good = arg;
	int n = 0, first_of_b = -1;
	while (n < N && (first_of_b < 0 || n - first_of_b < MM_BORROW_KEEP + 2)) {
		a[n] = malloc(1536);
		if (first_of_b < 0 && mm_page_of(a[n]) != mm_page_of(a[0]))
			first_of_b = n;
		n++;
	}
	mm_page_t *pa = mm_page_of(a[0]), *pb = mm_page_of(a[n - 1]);
	for (int i = first_of_b + 1; i < n; i++)
		free(a[i]);
	for (int i = 0; i < MM_BORROW_KEEP; i++)
		free(a[i]);
	unsigned char *b = malloc(1100);
	const char *from = mm_page_of(b) == pb ? "the next page's" :
			   mm_page_of(b) == pa ? "the front page's" : "its own";
	printf("# malloc(1100) with the front page at its last free blocks: %zu bytes, %s\n",
	       malloc_usable_size(b), from);
	*good &= first_of_b > 0 && malloc_usable_size(b) == 1536 && mm_page_of(b) == pb;
	free(b);
	for (int i = MM_BORROW_KEEP; i <= first_of_b; i++)
		free(a[i]);
	return NULL;
}

static void test_borrow_keep(void)
{
	ok(in_new_thread(borrow_keep_thread, true),
	   "a class borrows one block at a time, never a lender's last few, never from twice its size");
	ok(in_new_thread(borrow_next_page_thread, true), "a lender's next page lends when its front page cannot");
}

static void test_stats(void)
{
	ok(in_new_thread(stats_thread, false), "statistics count a class's allocations, frees and live bytes");
}

/* The owner's frees are reused last in, first out: the next malloc of the class gets the block
 * freed last, still in the cache, before blocks carved earlier and never used. */
static void *lifo_thread(void *arg)
{
	bool *good = arg;
	void *a = malloc(48), *b = malloc(48), *c = malloc(48);
	free(b);
	void *b2 = malloc(48);
	free(a);
	free(c);
	void *c2 = malloc(48), *a2 = malloc(48);
	*good = b2 == b && c2 == c && a2 == a;
	free(a2);
	free(b2);
	free(c2);
	return NULL;
}

static void test_free_lifo(void)
{
	ok(in_new_thread(lifo_thread, false), "the owner's frees come back last in, first out");
}

/* A thread that allocates a class and frees another thread's blocks of it keeps those on its
 * foreign list of the class, and from then on chooses between that list and the page without
 * a branch on the owner (free.c): its own frees still go to their page, the others' to the
 * list, and malloc takes from the list freed to last, last in, first out. The 784-byte class:
 * not used by the tests before, nor within the reach of their borrowing classes. */
static void *mixed_frees_thread(void *arg)
{
	enum { N = 8 };
	void **remote = arg;                         /* two blocks of the main thread's heap */
	void *a[N];
	for (int i = 0; i < N; i++)
		a[i] = malloc(784);
	int k = 1;                                   /* a[k]'s free leaves a[0] on its page */
	while (k < N - 1 && mm_page_of(a[k]) != mm_page_of(a[0]))
		k++;
	mm_heap_t *heap = mm_tls_heap;
	mm_page_t *f = &heap->foreign[mm_bin(784)], *own = mm_page_of(a[k]);
	bool good = heap->foreign_mask == 0 && own == mm_page_of(a[0]) &&
		    malloc_usable_size(remote[0]) == 784 && malloc_usable_size(remote[1]) == 784;
	free(remote[0]);                             /* sets up the list: the mixed free path */
	good &= heap->foreign_mask == (uint64_t)1 << mm_bin(784) && f->free == remote[0];
	void *r1 = malloc(784);
	free(remote[1]);                             /* to the list */
	free(a[k]);                                  /* to its page, freed last */
	good &= f->free == remote[1] && own->free == a[k];
	void *o1 = malloc(784);                      /* from the list freed to last */
	free(r1);                                    /* to the list again, above remote[1] */
	void *r2 = malloc(784), *r3 = malloc(784);
	good &= r1 == remote[0] && o1 == a[k] && r2 == remote[0] && r3 == remote[1];
	free(o1);
	free(r2);
	free(r3);
	for (int i = 0; i < N; i++)
		if (i != k)
			free(a[i]);
	return good ? arg : NULL;
}

static void test_mixed_frees(void)
{
	void *remote[2] = { malloc(784), malloc(784) };
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, mixed_frees_thread, remote);
	pthread_join(t, &r);
	ok(r == remote, "a thread that frees its own and other threads' blocks of a class: "
	   "the others' to its foreign list, its own to their page, the last freed taken first");
}

/* A thread with a heap that frees blocks of a class it does not allocate (a consumer) gives them
 * back to their page at once: their owner gets them again, rather than carving new ones while
 * the consumer holds them in its cache. */
enum { HANDED = 64 };                               /* 64-byte blocks: the first OS page carved */
static unsigned char *handed[HANDED];
static pthread_barrier_t hand_barrier;

static void *consumer_thread(void *arg)
{
	(void)arg;
	void *own = hide(malloc(2000));                  /* the consumer has a heap */
	pthread_barrier_wait(&hand_barrier);             /* the producer allocated */
	for (int i = 0; i < HANDED; i++)
		free(handed[i]);
	pthread_barrier_wait(&hand_barrier);             /* the producer allocates again */
	pthread_barrier_wait(&hand_barrier);
	free(own);
	return NULL;
}

static void *producer_thread(void *arg)
{
	bool *good = arg;
	unsigned char *first[HANDED];
	for (int i = 0; i < HANDED; i++)
		first[i] = handed[i] = malloc(64);
	pthread_barrier_wait(&hand_barrier);
	pthread_barrier_wait(&hand_barrier);             /* every block freed by the consumer */
	int back = 0;
	for (int i = 0; i < HANDED; i++) {
		handed[i] = malloc(64);
		for (int k = 0; k < HANDED; k++)
			back += handed[i] == first[k];
	}
	pthread_barrier_wait(&hand_barrier);
	*good = back == HANDED;
	printf("# %d of %d blocks freed by the consumer came back to their owner\n", back, HANDED);
	for (int i = 0; i < HANDED; i++)
		free(handed[i]);
	return NULL;
}

static void test_consumer_frees(void)
{
	bool good = false;
	pthread_t p, c;
	pthread_barrier_init(&hand_barrier, NULL, 2);
	pthread_create(&c, NULL, consumer_thread, NULL);
	pthread_create(&p, NULL, producer_thread, &good);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	pthread_barrier_destroy(&hand_barrier);
	ok(good, "a thread that frees blocks of a class it does not allocate gives them back to their owner");
}

/* Blocks that other threads freed to a page of an idle owner serve another heap's mallocs of
 * the class (page.c's freed pages) before it carves memory of its own; they come back to their
 * page, whose owner then finds them all. The owner fills a page and waits; a thread that never
 * allocated frees all of it; a third thread, the taker, allocates as many of the class. Or the
 * owner allocates once after the frees, which collects them all: the page's note is stale, and
 * the taker's blocks are from elsewhere (a page it carves, or reclaims of an exited thread). */
struct filled_page {
	size_t size;
	mm_page_t *page;                             /* the owner's page */
	uint32_t n;                                  /* its blocks */
	void *blocks[4096];
	pthread_barrier_t step;                      /* the owner and the main thread */
};

/* Fills a fresh page of the size's class: true when every block is of that page. */
static bool fill_page(struct filled_page *fp)
{
	fp->blocks[0] = malloc(fp->size);
	fp->page = mm_page_of(fp->blocks[0]);
	fp->n = fp->page->reserved;
	bool good = true;
	for (uint32_t i = 1; i < fp->n; i++) {
		fp->blocks[i] = malloc(fp->size);
		good &= mm_page_of(fp->blocks[i]) == fp->page;
	}
	return good;
}

/* Another thread's frees of the whole page. */
static void *free_filled(void *arg)
{
	struct filled_page *fp = arg;
	for (uint32_t i = 0; i < fp->n; i++)
		free(fp->blocks[i]);
	return NULL;
}

struct freed_share {
	struct filled_page fp;
	bool stale;                                  /* the owner collects before the taker runs */
	uint32_t from_page, from_own, own_carved;    /* the taker's blocks, and its page's carving */
	bool owner_good;
};

static void *freed_owner(void *arg)
{
	struct freed_share *fs = arg;
	bool good = fill_page(&fs->fp);
	pthread_barrier_wait(&fs->fp.step);            /* filled */
	pthread_barrier_wait(&fs->fp.step);            /* another thread freed them all */
	uint32_t k = 0;
	void *again[4096];
	if (fs->stale)
		again[k++] = malloc(fs->fp.size);       /* collects them */
	pthread_barrier_wait(&fs->fp.step);
	pthread_barrier_wait(&fs->fp.step);            /* the taker allocated and freed */
	for (; k < fs->fp.n; k++)
		again[k] = malloc(fs->fp.size);
	for (k = 0; k < fs->fp.n; k++) {
		good &= mm_page_of(again[k]) == fs->fp.page;
		free(again[k]);
	}
	fs->owner_good = good;
	return NULL;
}

/* Allocates a page's worth, filled and checked: counts the blocks from the owner's page and
 * from its own first page of the class, and how many blocks that page carved. */
static void *freed_taker(void *arg)
{
	struct freed_share *fs = arg;
	void *mine[4096];
	mm_page_t *own = NULL;
	bool good = true;
	fs->from_page = fs->from_own = 0;
	for (uint32_t i = 0; i < fs->fp.n; i++) {
		mine[i] = malloc(fs->fp.size);
		fill(mine[i], fs->fp.size, i);
		if (!own)
			own = mm_page_of(mine[i]);
		fs->from_page += mm_page_of(mine[i]) == fs->fp.page;
		fs->from_own += mm_page_of(mine[i]) == own;
	}
	fs->own_carved = own->capacity;
	for (uint32_t i = 0; i < fs->fp.n; i++) {
		good &= check_fill(mine[i], fs->fp.size, i);
		free(mine[i]);
	}
	return good ? arg : NULL;
}

/* A thread with a heap but no page of the class allocates one block of it: true when that
 * block is not of the owner's page (a heap takes only for a class it allocates: it would hold
 * the rest for nothing). */
static void *freed_first_block(void *arg)
{
	struct freed_share *fs = arg;
	free(hide(malloc(40)));                      /* a heap */
	void *b = malloc(fs->fp.size);
	bool good = mm_page_of(b) != fs->fp.page;
	free(b);
	return good ? arg : NULL;
}

static uintptr_t run_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, fn, arg);
	pthread_join(t, &r);
	return (uintptr_t)r;
}

/* Starts the owner, whose argument begins with fp, and waits until it filled its page, another
 * thread freed it all, and the owner took its next step. */
static pthread_t freed_page_owner(struct filled_page *fp, void *(*owner_fn)(void *))
{
	pthread_barrier_init(&fp->step, NULL, 2);
	pthread_t owner;
	pthread_create(&owner, NULL, owner_fn, fp);
	pthread_barrier_wait(&fp->step);
	run_thread(free_filled, fp);
	pthread_barrier_wait(&fp->step);
	pthread_barrier_wait(&fp->step);
	return owner;
}

static void freed_pages_case(size_t size, bool stale)
{
	static struct freed_share fs;
	fs.fp.size = size;
	fs.stale = stale;
	pthread_t owner = freed_page_owner(&fs.fp, freed_owner);
	uintptr_t tf = atomic_load(&fs.fp.page->thread_free);
	bool first_own = run_thread(freed_first_block, &fs) == (uintptr_t)&fs &&
			 atomic_load(&fs.fp.page->thread_free) == tf;
	bool taker_good = run_thread(freed_taker, &fs) == (uintptr_t)&fs;
	pthread_barrier_wait(&fs.fp.step);
	pthread_join(owner, NULL);
	printf("# a page of %u blocks of %zu bytes: %u of them taken by another heap, %u from its "
	       "own page (%u carved)\n", fs.fp.n, size, fs.from_page, fs.from_own, fs.own_carved);
	ok(first_own, "a heap with no page of a class takes nothing for its first block of it");
	if (stale)
		ok(taker_good && fs.from_page == 0, "a page whose owner collected its remote frees "
		   "lends nothing (its note is stale): the other heap's blocks are its own, contents kept");
	else
		ok(taker_good && fs.from_page > 0 && fs.from_page + fs.from_own == fs.fp.n &&
		   fs.own_carved == fs.from_own, "another heap of the class takes the "
		   "blocks that other threads freed to an idle owner's page before it carves more of its "
		   "own, contents kept");
	ok(fs.owner_good, "the owner finds every block of its page again once they are freed");
	pthread_barrier_destroy(&fs.fp.step);
}

/* A noted page given back and carved for another class since: a heap that takes from it gets
 * blocks of the other class, and gives them back to the page. The owner fills a page of 912
 * bytes, which another thread frees (the page is noted); the owner collects them, frees them
 * and gives the page back (purged now, not at its deadline), then allocates 1008-byte blocks
 * until one comes from that page, which another thread frees; a third allocates a page's
 * worth of 912 bytes. */
struct freed_reuse {
	struct filled_page fp;
	void *other;                                 /* the 1008-byte block of the page */
	bool owner_good;
};

static void *reuse_owner(void *arg)
{
	struct freed_reuse *fr = arg;
	bool good = fill_page(&fr->fp);
	pthread_barrier_wait(&fr->fp.step);            /* filled */
	pthread_barrier_wait(&fr->fp.step);            /* freed by another thread: noted */
	free(hide(malloc(912)));                    /* collected, and the page empty */
	mm_heap_purge(mm_tls_heap, true);           /* given back now */
	good &= !fr->fp.page->in_use;
	enum { MAX = 8192 };
	static void *ys[MAX];
	int k = 0;
	do
		ys[k] = malloc(1008);
	while (mm_page_of(ys[k]) != fr->fp.page && ++k < MAX);
	good &= k < MAX;
	fr->other = k < MAX ? ys[k] : NULL;
	pthread_barrier_wait(&fr->fp.step);
	pthread_barrier_wait(&fr->fp.step);            /* the other thread freed it; the taker ran */
	for (int i = 0; i < k && i < MAX; i++)
		free(ys[i]);
	fr->owner_good = good;
	return NULL;
}

static void *reuse_free_other(void *arg)
{
	free(((struct freed_reuse *)arg)->other);
	return NULL;
}

/* Allocates a page's worth of 912 bytes (past its own page's first carving: it looks for
 * freed pages then), contents checked: true when none is of the page. */
static void *reuse_taker(void *arg)
{
	struct freed_reuse *fr = arg;
	void *b[64];
	bool good = true;
	for (int i = 0; i < 64; i++) {
		b[i] = malloc(912);
		fill(b[i], 912, i);
		good &= mm_page_of(b[i]) != fr->fp.page;
	}
	for (int i = 0; i < 64; i++) {
		good &= check_fill(b[i], 912, i);
		free(b[i]);
	}
	return good ? arg : NULL;
}

static void freed_pages_reused(void)
{
	static struct freed_reuse fr = { .fp.size = 912 };
	pthread_t owner = freed_page_owner(&fr.fp, reuse_owner);
	bool good = fr.other != NULL;
	if (good) {
		run_thread(reuse_free_other, &fr);
		uintptr_t tf = atomic_load(&fr.fp.page->thread_free);
		good = run_thread(reuse_taker, &fr) == (uintptr_t)&fr &&
		       atomic_load(&fr.fp.page->thread_free) == tf &&
		       mm_tf_list(tf) == fr.other && mm_tf_count(tf) == 1;
	}
	pthread_barrier_wait(&fr.fp.step);
	pthread_join(owner, NULL);
	ok(good && fr.owner_good, "a noted page carved for another class since gives another heap "
	   "nothing: the other class's blocks go back to it");
	pthread_barrier_destroy(&fr.fp.step);
}

static void test_freed_pages(void)
{
	freed_pages_case(880, false);
	freed_pages_case(944, true);
	freed_pages_reused();                        /* 912 and 1008 */
}

/* A block grown a few bytes at a time moves to a class a quarter larger than asked: a string
 * grown to 8 KiB moves log-many times, not once per size class (and does not leave a page
 * of resident memory behind in every class). */
static void test_realloc_growth(void)
{
	unsigned char *hold = realloc(malloc(16), 32);  /* the thread's growing block (grow.c) */
	unsigned char *s = NULL, *prev = NULL;
	int moves = 0;
	bool kept = true;
	for (size_t n = 16; n <= 8192; n += 16) {
		s = realloc(s, n);
		moves += s != prev;
		prev = s;
		for (size_t i = 0; i + 16 < n; i++)           /* what was written before moved too */
			kept &= s[i] == (unsigned char)(i * 7);
		for (size_t i = n - 16; i < n; i++)
			s[i] = (unsigned char)(i * 7);
	}
	printf("# a string grown 16 bytes at a time to 8 KiB moved %d times\n", moves);
	ok(kept && moves <= 32, "realloc growing a block by a little leaves room to grow");
	free(s);
	unsigned char *v = malloc(64), *w = realloc(v, 128);
	ok(malloc_usable_size(w) == 128, "realloc doubling a block gets the class it asked for");
	free(w);
	free(hold);
}

/* Bytes of spans that heaps keep for their next growing block (the statistics' count). */
static uint64_t kept_spans(void)
{
	return atomic_load(&mm_huge_count[3]);
}

/* A pattern that does not depend on the address: it must survive a move. */
static void put_pattern(unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		p[i] = (unsigned char)(i * 7 + 1);
}

static bool has_pattern(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + 1))
			return false;
	return true;
}

/* A vector doubling from 16 bytes to 8 KiB by realloc. Returns it, and its moves in *moves. */
static unsigned char *grow_vector(int *moves)
{
	unsigned char *v = malloc(16);
	put_pattern(v, 0, 16);
	*moves = 0;
	for (size_t cap = 32; cap <= 8192; cap *= 2) {
		unsigned char *w = realloc(v, cap);
		*moves += w != v;
		if (!has_pattern(w, cap / 2))
			*moves = 1000;                   /* contents lost: fails the caller's test */
		put_pattern(w, cap / 2, cap);
		v = w;
	}
	return v;
}

struct grow_case {
	bool moved_once, kept, reused, classes, shrunk, exited;
	uint64_t others;                             /* kept by other heaps when the thread began */
};

static void *grow_thread(void *arg)
{
	struct grow_case *g = arg;
	int moves;
	g->others = kept_spans();
	uint64_t live = atomic_load(&mm_huge_count[2]);
	unsigned char *v = grow_vector(&moves);
	uintptr_t at = (uintptr_t)v;
	g->moved_once = moves == 1 && mm_is_span(v) && malloc_usable_size(v) == 8192;
	unsigned long long live0, held0, live1, held1;
	stats_totals(&live0, &held0);                /* its first takes the pages of a FILE */
	stats_totals(&live0, &held0);
	free(v);
	stats_totals(&live1, &held1);
	g->kept = kept_spans() == g->others + 8192 && atomic_load(&mm_huge_count[2]) == live &&
		  live0 - live1 == 8192 && held1 == held0;
	unsigned char *x = malloc(16), *y = malloc(16);
	unsigned char *x2 = realloc(x, 32), *y2 = realloc(y, 32);
	g->reused = (uintptr_t)x2 == at && kept_spans() == g->others;
	g->classes = !mm_is_span(y2) && malloc_usable_size(y2) == 32;
	put_pattern(x2, 0, 32);
	unsigned char *x3 = realloc(x2, 3 * 4096);
	at = (uintptr_t)x3;
	bool span = mm_is_span(x3);
	unsigned char *x4 = realloc(x3, 100);
	g->shrunk = span && (uintptr_t)x4 == at && malloc_usable_size(x4) == 4096 && has_pattern(x4, 32);
	free(y2);
	free(x4);
	g->exited = kept_spans() == g->others + 4096;  /* then the thread exits with it */
	return arg;
}

/* The thread's growing block went to another thread, which freed it: the span goes back to the
 * region, and the owner's next growing block keeps the size classes (its heap's pointer is
 * no more than a stale hint). */
static void *grow_free_other(void *arg)
{
	free(arg);
	return NULL;
}

static void *grow_given_away(void *arg)
{
	(void)arg;
	int moves;
	uint64_t kept = kept_spans(), live = atomic_load(&mm_huge_count[2]);
	unsigned char *v = grow_vector(&moves);
	run_thread(grow_free_other, v);
	unsigned char *w = realloc(malloc(16), 32);
	bool good = moves == 1 && kept_spans() == kept && atomic_load(&mm_huge_count[2]) == live &&
		    !mm_is_span(w);
	free(w);
	return good ? arg : NULL;
}

/* A growing block that cannot grow in place moves to a new span (mm_grow_move), which is the
 * heap's growing block from then on: the old span, freed by the move, goes to the region. */
static void *grow_moved(void *arg)
{
	unsigned char *g = realloc(malloc(16), 32);
	uint64_t kept = kept_spans();
	unsigned char *q = mm_grow_move(3 * 4096);
	mm_track_malloc(q, 3 * 4096, false);         /* as realloc's move does (valgrind build) */
	bool good = mm_tls_heap->grow == ((uintptr_t)q ^ mm_secret) && mm_is_span(q) && q != g;
	free(g);                                     /* realloc_move frees the old block so */
	good &= kept_spans() == kept;
	free(q);
	good &= kept_spans() == kept + 3 * 4096;
	return good ? arg : NULL;
}

/* A kept span goes back to the region at its heap's purge deadline. */
static void *grow_deadline(void *arg)
{
	(void)arg;
	int moves;
	uint64_t kept = kept_spans();
	free(grow_vector(&moves));
	bool held = kept_spans() == kept + 8192;
	usleep(120 * 1000);                          /* past the purge delay */
	free(hide(malloc(6000)));                    /* a class this thread did not use: a slow path */
	return held && kept_spans() == kept ? arg : NULL;
}

static void grow_double_free(void *arg)
{
	(void)arg;
	int moves;
	unsigned char *volatile v = grow_vector(&moves);
	free(v);
	free(v);
}

static void grow_realloc_freed(void *arg)
{
	(void)arg;
	int moves;
	unsigned char *volatile v = grow_vector(&moves);
	free(v);
	if (realloc(v, 10))
		puts("unreachable");
}

/* The owner keeps the span; another thread frees the block again. */
static void grow_free_kept_other(void *arg)
{
	(void)arg;
	int moves;
	unsigned char *volatile v = grow_vector(&moves);
	free(v);
	run_thread(grow_free_other, v);
}

/* A kept span far larger than the next growing block needs is cut to its size. */
static void *grow_trimmed(void *arg)
{
	unsigned char *v = malloc(16);
	for (size_t cap = 32; cap <= (32u << 10); cap *= 2)
		v = realloc(v, cap);
	size_t had = malloc_usable_size(v);
	free(v);
	unsigned char *s = realloc(malloc(16), 24), *t = realloc(malloc(16), 24);
	bool good = had >= (32u << 10) && mm_is_span(s) && malloc_usable_size(s) == 4096;
	free(s);
	free(t);
	s = realloc(malloc(16), 24);                 /* a kept span of one page: reused whole */
	good &= mm_is_span(s) && malloc_usable_size(s) == 4096;
	free(s);
	return good ? arg : NULL;
}

static void *in_thread_abort(void *arg)
{
	void (**fn)(void *) = arg;
	(*fn)(NULL);
	return NULL;
}

static void grow_in_thread(void *arg)
{
	run_thread(in_thread_abort, arg);            /* a fresh heap: its slot is free */
}

/* A thread's growing block (grow.c): a span from its first growth, in place after, its span
 * kept when freed; one per thread. */
static void test_grow(void)
{
	struct grow_case g = { 0 };
	run_thread(grow_thread, &g);
	ok(g.moved_once, "a thread's first block grown by realloc moves once, to a span, and grows in place there");
	ok(g.kept, "freed, its span is kept by the heap: counted as freed, and as held");
	ok(g.reused, "the next block the thread grows takes that span");
	ok(g.classes, "a second block grown meanwhile keeps the size classes");
	ok(g.shrunk, "the growing block shrinks in place and gives its tail back");
	ok(kept_spans() == g.others, "a kept span goes back to the region when its thread exits");
	ok(run_thread(grow_given_away, &g) == (uintptr_t)&g,
	   "a growing block freed by another thread goes back to the region");
	ok(run_thread(grow_moved, &g) == (uintptr_t)&g,
	   "a growing block moved to a new span stays the growing block there");
	ok(run_thread(grow_deadline, &g) == (uintptr_t)&g, "a kept span goes back at the purge deadline");
	ok(run_thread(grow_trimmed, &g) == (uintptr_t)&g,
	   "a kept span far larger than the next growing block is cut to its size");
	static void (*double_free)(void *) = grow_double_free, (*realloc_freed)(void *) = grow_realloc_freed;
	static void (*free_other)(void *) = grow_free_kept_other;
	expect_abort(grow_in_thread, &double_free, "mmalloc: free(): double free of 0x",
		     "a double free of a growing block whose span is kept aborts");
	expect_abort(grow_in_thread, &realloc_freed, "mmalloc: realloc(): invalid pointer 0x",
		     "realloc of a freed growing block whose span is kept aborts");
	expect_abort(grow_in_thread, &free_other, "mmalloc: free(): invalid pointer 0x",
		     "another thread's free of a freed growing block whose span is kept aborts");
}

/* The purge clock: the vDSO's clock_gettime, found without libc. */
/* The secret that cookies and free marks hide behind is its own: not a copy of the AT_RANDOM
 * bytes glibc makes its stack canary and pointer guard of (a use-after-free read of a freed
 * block's mark gives the secret away). */
static void test_secret(void)
{
	uint64_t r[2];
	memcpy(r, (const void *)getauxval(AT_RANDOM), sizeof(r));
	ok(mm_secret && mm_secret != (r[0] | 1) && mm_secret != (r[1] | 1),
	   "the hardening secret is not glibc's pointer guard or stack canary");
}

static uint64_t coarse_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read between two reads of libc's: within them however long the process waits in between
 * (a loaded machine, valgrind). */
static void test_clock(void)
{
	uint64_t before = coarse_ms(), ours = mm_clock_ms(), after = coarse_ms();
	ok(before <= ours && ours <= after, "the purge clock reads CLOCK_MONOTONIC_COARSE");
	ok((mm_vdso_func("__vdso_clock_gettime") != NULL) == (getauxval(AT_SYSINFO_EHDR) != 0) &&
	   !mm_vdso_func("__vdso_no_such_function"), "the vDSO's clock_gettime is found by name");
}

static void *exit_alloc(void *arg)
{
	void **out = arg;
	for (int i = 0; i < 1000; i++)
		memset(out[i] = malloc((size_t)i + 1), 7, (size_t)i + 1);
	return NULL;
}

static void test_thread_exit(void)
{
	static void *blocks[1000];
	bool good = true;
	for (int round = 0; round < 20; round++) {
		pthread_t t;
		pthread_create(&t, NULL, exit_alloc, blocks);
		pthread_join(t, NULL);
		for (int i = 0; i < 1000; i++) {
			good &= ((unsigned char *)blocks[i])[i] == 7;
			free(blocks[i]);                 /* into pages of an exited thread */
		}
	}
	ok(good, "blocks of exited threads stay valid and can be freed");
}

/* Fills pages of one class and empties them, class after class: slow paths all the time. */
static void *fork_churn(void *arg)
{
	_Atomic int *stop = arg;
	void *volatile blk[64];                      /* volatile: the calls are not optimised away */
	for (unsigned i = 0; !*stop; i++) {
		size_t n = 16 + (i * 37) % 3000;
		for (int k = 0; k < 64; k++)
			blk[k] = malloc(n);
		for (int k = 0; k < 64; k++)
			free(blk[k]);
	}
	return NULL;
}

/* A thread of the child: its heap's making reaps the churning thread's copy, unless that was
 * caught changing its page queues. */
static void *fork_child_thread(void *arg)
{
	void *volatile p = malloc(100);
	free(p);
	return arg;
}

/* fork() while another thread runs its slow paths: in the child, a new thread reaps that
 * thread's heap (the thread is not there) unless the copy was caught changing its page queues.
 * Against the checking library a reaped heap that is not whole aborts the child; without the
 * guard, 200 forks caught one in 3 runs of 5. */
/* A library of the program registers fork handlers in its constructor, and its prepare handler
 * allocates a block large enough to take libmmalloc's global lock (glibc's fork allows it: it
 * locks its own malloc after every handler). libmmalloc's prepare handler, which holds that
 * lock across the fork, must run after it: registered before it, by a constructor of a higher
 * priority (prepare handlers run newest first). */
static void *volatile atfork_block;
static _Atomic int atfork_prepared;

static void atfork_prepare(void)
{
	atfork_block = malloc(300000);
	atfork_prepared++;
}

static void atfork_after(void)
{
	free(atfork_block);
}

__attribute__((constructor)) static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_after, atfork_after);
}

static void test_fork_handler_malloc(void)
{
	int before = atfork_prepared;
	fflush(stdout);
	pid_t pid = fork();                          /* hangs if our handler ran first */
	if (pid == 0)
		_exit(atfork_block ? 0 : 1);
	int st = -1;
	waitpid(pid, &st, 0);
	ok(atfork_prepared == before + 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork: a program's prepare handler that allocates a large block runs before ours");
}

static void test_fork(void)
{
	_Atomic int stop = 0;
	pthread_t t;
	pthread_create(&t, NULL, fork_churn, &stop);
	bool good = true;
	for (unsigned long i = 0; i < tap_scaled(200); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			unsigned char *p[100];
			pthread_t c;
			pthread_create(&c, NULL, fork_child_thread, NULL);
			pthread_join(c, NULL);
			bool child_good = true;
			for (int k = 0; k < 100; k++)
				if ((p[k] = malloc((size_t)k * 100 + 1)))
					fill(p[k], (size_t)k * 100 + 1, (unsigned)k);
			for (int k = 0; k < 100; k++) {
				child_good &= p[k] && check_fill(p[k], (size_t)k * 100 + 1, (unsigned)k);
				free(p[k]);
			}
			/* the churning thread's blocks are no thread's here (some were in its
			 * registers): memcheck is not to count them as the child's leaks */
			VALGRIND_CLO_CHANGE("--leak-check=no");
			_exit(child_good ? 0 : 1);
		}
		int st;
		waitpid(pid, &st, 0);
		good &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	stop = 1;
	pthread_join(t, NULL);
	ok(good, "fork while another thread allocates: the child reaps its heap, allocates and verifies");
}

#define ST_THREADS 4
#define ST_OPS     60000
#define ST_SLOTS   4096

/* A shared table of blocks: any thread may free what another allocated (cross-thread frees). */
static struct slot {
	pthread_mutex_t lock;
	unsigned char *p;
	size_t n;
	unsigned tag;
} table[ST_SLOTS];
static _Atomic int stress_bad;

static size_t stress_size(uint64_t *s)
{
	uint64_t r = rnd(s);
	if (r % 512 == 0)
		return r % (2u << 20);                 /* sometimes huge */
	return r % 8 == 0 ? r % 65536 : r % 600;
}

static void *stress_thread(void *arg)
{
	uint64_t s = 0x9e3779b97f4a7c15ull * ((uintptr_t)arg + 1);
	for (unsigned long i = 0; i < tap_scaled(ST_OPS); i++) {
		struct slot *sl = &table[rnd(&s) % ST_SLOTS];
		size_t n = stress_size(&s);
		size_t align = (rnd(&s) % 8 == 0) ? (size_t)1 << (3 + rnd(&s) % 14) : 0;
		unsigned char *p = NULL;
		if (align && posix_memalign((void **)&p, align, n))
			p = NULL;
		if (!align)
			p = malloc(n);
		if (!p || (align && (uintptr_t)p % align))
			stress_bad = 1;
		unsigned tag = (unsigned)i;
		fill(p, n, tag);
		pthread_mutex_lock(&sl->lock);
		if (sl->p && !check_fill(sl->p, sl->n, sl->tag))
			stress_bad = 1;
		free(sl->p);                             /* often another thread's block */
		sl->p = p;
		sl->n = n;
		sl->tag = tag;
		pthread_mutex_unlock(&sl->lock);
	}
	return NULL;
}

static void test_stress(void)
{
	pthread_t t[ST_THREADS];
	for (int i = 0; i < ST_SLOTS; i++)
		pthread_mutex_init(&table[i].lock, NULL);
	for (long i = 0; i < ST_THREADS; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)i);
	for (int i = 0; i < ST_THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < ST_SLOTS; i++) {
		if (table[i].p && !check_fill(table[i].p, table[i].n, table[i].tag))
			stress_bad = 1;
		free(table[i].p);
	}
	ok(!stress_bad, "stress: 4 threads, random sizes and alignments, cross-thread frees verified");
}

static void double_free_local(void *arg)
{
	(void)arg;
	void *volatile p = malloc(40);
	free(p);
	free(p);
}

static void *free_it(void *p)
{
	free(p);
	return NULL;
}

static void double_free_remote(void *arg)
{
	(void)arg;
	void *keep = malloc(40), *p = malloc(40);
	pthread_t t;
	pthread_create(&t, NULL, free_it, p);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, free_it, p);
	pthread_join(t, NULL);
	free(keep);
}

static void *free_twice(void *arg)
{
	void *volatile p = arg;
	free(p);
	free(p);
	return NULL;
}

/* The first free parks the block on the freeing thread's foreign list (it is not its owner). */
static void double_free_foreign(void *arg)
{
	(void)arg;
	void *keep = malloc(40), *p = malloc(40);
	pthread_t t;
	pthread_create(&t, NULL, free_twice, p);
	pthread_join(t, NULL);
	free(keep);
}

/* The first block of a class no one used yet: its page is fresh, carved one OS page at a time
 * (720-byte blocks: five), and reads as zeros (as a purged page does). */
#define CARVED_SIZE 720

/* A block carved but never handed out is free: freeing it is a double free. */
static void free_carved_free(void *arg)
{
	(void)arg;
	char *p = malloc(CARVED_SIZE);
	free(hide(p + CARVED_SIZE));
}

/* A block past the carved ones is no block yet: an invalid pointer. */
static void free_past_carved(void *arg)
{
	(void)arg;
	char *p = malloc(CARVED_SIZE);
	free(hide(p + 6 * CARVED_SIZE));
}

static void test_free_carved(void)
{
	expect_abort(free_carved_free, NULL, "mmalloc: free(): double free of 0x",
		     "free of a carved block never handed out (zeros, as after a purge) aborts");
	expect_abort(free_past_carved, NULL, "mmalloc: free(): invalid pointer 0x",
		     "free of a block of the page past the carved ones aborts");
}

/* Two threads in step: one waits for the other's byte on a pipe. */
struct in_step {
	void *p;
	int done[2], go[2];
};

static void step_signal(int fd[2])
{
	char c = 0;
	if (write(fd[1], &c, 1) != 1)
		abort();
}

static void step_wait(int fd[2])
{
	char c;
	if (read(fd[0], &c, 1) != 1)
		abort();
}

static bool step_open(struct in_step *s, void *p)
{
	s->p = p;
	return !pipe(s->done) && !pipe(s->go);
}

/* Frees the block again once the owner has freed it. */
static void *free_after_owner(void *arg)
{
	struct in_step *s = arg;
	step_signal(s->done);
	step_wait(s->go);
	free(s->p);
	return NULL;
}

/* Holds a page of the class, so that its free of the owner's block parks it on its foreign
 * list, and keeps it there until the owner's second free has run. */
static void *free_to_foreign_list(void *arg)
{
	struct in_step *s = arg;
	void *volatile mine = malloc(40);        /* volatile: or the compiler drops the pair */
	free(s->p);
	step_signal(s->done);
	step_wait(s->go);
	free(mine);
	return NULL;
}

/* The owner frees a block in step with another thread (arg: its function), which frees it
 * before or after: the owner's free list is no other thread's to walk, nor is another
 * thread's foreign list the owner's. The thread is made before the owner's free: its making
 * may malloc, and would take the freed block back. The blocks must be of the owner's own page:
 * malloc takes the blocks of its list of other threads' blocks first, which this fork child
 * inherits, and one of an abandoned page would change hands when the other thread, needing a
 * page, adopts its segment (its free then gives the emptied page back, and the owner's free
 * finds no block there). So that list goes back to its pages first. */
static void double_free_in_step(void *arg)
{
	void *(*other)(void *) = *(void *(**)(void *))arg;
	struct in_step s;
	free(malloc(40));                            /* the thread's heap is made */
	mm_heap_t *heap = mm_tls_heap;
	mm_foreign_retire(heap, mm_bin(40));
	void *keep = malloc(40);
	pthread_t t;
	if (!step_open(&s, malloc(40)))
		return;
	if (atomic_load(&mm_page_of(keep)->owner) != heap || atomic_load(&mm_page_of(s.p)->owner) != heap) {
		fputs("the blocks are not of the owner's page\n", stderr);  /* the test's stderr */
		return;
	}
	if (pthread_create(&t, NULL, other, &s))
		return;
	step_wait(s.done);
	free(s.p);
	step_signal(s.go);
	pthread_join(t, NULL);
	free(keep);
}

static void free_stack(void *arg)
{
	(void)arg;
	char buf[16];
	free(hide(buf));
}

static void free_inner(void *arg)
{
	(void)arg;
	free(hide((char *)malloc(100) + 16));
}

static void free_huge_inner(void *arg)
{
	(void)arg;
	free(hide((char *)malloc(8u << 20) + 4096));
}

/* A block aligned to 8 MiB (its header in the segment below) moved by realloc: the old
 * pointer is nobody's block any more. A page mapped right after it keeps it from growing in
 * place. */
static void free_moved_aligned(void *arg)
{
	(void)arg;
	char *p = memalign(8u << 20, 5u << 20);
	void *wall = p ? mmap(p + (5u << 20), 4096, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) : MAP_FAILED;
	char *q = wall != MAP_FAILED ? realloc(hide(p), 64u << 20) : NULL;
	if (!q || q == p)
		puts("the block did not move");
	else
		free(hide(p));
}

static void free_global(void *arg)
{
	(void)arg;
	static char g[64];
	free(hide(g));
}

static void realloc_inner(void *arg)
{
	(void)arg;
	char *p = malloc(100);
	if (realloc(hide(p + 16), 10))
		puts("unreachable");
}

static void realloc_bad(void *arg)
{
	(void)arg;
	static char g[64];
	if (realloc(hide(g), 10))
		puts("unreachable");
}

static void test_hardening(void)
{
	expect_abort(double_free_local, NULL, "mmalloc: free(): double free of 0x", "double free aborts");
	expect_abort(double_free_remote, NULL, "double free", "double free by other threads aborts");
	expect_abort(double_free_foreign, NULL, "double free", "double free by one thread that does not own the block aborts");
	static void *(*after_owner)(void *) = free_after_owner, *(*to_foreign)(void *) = free_to_foreign_list;
	expect_abort(double_free_in_step, &after_owner, "mmalloc: free(): double free of 0x",
		     "a free by another thread of a block its owner freed aborts");
	expect_abort(double_free_in_step, &to_foreign, "mmalloc: free(): double free of 0x",
		     "the owner's free of a block on another thread's foreign list aborts");
	expect_abort(free_stack, NULL, "mmalloc: free(): invalid pointer 0x", "free of a stack address aborts");
	expect_abort(free_inner, NULL, "free(): invalid pointer", "free of an inner pointer aborts");
	expect_abort(free_huge_inner, NULL, "free(): invalid pointer", "free inside a huge block aborts");
	expect_abort(free_global, NULL, "free(): invalid pointer", "free of a global aborts");
	expect_abort(free_moved_aligned, NULL, "free(): invalid pointer",
		     "free of an 8 MiB-aligned block's old address after realloc moved it aborts");
	expect_abort(realloc_bad, NULL, "realloc(): invalid pointer", "realloc of a foreign pointer aborts");
	expect_abort(realloc_inner, NULL, "realloc(): invalid pointer", "realloc of an inner pointer aborts");
}

int main(void)
{
	if (!RUNNING_ON_VALGRIND)
		test_foreign_lists_lazy();           /* first: its thread's heap is a fresh one */
	test_free_carved();                          /* first: its class was never used */
	test_consumer_frees();                       /* first: no exited thread left pages to reuse */
	test_free_lifo();                            /* its 48-byte class was never used either */
	test_stats();                                /* the 208-byte class: not used before */
	test_borrow_aligned();                       /* classes 512..528 not used before */
	test_mixed_frees();                          /* nor its 784-byte class */
	test_freed_pages();                          /* nor 880, 912, 944 and 1008 */
	test_malloc_free();
	test_calloc();
	test_realloc();
	test_overcommit();
	test_aligned();
	test_thread_exit();
	test_borrow();
	test_borrow_keep();
	test_realloc_growth();
	test_grow();
	test_clock();
	test_secret();
	if (!RUNNING_ON_VALGRIND) {                  /* RSS under memcheck counts its shadow memory */
		test_return_memory();
		test_idle_classes();
		test_segments_kept();
		test_large_free();
		test_span_unused_purged();           /* after test_large_free: its threshold */
		test_peak_purge();                   /* last: its spans are the largest yet */
	}
	test_fork_handler_malloc();
	test_fork();
	test_stress();
	test_hardening();
	return tap_done();
}
