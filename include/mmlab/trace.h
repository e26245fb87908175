/*
 * Tracepoints (include/trace/events/kmem.h, ...): when one is enabled (`trace NAME,...`), each event
 * prints one line in the kernel's ftrace format, as /sys/kernel/tracing/trace_pipe shows it:
 *            mmlab-1       [000] .....     0.000120: mm_page_alloc: page=... pfn=0x... order=0 ...
 * A disabled tracepoint costs one load and one branch.
 */
#ifndef MMLAB_TRACE_H
#define MMLAB_TRACE_H

#include <stdbool.h>
#include <stdio.h>

/* Every tracepoint the machine has; later subsystems add theirs here. */
#define MMLAB_TRACE_EVENTS(E)          \
	E(mm_page_alloc)               \
	E(mm_page_free)                \
	E(mm_page_free_batched)        \
	E(mm_page_alloc_zone_locked)   \
	E(mm_page_pcpu_drain)          \
	E(mm_page_alloc_extfrag)       \
	E(kmalloc)                     \
	E(kmem_cache_alloc)            \
	E(kfree)                       \
	E(kmem_cache_free)             \
	E(mm_vmscan_kswapd_wake)       \
	E(mm_vmscan_kswapd_sleep)      \
	E(mm_vmscan_wakeup_kswapd)     \
	E(mm_vmscan_direct_reclaim_begin) \
	E(mm_vmscan_direct_reclaim_end) \
	E(mm_vmscan_lru_shrink_inactive) \
	E(mm_vmscan_lru_shrink_active) \
	E(mm_filemap_add_to_page_cache) \
	E(mm_filemap_delete_from_page_cache) \
	E(mm_filemap_fault)            \
	E(mm_filemap_map_pages)        \
	E(page_cache_ra_unbounded)     \
	E(page_cache_ra_order)         \
	E(page_cache_sync_ra)          \
	E(page_cache_async_ra)         \
	E(ksm_start_scan)              \
	E(ksm_stop_scan)               \
	E(ksm_remove_ksm_page) \
	E(mm_compaction_isolate_migratepages) \
	E(mm_compaction_isolate_freepages) \
	E(mm_compaction_migratepages) \
	E(mm_compaction_begin)         \
	E(mm_compaction_end)           \
	E(mm_compaction_try_to_compact_pages) \
	E(mm_compaction_finished)      \
	E(mm_compaction_suitable)      \
	E(mm_compaction_deferred)      \
	E(mm_compaction_defer_compaction) \
	E(mm_compaction_defer_reset)   \
	E(mm_compaction_wakeup_kcompactd) \
	E(mm_compaction_kcompactd_wake) \
	E(mm_khugepaged_scan_pmd)      \
	E(mm_collapse_huge_page)

enum trace_event_id {
#define TRACE_ENUM(name) TP_##name,
	MMLAB_TRACE_EVENTS(TRACE_ENUM)
#undef TRACE_ENUM
	NR_TRACE_EVENTS
};

struct trace_state {
	bool enabled[NR_TRACE_EVENTS];
	FILE *out;		/* where event lines go (the trace pipe) */
	const char *comm;	/* the task shown on each line */
	int pid;
};

struct machine;

extern const char *const trace_event_names[NR_TRACE_EVENTS];

/* trace_event_by_name: the id of a tracepoint, or -1. */
int trace_event_by_name(const char *name, size_t len);
/* trace_emit: print one event line: the ftrace prefix, "NAME: ", then the formatted fields. */
void trace_emit(struct machine *m, enum trace_event_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* trace_call_site: where the kernel prints the caller's symbol (call_site=%pS), the scenario's
 * FILE:LINE running, or "(kernel)" outside a command. */
const char *trace_call_site(const struct machine *m);

#define trace_enabled(m, name) __builtin_expect((m)->trace.enabled[TP_##name], 0)

#endif
