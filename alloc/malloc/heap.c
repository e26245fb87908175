/* libmmalloc thread heaps: creation on a thread's first malloc, abandonment at thread exit
 * (its segments wait on a global list), reaping of the heaps of threads that are gone without
 * it, reclaim of abandoned segments by other threads, the shared late heap of threads past
 * their heap's teardown. */
#include <errno.h>
#include <string.h>
#include "internal.h"

#define MM_REAP_SCAN 2                        /* thread heaps checked when a heap is made */

/* The heap of a thread that has not allocated yet, and again once its heap was abandoned at
 * its exit: every direct[] entry is the empty page. */
mm_heap_t mm_heap_empty = { .direct = { [0 ... MM_DIRECT] = &mm_page_empty } };
__thread mm_heap_t *mm_tls_heap __attribute__((tls_model("initial-exec"))) = &mm_heap_empty;
/* The thread's heap was abandoned at its exit: a key destructor that runs later and allocates
 * is served by the late heap, shared under mm_late_lock (glibc's threads fall back to an arena
 * without tcache after tcache_thread_shutdown): a heap of its own would never be abandoned
 * again once the destructor rounds are over. Its frees go to the blocks' pages. A flag, not a
 * second sentinel heap: that took a data page more in every process. */
__thread bool mm_tls_done __attribute__((tls_model("initial-exec")));
static mm_heap_t *late_heap;                  /* made on first use, never abandoned */

/* Where a heap lives: the heap and its foreign lists. */
struct heap_slot {
	mm_heap_t heap;
	mm_page_t foreign[MM_DIRECT_BINS + 1];
};

mm_heap_t *mm_all_heaps;
static mm_heap_t *heap_free_list;            /* heaps of exited threads, for reuse */
static struct heap_slot *heap_chunk_next, *heap_chunk_end; /* bump area for new heaps */
static struct list_head abandoned = LIST_HEAD_INIT(abandoned); /* of exited threads */
static _Atomic size_t abandoned_n;
/* The heaps of threads, by their tids. */
static struct mm_thread_list thread_heaps = MM_THREAD_LIST_INIT(thread_heaps);
static pthread_key_t heap_key;
static pthread_once_t heap_key_once = PTHREAD_ONCE_INIT;

static void heap_abandon(void *arg);

static void heap_key_create(void)
{
	pthread_key_create(&heap_key, heap_abandon);
}

/* A heap struct from the free list or a fresh 64 KiB chunk; mm_global_lock held. */
static mm_heap_t *heap_get(void)
{
	mm_heap_t *heap = heap_free_list;
	if (heap) {
		heap_free_list = heap->next_free;
		return heap;
	}
	if (heap_chunk_next == heap_chunk_end) {
		size_t len = 64u << 10;
		heap_chunk_next = mm_os_map(len, MM_OS_PAGE, 0, PROT_READ | PROT_WRITE, MAP_NORESERVE);
		if (!heap_chunk_next) {
			heap_chunk_end = NULL;
			return NULL;
		}
		heap_chunk_end = heap_chunk_next + len / sizeof(struct heap_slot);
	}
	struct heap_slot *slot = heap_chunk_next++;
	heap = &slot->heap;
	heap->foreign = slot->foreign;
	heap->all_next = mm_all_heaps;            /* kept forever: statistics read them */
	mm_all_heaps = heap;
	return heap;
}

/* Empties a heap's page queues and segment lists. */
static void heap_lists_init(mm_heap_t *heap)
{
	for (size_t bin = 0; bin < MM_BINS; bin++)
		INIT_LIST_HEAD(&heap->pages[bin]);
	INIT_LIST_HEAD(&heap->full);
	INIT_LIST_HEAD(&heap->avail[MM_KIND_SMALL]);
	INIT_LIST_HEAD(&heap->avail[MM_KIND_MEDIUM]);
	INIT_LIST_HEAD(&heap->segs);
}

/* An empty heap, fresh or reused. The first one empties the sentinel heap's lists too: a
 * remote free asks its heap, the sentinel among them, whether it holds pages of a bin, and
 * there is no block to free before a heap is made. */
static mm_heap_t *heap_new(void)
{
	pthread_mutex_lock(&mm_global_lock);
	mm_init();
	if (!mm_all_heaps)
		heap_lists_init(&mm_heap_empty);
	mm_heap_t *heap = heap_get();
	pthread_mutex_unlock(&mm_global_lock);
	if (!heap)
		return NULL;
	size_t keep = offsetof(mm_heap_t, nmalloc);  /* counters and the slot survive reuse */
	memset(heap, 0, keep);
	heap_lists_init(heap);
	for (size_t i = 0; i <= MM_DIRECT; i++)
		heap->direct[i] = &mm_page_empty;
	return heap;                                 /* its foreign lists: free.c sets them up */
}

static void heap_orphan(mm_heap_t *heap);

/* Reaps the heaps of threads that are gone without abandoning them (thread_reap.h: a thread
 * whose first malloc was in the last round of key destructors, the other threads of a fork
 * parent): checks the next MM_REAP_SCAN thread heaps and abandons those whose thread is gone,
 * as their thread would have. O(1) per new heap. The check and the claim are under
 * mm_global_lock: a heap cannot change hands between them, and is abandoned once. A heap whose
 * owner was caught changing its queues (a fork) is left alone: they may not be whole. */
static void heaps_reap(pid_t pid)
{
	struct mm_thread_link *gone[MM_REAP_SCAN];
	pthread_mutex_lock(&mm_global_lock);
	size_t n = mm_thread_list_reap(&thread_heaps, pid, gone, MM_REAP_SCAN);
	pthread_mutex_unlock(&mm_global_lock);
	for (size_t i = 0; i < n; i++) {
		mm_heap_t *heap = container_of(gone[i], mm_heap_t, thread);
		if (!atomic_load_explicit(&heap->changing, memory_order_acquire))
			heap_orphan(heap);
	}
}

