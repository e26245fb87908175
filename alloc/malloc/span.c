/* libmmalloc large blocks: page runs ("spans") of one reserved region, the shape of a buddy
 * allocator's free areas without the power-of-two sizes (or glibc's heap, with out-of-band
 * boundary tags). Free runs always coalesce; a bitmap remembers which free pages are still
 * committed ("dirty"), and a new span is placed over as many of them as it can, so that reuse
 * costs no page faults. Dirty pages beyond a budget, or older than 100 ms, are purged
 * (MADV_DONTNEED), oldest run first; a freed span larger than twice any freed before is purged
 * at once (glibc's dynamic mmap and trim thresholds), and so is one of a size whose kept pages
 * went unused lately (keep_score). When spans grow to their high-water mark, the growing
 * thread's heap gives back its empty small pages at once (segment.c).
 * The deadline is twice the heap pages': a program that replaces large blocks of random sizes
 * reuses free runs tens of milliseconds later, and at 50 ms a slow machine saw them expire
 * first, faults that slowed it further (the benchmark's big workload: 44 to 51 k faults at 100
 * ms, 57 to 92 k at 50, the same peak); at 200 ms python3's peak grew by up to 4 MiB. */
#include <errno.h>
#include <linux/mman.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

#define SPAN_PAGES     ((uint32_t)(MM_SPAN_REGION / MM_OS_PAGE))
#define SPAN_RUNS      4096                 /* free runs tracked: at most live spans + 1 */
#define SPAN_DIRTY_MIN ((size_t)8 << 20)    /* committed free bytes always kept for reuse */
#define SPAN_DIRTY_MS  100                  /* and for at most this long (see above) */
#define SPAN_KEEP_MIN  ((128u << 10) / MM_OS_PAGE) /* span_keep's start and bounds, in pages: */
#define SPAN_KEEP_MAX  ((32u << 20) / MM_OS_PAGE)  /* glibc's mmap threshold's */

/* A run of free pages between two spans (or the region's ends). */
struct run {
	uint32_t start, len;                 /* in pages from the region base */
	uint32_t dirty;                      /* pages of it set in dirty_map */
	uint8_t order;                       /* of the span whose free added to it last */
	uint64_t since;                      /* ms of the last free that added to it */
};

#define SPAN_UNSET ((uintptr_t)1 << 63)      /* mm_span_base until set up: above user space */
_Atomic uintptr_t mm_span_base = SPAN_UNSET; /* region start; read without the lock too */
static _Atomic bool setup_failed;           /* set once, read without the lock too */
static bool strict;                         /* OVERCOMMIT_NEVER: pages committed by hand */
static uint32_t *span_len;                   /* per page: pages of the span starting there,
					      * | SPAN_KEPT while a heap keeps it (grow.c) */
#define SPAN_KEPT ((uint32_t)1 << 31)
static uint64_t *dirty_map;                  /* per page: free and still committed */
static struct run *runs;                     /* [SPAN_RUNS], sorted by start; all under
					      * mm_global_lock */
static size_t nruns, live_spans, dirty_pages;
static size_t live_pages, peak_pages;        /* in spans now, and at most so far */
/* Freed spans larger than this many pages are purged at once; the threshold rises to twice the
 * size of such a span (glibc's dynamic mmap threshold, and its trim threshold, which it sets
 * to twice that): a program that frees a large block for good gives it back at once; one
 * that then allocates blocks as large, or somewhat larger (sizes that vary up to a bound,
 * a block that grows), keeps them committed rather than faulting each new largest one in
 * again. */
static uint32_t span_keep = SPAN_KEEP_MIN;
/* Whether keeping freed spans' pages pays, per order of their size (log2 of pages): kept pages
 * end either under a new span (a page fault saved each) or purged unused, past their deadline
 * or the budget. Set to 1 by the first, to -2 by the second; while it is below 0, frees of
 * spans of that order are purged at once (as glibc unmaps a freed mapped chunk), each one
 * bringing it 1 nearer to keeping again, so that a program that starts reusing them is seen.
 * A hash table that doubles frees its old copy for good: kept, it would stay committed
 * through the program's quiet time, when no call of ours comes to purge it. */
