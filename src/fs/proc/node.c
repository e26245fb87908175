/*
 * The NUMA nodes under /sys/devices/system/node (drivers/base/node.c): the node state masks
 * (online, has_memory, ...) and each node's meminfo, numastat, vmstat, distance and cpulist.
 */
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"

static inline unsigned long K(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* node_arg: the node a "nodeN" directory names, or -1. */
static int node_arg(const struct machine *m, const char *arg)
{
	char *end;
	long nid = strtol(arg, &end, 10);

	if (*end || end == arg || arg[0] == '+' || arg[0] == '-' || (arg[0] == '0' && arg[1]))
		return -1;
	return nid < m->nr_node_ids ? (int)nid : -1;
}

/* node_lookup: nodeN exists for an online node of a NUMA kernel. */
static bool node_lookup(struct machine *m, const char *arg)
{
	return config_numa(m) && node_arg(m, arg) >= 0;
}

/* sum_zone_node_page_state: a zone counter summed over one node's zones (mm/vmstat.c). */
static unsigned long sum_zone_node_page_state(const pg_data_t *pgdat, enum zone_stat_item item)
{
	unsigned long sum = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		sum += zone_page_state(&pgdat->node_zones[i], item);
	return sum;
}

/* sum_zone_numa_event_state: a NUMA event summed over one node's zones (mm/vmstat.c). */
static unsigned long sum_zone_numa_event_state(const pg_data_t *pgdat, enum numa_stat_item item)
{
	unsigned long sum = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		sum += pgdat->node_zones[i].vm_numa_event[item];
	return sum;
}

/* The node's share of si_meminfo (mm/show_mem.c si_meminfo_node). */
struct node_sysinfo {
	unsigned long totalram, freeram, totalhigh, freehigh;
};

static void si_meminfo_node(const pg_data_t *pgdat, struct node_sysinfo *i)
{
	const struct zone *high = &pgdat->node_zones[ZONE_HIGHMEM];

	i->totalram = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		i->totalram += pgdat->node_zones[z].managed_pages;
	i->freeram = sum_zone_node_page_state(pgdat, NR_FREE_PAGES);
	i->totalhigh = high->managed_pages;
	i->freehigh = zone_page_state(high, NR_FREE_PAGES);
}

/* node_show_val_kb: one "Node N Name:   %8lu kB" line from a count of pages. */
static void node_show_val_kb(struct seq_file *s, int nid, const char *name, unsigned long pages)
{
	seq_printf(s, "Node %d %s%8lu kB\n", nid, name, K(pages));
}

static void node_meminfo_lru(struct seq_file *s, const pg_data_t *pgdat)
{
	int nid = pgdat->node_id;
	unsigned long active_anon = node_page_state(pgdat, NR_ACTIVE_ANON);
	unsigned long inactive_anon = node_page_state(pgdat, NR_INACTIVE_ANON);
	unsigned long active_file = node_page_state(pgdat, NR_ACTIVE_FILE);
	unsigned long inactive_file = node_page_state(pgdat, NR_INACTIVE_FILE);

	node_show_val_kb(s, nid, "Active:         ", active_anon + active_file);
	node_show_val_kb(s, nid, "Inactive:       ", inactive_anon + inactive_file);
	node_show_val_kb(s, nid, "Active(anon):   ", active_anon);
	node_show_val_kb(s, nid, "Inactive(anon): ", inactive_anon);
	node_show_val_kb(s, nid, "Active(file):   ", active_file);
	node_show_val_kb(s, nid, "Inactive(file): ", inactive_file);
	node_show_val_kb(s, nid, "Unevictable:    ", node_page_state(pgdat, NR_UNEVICTABLE));
	node_show_val_kb(s, nid, "Mlocked:        ", sum_zone_node_page_state(pgdat, NR_MLOCK));
}

static void node_meminfo_kernel(struct seq_file *s, const pg_data_t *pgdat)
{
	int nid = pgdat->node_id;
	unsigned long sreclaimable = node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B);

	seq_printf(s, "Node %d KernelStack:    %8lu kB\n", nid, node_page_state(pgdat, NR_KERNEL_STACK_KB));
	node_show_val_kb(s, nid, "PageTables:     ", node_page_state(pgdat, NR_PAGETABLE));
	node_show_val_kb(s, nid, "SecPageTables:  ", node_page_state(pgdat, NR_SECONDARY_PAGETABLE));
	node_show_val_kb(s, nid, "NFS_Unstable:   ", 0);
	node_show_val_kb(s, nid, "Bounce:         ", 0);
	node_show_val_kb(s, nid, "WritebackTmp:   ", 0);
	node_show_val_kb(s, nid, "KReclaimable:   ",
			 sreclaimable + node_page_state(pgdat, NR_KERNEL_MISC_RECLAIMABLE));
	node_show_val_kb(s, nid, "Slab:           ", sreclaimable + sunreclaim);
	node_show_val_kb(s, nid, "SReclaimable:   ", sreclaimable);
	node_show_val_kb(s, nid, "SUnreclaim:     ", sunreclaim);
}