/* Gives the calling thread its own heap (its first malloc), after reaping what it finds of
 * the heaps of threads that are gone. */
mm_heap_t *mm_heap_init_thread(void)
{
	pthread_once(&heap_key_once, heap_key_create);
	pid_t pid = getpid();
	heaps_reap(pid);
	mm_heap_t *heap = heap_new();
	if (!heap)
		return NULL;
	pid_t tid = mm_gettid();
	pthread_mutex_lock(&mm_global_lock);
	mm_thread_list_add(&thread_heaps, &heap->thread, pid, tid);
	pthread_mutex_unlock(&mm_global_lock);
	pthread_setspecific(heap_key, heap);         /* heap_abandon runs at thread exit */
	mm_tls_heap = heap;
	return heap;
}

/* A fork child (pthread_atfork, mm_global_lock held): its only thread is the forking one, under
 * a new tid; the other thread heaps are of threads that do not exist here, and get reaped. */
void mm_heap_fork_child(void)
{
	mm_heap_t *heap = mm_tls_heap;
	if (mm_heap_live(heap))
		heap->thread.tid = mm_gettid();
	thread_heaps.pid = getpid();
}

/* malloc by a thread past its heap's teardown: from the shared late heap. */
void *mm_heap_malloc_late(size_t size, bool exact)
{
	pthread_mutex_lock(&mm_late_lock);
	if (!late_heap)
		late_heap = heap_new();
	void *p = late_heap ? mm_heap_malloc(late_heap, size, exact) : NULL;
	pthread_mutex_unlock(&mm_late_lock);
	if (!late_heap)
		errno = ENOMEM;
	return p;
}

/* Gives back a page of a dying or reclaimed owner that has no live block left. Returns true
 * when that released its whole segment, which must not be touched afterwards. */
static bool page_drop(mm_heap_t *heap, mm_page_t *page)
{
	mm_segment_t *seg = mm_segment_of(page);
	bool last = seg->pages_used == 1;
	atomic_fetch_sub_explicit(&mm_bin_pages[page->bin], 1, memory_order_relaxed);
	mm_segment_page_free(heap, page);
	return last;
}

/* Abandons every page of a queue: empty ones go back, the others lose their owner (and wait on
 * no queue: their links are stale until a heap that reclaims them queues them). */
static void abandon_pages(mm_heap_t *heap, struct list_head *q)
{
	mm_page_t *page, *next;
	list_for_each_entry_safe(page, next, q, list) {
		mm_page_collect(page);
		if (!page->used) {
			page_drop(heap, page);
			continue;
		}
		atomic_store_explicit(&page->in_full, 0, memory_order_relaxed);
		atomic_store_explicit(&page->owner, NULL, memory_order_release);
	}
	INIT_LIST_HEAD(q);
}

/* Abandons a heap that no thread uses any more (its thread's exit, or a thread that finds it
 * gone): its pages lose their owner, its segments join the abandoned list, the heap struct the
 * free list. The caller took it off the list of thread heaps. */
static void heap_orphan(mm_heap_t *heap)
{
	for (size_t bin = 0; bin < MM_DIRECT_BINS; bin++)
		mm_foreign_retire(heap, bin);            /* first: some may be of its own pages */
	mm_heap_check(heap);                         /* a fork's copy may miscount a foreign list */
	for (size_t bin = 0; bin < MM_BINS; bin++)
		abandon_pages(heap, &heap->pages[bin]);
	abandon_pages(heap, &heap->full);
	mm_heap_purge(heap, true);
	mm_segment_t *seg, *next;
	pthread_mutex_lock(&mm_global_lock);
	list_for_each_entry_safe(seg, next, &heap->segs, heap_list) {
		mm_segment_disown(seg);
		list_add(&seg->list, &abandoned);
		atomic_fetch_add_explicit(&abandoned_n, 1, memory_order_relaxed);
	}
	heap->next_free = heap_free_list;
	heap_free_list = heap;
	pthread_mutex_unlock(&mm_global_lock);
}

/* Thread exit (pthread key destructor): the thread gives its heap up itself. */
static void heap_abandon(void *arg)
{
	mm_heap_t *heap = arg;
	mm_tls_done = true;                          /* later frees go remote, mallocs to late_heap */
	mm_tls_heap = &mm_heap_empty;
	pthread_mutex_lock(&mm_global_lock);
	mm_thread_list_del(&thread_heaps, &heap->thread);
	pthread_mutex_unlock(&mm_global_lock);
	heap_orphan(heap);
}

/* Adopts one abandoned segment: its pages join this heap's queues. Returns false if none. */
bool mm_heap_reclaim(mm_heap_t *heap)
{
	if (!atomic_load_explicit(&abandoned_n, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&mm_global_lock);
	mm_segment_t *seg = mm_segment_first(&abandoned);
	if (seg) {
		__list_del_entry(&seg->list);
		atomic_fetch_sub_explicit(&abandoned_n, 1, memory_order_relaxed);
	}
	pthread_mutex_unlock(&mm_global_lock);
	if (!seg)
		return false;
	mm_segment_adopt(heap, seg);
	for (unsigned i = 0; i < seg->page_count; i++) {
		mm_page_t *page = &seg->pages[i];
		if (!page->in_use)
			continue;
		atomic_store_explicit(&page->owner, heap, memory_order_release);
		mm_page_collect(page);
		if (page->used)
			mm_heap_queue_page(heap, page);
		else if (page_drop(heap, page))
			return true;                 /* the whole segment was free */
	}
	mm_heap_check(heap);
	return true;
}