static int8_t keep_score[32];

/* Reserves the region and its side tables (address space only, MAP_NORESERVE). Under strict
 * overcommit (OVERCOMMIT_NEVER) the kernel ignores MAP_NORESERVE and would charge the whole
 * region, 4 GiB, to the system's commit limit: there it is reserved inaccessible (PROT_NONE,
 * charged nothing), a span's pages are made writable, and charged, when it is carved
 * (span_commit), and purged pages go back to PROT_NONE (span_purge), as glibc grows and
 * shrinks a thread arena's heap by mprotect. */
static bool span_setup(void)
{
	if (atomic_load_explicit(&mm_span_base, memory_order_relaxed) != SPAN_UNSET ||
	    atomic_load_explicit(&setup_failed, memory_order_relaxed))
		return !atomic_load_explicit(&setup_failed, memory_order_relaxed);
	strict = mm_overcommit_memory() == OVERCOMMIT_NEVER;
	/* The tables: runs[], dirty_map, span_len; runs[] not in the library's .bss, where it put
	 * this file's variables around it on pages of their own. */
	size_t runs_len = SPAN_RUNS * sizeof(struct run);
	size_t tlen = runs_len + SPAN_PAGES / 8 + (size_t)SPAN_PAGES * sizeof(uint32_t);
	uint8_t *r = mm_os_map(MM_SPAN_REGION, MM_SEG_SIZE, 0, strict ? PROT_NONE : PROT_READ | PROT_WRITE,
			       MAP_NORESERVE);
	uint8_t *t = r ? mm_os_map(tlen, MM_OS_PAGE, 0, PROT_READ | PROT_WRITE, MAP_NORESERVE) : NULL;
	if (!t) {                                     /* large blocks get mappings of their own */
		if (r)
			munmap(r, MM_SPAN_REGION);
		atomic_store_explicit(&setup_failed, true, memory_order_relaxed);
		return false;
	}
	mm_track_noaccess(r, MM_SPAN_REGION);                /* no span is the user's yet */
	runs = (struct run *)t;
	dirty_map = (uint64_t *)(t + runs_len);
	span_len = (uint32_t *)(t + runs_len + SPAN_PAGES / 8);
	runs[0] = (struct run){ 0, SPAN_PAGES, 0, 0, 0 };
	nruns = 1;
	atomic_store_explicit(&mm_span_base, (uintptr_t)r, memory_order_relaxed);
	return true;
}

/* The address of the region's page i. */
static uint8_t *region_page(uint32_t i)
{
	return (uint8_t *)atomic_load_explicit(&mm_span_base, memory_order_relaxed) + (size_t)i * MM_OS_PAGE;
}

/* The bits of [*i, end) in the bitmap word of *i; advances *i past them. */
static uint64_t word_mask(uint32_t *i, uint32_t end)
{
	uint32_t b = *i % 64, k = end - *i < 64 - b ? end - *i : 64 - b;
	*i += k;
	return (k == 64 ? ~0ull : ((1ull << k) - 1)) << b;
}

/* Bits set in w (lib/hweight.c's __sw_hweight64: add neighbouring bit counts in parallel).
 * Placing a span counts dirty pages for every candidate. The baseline x86-64 target compiles
 * __builtin_popcountll to a call of libgcc's __popcountdi2 (2% of the big workload), and an
 * ifunc for the popcnt instruction (target_clones) links libgcc's CPU detection: 4.5 KiB of
 * code, a page of the library resident in every process. */
static inline uint32_t hweight64(uint64_t w)
{
	w -= (w >> 1) & 0x5555555555555555ull;                     /* 2-bit counts */
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull); /* 4-bit */
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;                /* 8-bit */
	return (uint32_t)((w * 0x0101010101010101ull) >> 56);      /* their sum in the top byte */
}

/* Dirty pages in [from, from + n). */
static uint32_t dirty_count(uint32_t from, uint32_t n)
{
	uint32_t c = 0;
	for (uint32_t i = from, end = from + n; i < end;) {
		uint64_t *w = &dirty_map[i / 64];
		c += hweight64(*w & word_mask(&i, end));
	}
	return c;
}