static void node_meminfo_thp(const struct machine *m, struct seq_file *s, const pg_data_t *pgdat)
{
	int nid = pgdat->node_id;

	if (!m->arch->thp)
		return;
	node_show_val_kb(s, nid, "AnonHugePages:  ", node_page_state(pgdat, NR_ANON_THPS));
	node_show_val_kb(s, nid, "ShmemHugePages: ", node_page_state(pgdat, NR_SHMEM_THPS));
	node_show_val_kb(s, nid, "ShmemPmdMapped: ", node_page_state(pgdat, NR_SHMEM_PMDMAPPED));
	node_show_val_kb(s, nid, "FileHugePages:  ", node_page_state(pgdat, NR_FILE_THPS));
	node_show_val_kb(s, nid, "FilePmdMapped:  ", node_page_state(pgdat, NR_FILE_PMDMAPPED));
}

/* node_read_meminfo: /sys/devices/system/node/nodeN/meminfo (drivers/base/node.c), ending with the
 * default huge page pool of the node (mm/hugetlb.c hugetlb_report_node_meminfo). */
static int node_read_meminfo(struct machine *m, struct seq_file *s, const char *arg)
{
	const pg_data_t *pgdat = NODE_DATA(m, node_arg(m, arg));
	int nid = pgdat->node_id;
	struct node_sysinfo i;

	si_meminfo_node(pgdat, &i);
	node_show_val_kb(s, nid, "MemTotal:       ", i.totalram);
	node_show_val_kb(s, nid, "MemFree:        ", i.freeram);
	node_show_val_kb(s, nid, "MemUsed:        ", i.totalram - i.freeram);
	node_show_val_kb(s, nid, "SwapCached:     ", node_page_state(pgdat, NR_SWAPCACHE));
	node_meminfo_lru(s, pgdat);
	if (zone_configured(m, ZONE_HIGHMEM)) {
		node_show_val_kb(s, nid, "HighTotal:      ", i.totalhigh);
		node_show_val_kb(s, nid, "HighFree:       ", i.freehigh);
		node_show_val_kb(s, nid, "LowTotal:       ", i.totalram - i.totalhigh);
		node_show_val_kb(s, nid, "LowFree:        ", i.freeram - i.freehigh);
	}
	node_show_val_kb(s, nid, "Dirty:          ", node_page_state(pgdat, NR_FILE_DIRTY));
	node_show_val_kb(s, nid, "Writeback:      ", node_page_state(pgdat, NR_WRITEBACK));
	node_show_val_kb(s, nid, "FilePages:      ", node_page_state(pgdat, NR_FILE_PAGES));
	node_show_val_kb(s, nid, "Mapped:         ", node_page_state(pgdat, NR_FILE_MAPPED));
	node_show_val_kb(s, nid, "AnonPages:      ", node_page_state(pgdat, NR_ANON_MAPPED));
	node_show_val_kb(s, nid, "Shmem:          ", node_page_state(pgdat, NR_SHMEM));
	node_meminfo_kernel(s, pgdat);
	node_meminfo_thp(m, s, pgdat);
	seq_printf(s, "Node %d HugePages_Total: %5lu\n", nid, default_hstate(m)->nr_huge_pages_node[nid]);
	seq_printf(s, "Node %d HugePages_Free:  %5lu\n", nid, default_hstate(m)->free_huge_pages_node[nid]);
	seq_printf(s, "Node %d HugePages_Surp:  %5lu\n", nid, default_hstate(m)->surplus_huge_pages_node[nid]);
	return 0;
}

