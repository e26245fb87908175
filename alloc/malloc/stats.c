/* libmmalloc statistics: per size class allocations, frees, live bytes and pages held, printed
 * at exit when MMALLOC_STATS is set (os.c; the shape of /proc/slabinfo). */
#include <stdio.h>
#include <unistd.h>
#include "internal.h"
#include "mmalloc.h"

struct bin_stat {
	uint64_t allocs, live;
};

/* Blocks in use per bin: page->used minus the remote frees not yet collected. */
static void count_live(struct bin_stat *st)
{
	mm_segment_t *seg;
	list_for_each_entry(seg, &mm_all_segments, all_list) {
		if (seg->kind == MM_KIND_HUGE)
			continue;
		for (unsigned i = 0; i < seg->page_count; i++) {
			mm_page_t *page = &seg->pages[i];
			if (!page->in_use)
				continue;
			uint32_t remote = mm_tf_count(atomic_load(&page->thread_free));
			st[page->bin].live += page->used > remote ? page->used - remote : 0;
		}
	}
}

static void out(int fd, const char *line, int n)
{
	if (n > 0 && write(fd, line, (size_t)n) < 0)
		return;                               /* nothing to do about a closed stderr */
}

MM_EXPORT void mmalloc_stats_print(int fd)
{
	struct bin_stat st[MM_BINS] = { 0 };         /* on the stack: no allocation while printing */
	char line[160];
	pthread_mutex_lock(&mm_global_lock);
	for (mm_heap_t *h = mm_all_heaps; h; h = h->all_next)
		for (size_t b = 0; b < MM_BINS; b++)
			st[b].allocs += h->nmalloc[b];
	count_live(st);
	for (mm_heap_t *h = mm_all_heaps; h; h = h->all_next) {   /* freed, kept by a thread */
		for (size_t b = 0; b < MM_DIRECT_BINS; b++) {
			const mm_page_t *f = mm_foreign_list(h, b);
			uint64_t kept = f ? mm_foreign_count(f) : 0;
			st[b].live -= kept < st[b].live ? kept : st[b].live;
		}
	}
	pthread_mutex_unlock(&mm_global_lock);
	out(fd, line, snprintf(line, sizeof(line), "mmalloc: statistics (pid %d)\n%8s %14s %14s %14s %8s %12s\n",
			       (int)getpid(), "size", "allocs", "frees", "live-bytes", "pages", "page-bytes"));
	uint64_t ta = 0, tf = 0, tl = 0, tp = 0;
	for (size_t b = 0; b < MM_BINS; b++) {
		int64_t pages = atomic_load(&mm_bin_pages[b]);
		if (!st[b].allocs && !pages)
			continue;
		size_t bs = mm_bin_size(b);
		uint64_t pbytes = (uint64_t)pages << mm_kind_shift(mm_bin_kind(b));
		out(fd, line, snprintf(line, sizeof(line), "%8zu %14llu %14llu %14llu %8lld %12llu\n", bs,
				       (unsigned long long)st[b].allocs,
				       (unsigned long long)(st[b].allocs - st[b].live),
				       (unsigned long long)(st[b].live * bs), (long long)pages,
				       (unsigned long long)pbytes));
		ta += st[b].allocs;
		tf += st[b].allocs - st[b].live;
		tl += st[b].live * bs;
		tp += pbytes;
	}
	uint64_t ha = atomic_load(&mm_huge_count[0]), hf = atomic_load(&mm_huge_count[1]);
	uint64_t hl = atomic_load(&mm_huge_count[2]);
	uint64_t hp = hl + atomic_load(&mm_huge_count[3]);      /* and spans kept for growing */
	out(fd, line, snprintf(line, sizeof(line), "%8s %14llu %14llu %14llu %8llu %12llu\n", "huge",
			       (unsigned long long)ha, (unsigned long long)hf, (unsigned long long)hl,
			       (unsigned long long)(hp / MM_OS_PAGE), (unsigned long long)hp));
	out(fd, line, snprintf(line, sizeof(line), "%8s %14llu %14llu %14llu %8s %12llu\n", "total",
			       (unsigned long long)(ta + ha), (unsigned long long)(tf + hf),
			       (unsigned long long)(tl + hl), "", (unsigned long long)(tp + hp)));
}