/* Sets or clears the dirty bits of [from, from + n). */
static void dirty_mark(uint32_t from, uint32_t n, bool on)
{
	for (uint32_t i = from, end = from + n; i < end;) {
		uint64_t *w = &dirty_map[i / 64];
		uint64_t mask = word_mask(&i, end);
		*w = on ? *w | mask : *w & ~mask;
	}
}

/* First page in [from, end) whose dirty bit is on (or off), else end. */
static uint32_t dirty_next(uint32_t from, uint32_t end, bool on)
{
	while (from < end) {
		uint64_t w = dirty_map[from / 64] ^ (on ? 0 : ~0ull);
		w &= ~0ull << (from % 64);              /* bits at or above from */
		if (w) {
			uint32_t i = from / 64 * 64 + (uint32_t)__builtin_ctzll(w);
			return i < end ? i : end;
		}
		from = from / 64 * 64 + 64;
	}
	return end;
}

/* Index of the first run that starts at or after page (binary search). */
static size_t run_find(uint32_t page)
{
	size_t lo = 0, hi = nruns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (runs[mid].start < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void run_remove(size_t i)
{
	memmove(&runs[i], &runs[i + 1], (nruns - i - 1) * sizeof(runs[0]));
	nruns--;
}

static void run_add(size_t i, struct run r)
{
	memmove(&runs[i + 1], &runs[i], (nruns - i) * sizeof(runs[0]));
	runs[i] = r;
	nruns++;
}

/* Merges run i with its right neighbour when they touch. */
static void run_merge_next(size_t i)
{
	if (i + 1 >= nruns || runs[i].start + runs[i].len != runs[i + 1].start)
		return;
	runs[i].len += runs[i + 1].len;
	/* the age of the dirty pages: the younger side's, a clean side's does not count */
	if (runs[i + 1].dirty && (!runs[i].dirty || runs[i + 1].since > runs[i].since)) {
		runs[i].since = runs[i + 1].since;
		runs[i].order = runs[i + 1].order;
	}
	runs[i].dirty += runs[i + 1].dirty;
	run_remove(i + 1);
}

/* Takes pages [pos, pos + n) out of run i, leaving what is left on either side. */
static void run_carve(size_t i, uint32_t pos, uint32_t n)
{
	struct run r = runs[i];
	uint32_t d = r.dirty ? dirty_count(pos, n) : 0;
	uint32_t left = pos - r.start, right = r.start + r.len - pos - n;
	uint32_t ldirty = r.dirty && left ? dirty_count(r.start, left) : 0;
	dirty_mark(pos, n, false);                  /* the span's pages are the user's now */
	dirty_pages -= d;
	if (d)
		keep_score[r.order] = 1;                 /* keeping them saved d faults */
	run_remove(i);
	if (right)
		run_add(i, (struct run){ pos + n, right, r.dirty - d - ldirty, r.order, r.since });
	if (left)
		run_add(i, (struct run){ r.start, left, ldirty, r.order, r.since });
}

/* Gives pages [i, i + n) of the region back to the OS (madvise); under strict overcommit their
 * charge too: an inaccessible mapping takes their place (mmap MAP_FIXED), as at the start.
 * Should that fail (the limit on mappings: it may split one), they are only emptied. */
static void span_purge(uint32_t i, uint32_t n)
{
	void *p = region_page(i);
	size_t len = (size_t)n * MM_OS_PAGE;
	int saved = errno;
	if (!strict || mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			    -1, 0) == MAP_FAILED)
		mm_os_purge(p, len);
	errno = saved;
}

/* span_commit under strict overcommit (cold: compiled for size, out of the common path). */
static __attribute__((cold)) bool span_commit_strict(uint32_t pos, uint32_t n)
{
	uint32_t end = pos + n;
	if (dirty_count(pos, n) == n)
		return true;
	int saved = errno;
	bool ok = !mprotect(region_page(pos), (size_t)n * MM_OS_PAGE, PROT_READ | PROT_WRITE);
	for (uint32_t a = dirty_next(pos, end, false), b; !ok && a < end; a = dirty_next(b, end, false)) {
		b = dirty_next(a, end, true);
		span_purge(a, b - a);
	}
	errno = saved;
	return ok;
}

/* Makes pages [pos, pos + n) writable under strict overcommit, where the region's pages that
 * are not dirty are inaccessible: one mprotect, of which the kernel charges only the pages
 * that were not writable. false when it refuses the charge (the commit limit, RLIMIT_DATA):
 * the pages it made writable meanwhile go back. */
static bool span_commit(uint32_t pos, uint32_t n)
{
	return !strict || span_commit_strict(pos, n);
}

/* Gives up to max of run i's dirty pages back to the OS, from its start, one madvise per
 * stretch of them. */
static void run_purge(size_t i, uint32_t max)
{
	struct run *r = &runs[i];
	uint32_t end = r->start + r->len, done = 0;
	for (uint32_t a = r->start, b; done < max && done < r->dirty; a = b) {
		a = dirty_next(a, end, true);
		b = dirty_next(a, end, false);
		if (b - a > max - done)
			b = a + (max - done);
		done += b - a;
		span_purge(a, b - a);
		dirty_mark(a, b - a, false);
	}
	dirty_pages -= done;
	r->dirty -= done;
	if (done)
		keep_score[r->order] = -2;               /* kept for nothing */
}

/* Committed free pages kept: what keeps the region's footprint within 1/5 above the peak of
 * live spans (a bound like a fragmentation limit), and at least SPAN_DIRTY_MIN. */
static size_t dirty_budget(void)
{
	size_t cap = peak_pages + peak_pages / 5, min = SPAN_DIRTY_MIN / MM_OS_PAGE;
	return cap > live_pages + min ? cap - live_pages : min;
}

/* Purges runs dirty for longer than SPAN_DIRTY_MS, then the oldest dirty pages while more than
 * the budget are left. */
static void span_trim(uint64_t now)
{
	for (size_t i = 0; i < nruns; i++)
		if (runs[i].dirty && now - runs[i].since > SPAN_DIRTY_MS)
			run_purge(i, runs[i].dirty);
	size_t budget = dirty_budget();
	while (dirty_pages > budget) {
		size_t old = SIZE_MAX;
		for (size_t i = 0; i < nruns; i++)
			if (runs[i].dirty && (old == SIZE_MAX || runs[i].since < runs[old].since))
				old = i;
		run_purge(old, (uint32_t)(dirty_pages - budget));
	}
}

/* The order of a span of n pages: log2 of n, rounded down. */
static uint8_t span_order(uint32_t n)
{
	return (uint8_t)(31 - __builtin_clz(n));
}

/* Frees pages [i, i + n) into the runs: they stay committed (dirty) for now, unless purge. */
static void span_release(uint32_t i, uint32_t n, bool purge)
{
	uint64_t now = mm_clock_ms();
	size_t k = run_find(i);
	if (purge) {
		span_purge(i, n);
	} else {
		dirty_mark(i, n, true);
		dirty_pages += n;
	}
	run_add(k, (struct run){ i, n, purge ? 0 : n, span_order(n), now });
	run_merge_next(k);
	if (k > 0)
		run_merge_next(k - 1);
	span_trim(now);
}

/* Pages in spans change by add - sub. Returns whether they are at their high-water mark. */
static bool live_count(size_t add, size_t sub)
{
	live_pages = live_pages + add - sub;
	if (live_pages > peak_pages)
		peak_pages = live_pages;
	return add && live_pages == peak_pages;
}

static uint32_t pages_of(size_t size)
{
	return (uint32_t)((size + MM_OS_PAGE - 1) / MM_OS_PAGE);
}

/* The best place for n pages: the most dirty pages under it (no faults), then the smallest
 * run (best fit). Candidates: a run's start, and each stretch of dirty pages, start- or
 * end-aligned. Returns the run index, or SIZE_MAX when none is long enough. */
static size_t span_place(uint32_t n, uint32_t *pos)
{
	size_t best = SIZE_MAX;
	uint32_t best_dirty = 0;
	for (size_t i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];
		if (r->len < n)
			continue;
		uint32_t end = r->start + r->len, at = r->start, d = 0, seen = 0;
		for (uint32_t a = r->start, b; seen < r->dirty; a = b) {  /* stop at its last one */
			a = dirty_next(a, end, true);
			b = dirty_next(a, end, false);
			seen += b - a;
			uint32_t c[2] = { a + n <= end ? a : end - n, b >= r->start + n ? b - n : r->start };
			for (int k = 0; k < 2; k++) {
				uint32_t dc = dirty_count(c[k], n);
				if (dc > d) {
					d = dc;
					at = c[k];
				}
			}
		}
		if (best == SIZE_MAX || d > best_dirty || (d == best_dirty && r->len < runs[best].len)) {
			best = i;
			best_dirty = d;
			*pos = at;
		}
	}
	return best;
}

