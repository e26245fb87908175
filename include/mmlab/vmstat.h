/* Counter updates and reads (include/linux/vmstat.h): per zone, per node and machine-wide totals. */
#ifndef MMLAB_VMSTAT_H
#define MMLAB_VMSTAT_H

#include <mmlab/machine.h>

/* The text of every /proc/vmstat line, indexed zone items, numa, node, vm_stat, then events. */
extern const char *const vmstat_text[];

static inline void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	zone->vm_stat[item] += delta;
	zone_machine(zone)->vm_zone_stat[item] += delta;
}
static inline unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	return zone->vm_stat[item] < 0 ? 0 : (unsigned long)zone->vm_stat[item];
}
static inline unsigned long global_zone_page_state(const struct machine *m, enum zone_stat_item item)
{
	return m->vm_zone_stat[item] < 0 ? 0 : (unsigned long)m->vm_zone_stat[item];
}

static inline void __mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta)
{
	pgdat->vm_stat[item] += delta;
	pgdat->machine->vm_node_stat[item] += delta;
}
static inline unsigned long node_page_state(const pg_data_t *pgdat, enum node_stat_item item)
{
	return pgdat->vm_stat[item] < 0 ? 0 : (unsigned long)pgdat->vm_stat[item];
}
static inline unsigned long global_node_page_state(const struct machine *m, enum node_stat_item item)
{
	return m->vm_node_stat[item] < 0 ? 0 : (unsigned long)m->vm_node_stat[item];
}

/* NUMA events are counted per zone only, and summed when read (mm/vmstat.c sum_zone_numa_event_state). */
static inline void __count_numa_event(struct zone *zone, enum numa_stat_item item)
{
	zone->vm_numa_event[item]++;
}

static inline unsigned long global_numa_event_state(const struct machine *m, enum numa_stat_item item)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			sum += m->node_data[nid]->node_zones[z].vm_numa_event[item];
	return sum;
}

/* The per-zone event groups (pgalloc_*, allocstall_*, pgskip_*) are indexed by zone type. */
static inline void __count_zid_vm_events(struct machine *m, enum vm_event_item base, enum zone_type zid,
					 unsigned long delta)
{
	m->vm_events[base + zid] += delta;
}

/* nr_free_buffer_pages: lowmem pages above the high watermark (mm/page_alloc.c). */
unsigned long nr_free_buffer_pages(struct machine *m);
/* show_free_areas: the Mem-Info report of warn_alloc and the OOM killer (mm/show_mem.c). */
struct seq_file;
void show_free_areas(struct machine *m, struct seq_file *s);
/* show_mem: "Mem-Info:", show_free_areas, then the RAM totals (mm/show_mem.c). __show_mem limits the
 * zones shown to those up to max_zone_idx, as warn_alloc and the OOM killer do with gfp_zone(gfp). */
void show_mem(struct machine *m, struct seq_file *s);
void __show_mem(struct machine *m, struct seq_file *s, int max_zone_idx);

/* si_mem_available: the MemAvailable estimate (mm/show_mem.c). */
long si_mem_available(struct machine *m);

#endif
