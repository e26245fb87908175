/*
 * /proc/slabinfo (mm/slab_common.c slab_show, version 2.1) and /sys/kernel/slab/<cache>/ (mm/slub.c
 * slab_attrs). The debug switches are writable while the cache holds no slab (as they were before
 * 5.14); shrink and validate take "1".
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/seq_file.h>
#include <mmlab/slab.h>

#include "fs/proc/internal.h"
#include "mm/slab.h"

/* print_slabinfo_header / cache_show (mm/slab_common.c). */
static int slabinfo_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct kmem_cache *c = NULL;

	(void)arg;
	seq_puts(s, "slabinfo - version: 2.1\n");
	seq_puts(s, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(s, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(s, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	while ((c = kmem_cache_next(m, c))) {
		struct slabinfo si;
		get_slabinfo(c, &si);
		seq_printf(s, "%-17s %6lu %6lu %6u %4u %4d", kmem_cache_name(c), si.active_objs, si.num_objs,
			   kmem_cache_size(c), si.objects_per_slab, 1 << si.cache_order);
		seq_printf(s, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		seq_printf(s, " : slabdata %6lu %6lu %6lu\n", si.active_slabs, si.num_slabs, 0UL);
	}
	return 0;
}

static bool slab_lookup(struct machine *m, const char *arg)
{
	return kmem_cache_lookup(m, arg) != NULL;
}

/* show_slab_objects: a total, then " N<node>=<value>" for each node that has some (CONFIG_NUMA). */
enum slab_objects_what { SO_SLABS, SO_PARTIAL, SO_OBJECTS, SO_TOTAL, SO_OBJECTS_PARTIAL, SO_CPU };

static unsigned long node_value(struct machine *m, struct kmem_cache *c, int nid, enum slab_objects_what what)
{
	struct kmem_cache_node *n = c->node[nid];
	unsigned long x = 0;
	struct slab *slab;

	switch (what) {
	case SO_SLABS: return (unsigned long)n->nr_slabs;
	case SO_PARTIAL: return n->nr_partial;
	case SO_TOTAL: return (unsigned long)n->total_objects;
	case SO_OBJECTS: return (unsigned long)n->total_objects - count_partial_free(n);
	case SO_OBJECTS_PARTIAL:
		list_for_each_entry(slab, &n->partial, slab_list)
			x += slab->inuse;
		return x;
	case SO_CPU:
		for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
			struct kmem_cache_cpu *cs = &c->cpu_slab[cpu];
			x += cs->slab && slab_nid(cs->slab) == nid;
			for (struct slab *p = cs->partial; p; p = p->next)
				x += slab_nid(p) == nid;
		}
		return x;
	}
	return 0;
}

static int show_slab_objects(struct machine *m, struct seq_file *s, const char *arg, enum slab_objects_what what)
{
	struct kmem_cache *c = kmem_cache_lookup(m, arg);
	unsigned long nodes[MAX_NUMNODES], total = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		total += nodes[nid] = node_value(m, c, nid, what);
	seq_printf(s, "%lu", total);
	for (int nid = 0; config_numa(m) && nid < m->nr_node_ids; nid++)
		if (nodes[nid])
			seq_printf(s, " N%d=%lu", nid, nodes[nid]);
	seq_putc(s, '\n');
	return 0;
}

/* One value of the cache's layout or flags. */
enum slab_attr {
	A_OBJECT_SIZE, A_SLAB_SIZE, A_OBJS_PER_SLAB, A_ORDER, A_ALIGN, A_MIN_PARTIAL, A_CPU_PARTIAL,
	A_SANITY, A_RED_ZONE, A_POISON, A_STORE_USER, A_TRACE, A_RECLAIM, A_HWCACHE, A_DMA,
};

static unsigned long attr_value(struct kmem_cache *c, enum slab_attr a)
{
	static const slab_flags_t flag[] = {
		[A_SANITY] = SLAB_CONSISTENCY_CHECKS, [A_RED_ZONE] = SLAB_RED_ZONE, [A_POISON] = SLAB_POISON,
		[A_STORE_USER] = SLAB_STORE_USER, [A_TRACE] = SLAB_TRACE, [A_RECLAIM] = SLAB_RECLAIM_ACCOUNT,
		[A_HWCACHE] = SLAB_HWCACHE_ALIGN, [A_DMA] = SLAB_CACHE_DMA,
	};

	switch (a) {
	case A_OBJECT_SIZE: return c->object_size;
	case A_SLAB_SIZE: return c->size;
	case A_OBJS_PER_SLAB: return oo_objects(c->oo);
	case A_ORDER: return oo_order(c->oo);
	case A_ALIGN: return c->align;
	case A_MIN_PARTIAL: return c->min_partial;
	case A_CPU_PARTIAL: return c->cpu_partial;
	default: return (c->user_flags | c->flags) & flag[a] ? 1 : 0;
	}
}

static int show_attr(struct machine *m, struct seq_file *s, const char *arg, enum slab_attr a)
{
	seq_printf(s, "%lu\n", attr_value(kmem_cache_lookup(m, arg), a));
	return 0;
}

/* parse_bool: "0" or "1", white space around it allowed. */
static int parse_bool(const char *text, size_t len, bool *out)
{
	char buf[16];

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	char *end;
	long v = strtol(buf, &end, 10);
	while (*end == ' ' || *end == '\n')
		end++;
	if (end == buf || *end || (v != 0 && v != 1))
		return -EINVAL;
	*out = v;
	return 0;
}

static int write_debug(struct machine *m, const char *arg, const char *text, size_t len, slab_flags_t flag)
{
	bool on;
	int err = parse_bool(text, len, &on);

	return err ? err : kmem_cache_set_debug(m, kmem_cache_lookup(m, arg), flag, on);
}

static int write_shrink(struct machine *m, const char *arg, const char *text, size_t len)
{
	bool on;
	int err = parse_bool(text, len, &on);

	if (!err && on)
		kmem_cache_shrink(m, kmem_cache_lookup(m, arg));
	return err;
}

static int write_validate(struct machine *m, const char *arg, const char *text, size_t len)
{
	bool on;
	int err = parse_bool(text, len, &on);

	if (!err && on)
		validate_slab_cache(m, kmem_cache_lookup(m, arg));
	return err;
}

#define OBJ_SHOW(name, what)                                                            \
	static int show_##name(struct machine *m, struct seq_file *s, const char *arg) \
	{                                                                               \
		return show_slab_objects(m, s, arg, what);                              \
	}
OBJ_SHOW(slabs, SO_SLABS)
OBJ_SHOW(partial, SO_PARTIAL)
OBJ_SHOW(objects, SO_OBJECTS)
OBJ_SHOW(total_objects, SO_TOTAL)
OBJ_SHOW(objects_partial, SO_OBJECTS_PARTIAL)
OBJ_SHOW(cpu_slabs, SO_CPU)

#define ATTR_SHOW(name, a)                                                              \
	static int show_##name(struct machine *m, struct seq_file *s, const char *arg) \
	{                                                                               \
		return show_attr(m, s, arg, a);                                         \
	}
ATTR_SHOW(object_size, A_OBJECT_SIZE)
ATTR_SHOW(slab_size, A_SLAB_SIZE)
ATTR_SHOW(objs_per_slab, A_OBJS_PER_SLAB)
ATTR_SHOW(order, A_ORDER)
ATTR_SHOW(align, A_ALIGN)
ATTR_SHOW(min_partial, A_MIN_PARTIAL)
ATTR_SHOW(cpu_partial, A_CPU_PARTIAL)
ATTR_SHOW(sanity_checks, A_SANITY)
ATTR_SHOW(red_zone, A_RED_ZONE)
ATTR_SHOW(poison, A_POISON)
ATTR_SHOW(store_user, A_STORE_USER)
ATTR_SHOW(trace, A_TRACE)
ATTR_SHOW(reclaim_account, A_RECLAIM)
ATTR_SHOW(hwcache_align, A_HWCACHE)
ATTR_SHOW(cache_dma, A_DMA)

#define DEBUG_WRITE(name, flag)                                                                      \
	static int write_##name(struct machine *m, const char *arg, const char *text, size_t len) \
	{                                                                                            \
		return write_debug(m, arg, text, len, flag);                                         \
	}
DEBUG_WRITE(sanity_checks, SLAB_CONSISTENCY_CHECKS)
DEBUG_WRITE(red_zone, SLAB_RED_ZONE)
DEBUG_WRITE(poison, SLAB_POISON)
DEBUG_WRITE(store_user, SLAB_STORE_USER)

static int show_empty(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)m;
	(void)s;
	(void)arg;
	return 0;
}

#define SLAB_FILE(name, wr) { .path = "/sys/kernel/slab/*/" #name, .lookup = slab_lookup, .show = show_##name, .write = wr }

const struct proc_entry slab_proc_entries[] = {
	{ .path = "/proc/slabinfo", .show = slabinfo_show },
	SLAB_FILE(object_size, NULL),
	SLAB_FILE(slab_size, NULL),
	SLAB_FILE(objs_per_slab, NULL),
	SLAB_FILE(order, NULL),
	SLAB_FILE(align, NULL),
	SLAB_FILE(min_partial, NULL),
	SLAB_FILE(cpu_partial, NULL),
	SLAB_FILE(objects, NULL),
	SLAB_FILE(objects_partial, NULL),
	SLAB_FILE(total_objects, NULL),
	SLAB_FILE(slabs, NULL),
	SLAB_FILE(partial, NULL),
	SLAB_FILE(cpu_slabs, NULL),
	SLAB_FILE(sanity_checks, write_sanity_checks),
	SLAB_FILE(red_zone, write_red_zone),
	SLAB_FILE(poison, write_poison),
	SLAB_FILE(store_user, write_store_user),
	SLAB_FILE(trace, NULL),
	SLAB_FILE(reclaim_account, NULL),
	SLAB_FILE(hwcache_align, NULL),
	SLAB_FILE(cache_dma, NULL),
	{ .path = "/sys/kernel/slab/*/shrink", .lookup = slab_lookup, .show = show_empty, .write = write_shrink },
	{ .path = "/sys/kernel/slab/*/validate", .lookup = slab_lookup, .write = write_validate },
	{ .path = NULL },
};