/* Zeroes the dirty pages of [from, from + n): the others read as zeros (fresh or purged). */
static void dirty_zero(uint32_t from, uint32_t n)
{
	uint32_t end = from + n;
	for (uint32_t a = dirty_next(from, end, true), b; a < end; a = dirty_next(b, end, true)) {
		b = dirty_next(a, end, false);
		uint8_t *page = region_page(a);
		mm_track_defined(page, (size_t)(b - a) * MM_OS_PAGE);  /* the user's next */
		memset(page, 0, (size_t)(b - a) * MM_OS_PAGE);
	}
}

/* The statistics of spans in the user's hands (mm_huge_count): one of n pages more, or less. */
static void span_count(uint32_t n, bool out)
{
	atomic_fetch_add_explicit(&mm_huge_count[out ? 0 : 1], 1, memory_order_relaxed);
	if (out)
		atomic_fetch_add_explicit(&mm_huge_count[2], (size_t)n * MM_OS_PAGE, memory_order_relaxed);
	else
		atomic_fetch_sub_explicit(&mm_huge_count[2], (size_t)n * MM_OS_PAGE, memory_order_relaxed);
}

/* A span of at least size bytes, zeroed if zero (calloc: only its committed pages need it), or
 * NULL when the region cannot hold it (the caller then maps the block on its own). */