/* node_read_numastat: allocations served on and off the node (drivers/base/node.c). */
static int node_read_numastat(struct machine *m, struct seq_file *s, const char *arg)
{
	const pg_data_t *pgdat = NODE_DATA(m, node_arg(m, arg));

	seq_printf(s,
		   "numa_hit %lu\n"
		   "numa_miss %lu\n"
		   "numa_foreign %lu\n"
		   "interleave_hit %lu\n"
		   "local_node %lu\n"
		   "other_node %lu\n",
		   sum_zone_numa_event_state(pgdat, NUMA_HIT), sum_zone_numa_event_state(pgdat, NUMA_MISS),
		   sum_zone_numa_event_state(pgdat, NUMA_FOREIGN),
		   sum_zone_numa_event_state(pgdat, NUMA_INTERLEAVE_HIT),
		   sum_zone_numa_event_state(pgdat, NUMA_LOCAL), sum_zone_numa_event_state(pgdat, NUMA_OTHER));
	return 0;
}

/* node_read_vmstat: the zone counters summed over the node, its NUMA events, then its node counters
 * (drivers/base/node.c). */
static int node_read_vmstat(struct machine *m, struct seq_file *s, const char *arg)
{
	const pg_data_t *pgdat = NODE_DATA(m, node_arg(m, arg));
	int line = 0;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++, line++)
		seq_printf(s, "%s %lu\n", vmstat_text[line], sum_zone_node_page_state(pgdat, (enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++, line++)
		seq_printf(s, "%s %lu\n", vmstat_text[line], sum_zone_numa_event_state(pgdat, (enum numa_stat_item)i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++, line++)
		seq_printf(s, "%s %lu\n", vmstat_text[line],
			   node_stat_value(m, node_page_state(pgdat, (enum node_stat_item)i), (enum node_stat_item)i));
	return 0;
}

/* node_read_distance: the distance from this node to each online node (drivers/base/node.c). */
static int node_read_distance(struct machine *m, struct seq_file *s, const char *arg)
{
	int nid = node_arg(m, arg);

	for (int i = 0; i < m->nr_node_ids; i++)
		seq_printf(s, "%s%d", i ? " " : "", node_distance(m, nid, i));
	seq_putc(s, '\n');
	return 0;
}

/* bitmap_print_list: the set bits of a mask as "0-2,5", as %*pbl prints them (lib/vsprintf.c). */
static void bitmap_print_list(struct seq_file *s, const bool *set, int nbits)
{
	const char *sep = "";

	for (int i = 0; i < nbits; i++) {
		int j = i;

		if (!set[i])
			continue;
		while (j + 1 < nbits && set[j + 1])
			j++;
		if (j > i)
			seq_printf(s, "%s%d-%d", sep, i, j);
		else
			seq_printf(s, "%s%d", sep, i);
		sep = ",";
		i = j;
	}
	seq_putc(s, '\n');
}

/* node_read_cpulist: the CPUs of the node (drivers/base/node.c). */
static int node_read_cpulist(struct machine *m, struct seq_file *s, const char *arg)
{
	int nid = node_arg(m, arg);
	bool set[NR_CPUS];

	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		set[cpu] = m->cpu_to_node[cpu] == nid;
	bitmap_print_list(s, set, m->nr_cpu_ids);
	return 0;
}

/* The node states (include/linux/nodemask.h), set as mm_init.c check_for_memory sets them. */
static bool node_state_online(const struct machine *m, int nid)
{
	(void)m;
	(void)nid;
	return true;
}

/* N_HIGH_MEMORY: with HighMem configured, any node with memory below ZONE_MOVABLE. */
static bool node_state_high_memory(const struct machine *m, int nid)
{
	for (int z = 0; z < ZONE_MOVABLE; z++) {
		if (populated_zone(&NODE_DATA(m, nid)->node_zones[z]))
			return true;
	}
	return false;
}

/* N_NORMAL_MEMORY: the node's lowest populated zone is directly mapped. */
static bool node_state_normal_memory(const struct machine *m, int nid)
{
	for (int z = 0; z < ZONE_MOVABLE; z++) {
		if (populated_zone(&NODE_DATA(m, nid)->node_zones[z]))
			return z <= ZONE_NORMAL;
	}
	return false;
}

static bool node_state_memory(const struct machine *m, int nid)
{
	return NODE_DATA(m, nid)->node_present_pages != 0;
}

static bool node_state_cpu(const struct machine *m, int nid)
{
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		if (m->cpu_to_node[cpu] == nid)
			return true;
	}
	return false;
}

static bool node_state_generic_initiator(const struct machine *m, int nid)
{
	(void)m;
	(void)nid;
	return false;
}

struct node_state_attr {
	const char *name;
	bool (*has)(const struct machine *m, int nid);
	bool highmem_only;	/* shown only by a kernel with CONFIG_HIGHMEM */
};

static const struct node_state_attr node_state_attrs[] = {
	{ "possible", node_state_online, false },
	{ "online", node_state_online, false },
	{ "has_normal_memory", node_state_normal_memory, false },
	{ "has_high_memory", node_state_high_memory, true },
	{ "has_memory", node_state_memory, false },
	{ "has_cpu", node_state_cpu, false },
	{ "has_generic_initiator", node_state_generic_initiator, false },
};

static const struct node_state_attr *node_state_find(const struct machine *m, const char *name)
{
	for (size_t i = 0; i < sizeof(node_state_attrs) / sizeof(node_state_attrs[0]); i++) {
		const struct node_state_attr *a = &node_state_attrs[i];

		if (!strcmp(a->name, name) && (!a->highmem_only || zone_configured(m, ZONE_HIGHMEM)))
			return a;
	}
	return NULL;
}

static bool node_state_lookup(struct machine *m, const char *arg)
{
	return config_numa(m) && node_state_find(m, arg) != NULL;
}

/* show_node_state: the nodes in one state, as a list (drivers/base/node.c). */
static int show_node_state(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct node_state_attr *a = node_state_find(m, arg);
	bool set[MAX_NUMNODES];

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		set[nid] = a->has(m, nid);
	bitmap_print_list(s, set, m->nr_node_ids);
	return 0;
}

const struct proc_entry node_proc_entries[] = {
	{ .path = "/sys/devices/system/node/node*/meminfo", .lookup = node_lookup, .show = node_read_meminfo },
	{ .path = "/sys/devices/system/node/node*/numastat", .lookup = node_lookup, .show = node_read_numastat },
	{ .path = "/sys/devices/system/node/node*/vmstat", .lookup = node_lookup, .show = node_read_vmstat },
	{ .path = "/sys/devices/system/node/node*/distance", .lookup = node_lookup, .show = node_read_distance },
	{ .path = "/sys/devices/system/node/node*/cpulist", .lookup = node_lookup, .show = node_read_cpulist },
	{ .path = "/sys/devices/system/node/node*/compact", .lookup = node_lookup, .write = sysfs_compact_node },
	{ .path = "/sys/devices/system/node/*", .lookup = node_state_lookup, .show = show_node_state },
	{ 0 },
};