void *mm_span_alloc(size_t size, bool zero)
{
	if (size > MM_SPAN_REGION / 4 || atomic_load_explicit(&setup_failed, memory_order_relaxed))
		return NULL;                               /* the lock would tell nothing more */
	uint32_t n = pages_of(size), pos = 0;
	void *p = NULL;
	bool peak = false;
	pthread_mutex_lock(&mm_global_lock);
	if (span_setup() && live_spans < SPAN_RUNS - 2) {   /* runs[] cannot overflow */
		size_t i = span_place(n, &pos);
		if (i != SIZE_MAX && span_commit(pos, n)) {
			if (zero && runs[i].dirty)
				dirty_zero(pos, n);
			run_carve(i, pos, n);
			span_len[pos] = n;
			p = region_page(pos);
			live_spans++;
			peak = live_count(n, 0);
			span_trim(mm_clock_ms());        /* the footprint may have grown */
		}
	}
	pthread_mutex_unlock(&mm_global_lock);
	if (peak)
		mm_heap_purge_now();
	if (p)
		span_count(n, true);
	return p;
}

/* Page index of a span start; aborts with what when p is not one (releasing mm_global_lock
 * when locked). Without the lock, only the caller that owns a live span may ask: no other
 * thread changes its entry of span_len[]. */
static uint32_t span_page(const void *p, const char *what, bool locked)
{
	uintptr_t off = (uintptr_t)p - atomic_load_explicit(&mm_span_base, memory_order_relaxed);
	uint32_t i = (uint32_t)(off / MM_OS_PAGE);
	if (off >= MM_SPAN_REGION || off % MM_OS_PAGE || !span_len[i] || span_len[i] & SPAN_KEPT) {
		if (locked)
			pthread_mutex_unlock(&mm_global_lock);
		mm_fatal(what, p);
	}
	return i;
}

/* Usable bytes of the span at p (p must be in the span region); takes no lock. */
size_t mm_span_usable(const void *p, const char *what)
{
	return (size_t)span_len[span_page(p, what, false)] * MM_OS_PAGE;
}

/* Gives the span at p back to the region. Returns its page count. */
static uint32_t span_drop(void *p)
{
	pthread_mutex_lock(&mm_global_lock);
	uint32_t i = span_page(p, "free(): invalid pointer", true);
	uint32_t n = span_len[i];
	span_len[i] = 0;
	live_spans--;
	live_count(0, n);
	bool purge = n > span_keep;
	if (purge && n <= SPAN_KEEP_MAX)
		span_keep = n < SPAN_KEEP_MAX / 2 ? 2 * n : SPAN_KEEP_MAX;
	int8_t *score = &keep_score[span_order(n)];
	if (!purge && *score < 0) {                  /* frees of this size went unused lately */
		purge = true;
		++*score;
	}
	span_release(i, n, purge);
	pthread_mutex_unlock(&mm_global_lock);
	return n;
}

void mm_span_free(void *p)
{
	span_count(span_drop(p), false);
}

/* A span the user freed and its heap keeps for its next growing block (grow.c): counted as
 * freed, and as kept. It stays out of the runs, and marked: any other free, realloc or
 * malloc_usable_size of it is of an invalid pointer. */
void mm_span_keep(void *p)
{
	uint32_t i = span_page(p, "free(): invalid pointer", false), n = span_len[i];
	span_len[i] = n | SPAN_KEPT;
	span_count(n, false);
	atomic_fetch_add_explicit(&mm_huge_count[3], (size_t)n * MM_OS_PAGE, memory_order_relaxed);
}

/* The page index of the span at p, which its caller keeps. */
static uint32_t kept_page(const void *p)
{
	return (uint32_t)(((uintptr_t)p - atomic_load_explicit(&mm_span_base, memory_order_relaxed)) /
			  MM_OS_PAGE);
}

/* Usable bytes of the span at p, which its caller keeps. */
size_t mm_span_usable_kept(const void *p)
{
	return (size_t)(span_len[kept_page(p)] & ~SPAN_KEPT) * MM_OS_PAGE;
}

/* The kept span at p is no longer marked. Returns its page count. */
static uint32_t span_unkeep(const void *p)
{
	uint32_t i = kept_page(p), n = span_len[i] & ~SPAN_KEPT;
	span_len[i] = n;
	atomic_fetch_sub_explicit(&mm_huge_count[3], (size_t)n * MM_OS_PAGE, memory_order_relaxed);
	return n;
}

/* A kept span handed out again. */
void mm_span_reuse(void *p)
{
	span_count(span_unkeep(p), true);
}

/* A kept span goes back to the region. */
void mm_span_free_kept(void *p)
{
	span_unkeep(p);
	span_drop(p);
}

/* Resizes the span at p in place: shrinks by freeing its tail, grows into the free run right
 * after it, with 1/4 headroom when the run has it (a growing block grows again). Returns
 * false when it cannot grow (the caller moves the block), as for a size no span can have. */
bool mm_span_resize(void *p, size_t size)
{
	if (size > MM_SPAN_REGION / 4)                 /* its page count would not fit in 32 bits */
		return false;
	uint32_t m = pages_of(size ? size : 1);
	pthread_mutex_lock(&mm_global_lock);
	uint32_t i = span_page(p, "realloc(): invalid pointer", true);
	uint32_t n = span_len[i];
	bool done = true, peak = false;
	if (m < n) {
		span_len[i] = m;
		live_count(0, n - m);
		span_release(i + m, n - m, false);
	} else if (m > n) {
		size_t k = run_find(i + n);
		done = k < nruns && runs[k].start == i + n && runs[k].len >= m - n;
		if (done && runs[k].len >= m - n + m / 4)
			m += m / 4;
		done = done && span_commit(i + n, m - n);
		if (done) {
			run_carve(k, i + n, m - n);
			span_len[i] = m;
			peak = live_count(m - n, 0);
		}
	}
	pthread_mutex_unlock(&mm_global_lock);
	if (peak)
		mm_heap_purge_now();
	if (done)
		atomic_fetch_add_explicit(&mm_huge_count[2], ((size_t)m - n) * MM_OS_PAGE,
					  memory_order_relaxed);
	return done;
}
