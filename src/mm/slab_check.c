/*
 * The slab part of the invariant checker (machine_check): every slab page belongs to a live cache,
 * its freelist stays inside it on object boundaries, free objects plus the in-use count make the
 * slab's object count, and every cache's per-node counters and lists agree with the slabs found.
 * (The kernel checks parts of this in validate_slab_cache and on_freelist.)
 */
#include <stdlib.h>

#include <mmlab/seq_file.h>

#include "internal.h"
#include "slab.h"

struct slab_checker {
	struct machine *m;
	struct seq_file *report;
	int errors;
	struct kmem_cache **caches;
	long (*tally)[2][MAX_NUMNODES];	/* per cache: slabs and objects found, per node */
	long *frozen;			/* per cache: frozen slabs found */
	int nr_caches;
};

#define violation(c, ...) check_report((c)->report, &(c)->errors, __VA_ARGS__)

static bool object_start(const struct machine *m, const struct kmem_cache *s, struct slab *slab, unsigned long p)
{
	unsigned long base = slab_address(m, slab) + s->red_left_pad;

	return p >= base && p < base + (unsigned long)slab->objects * s->size && (p - base) % s->size == 0;
}

/* freelist_length: the objects of a chain, each checked; -1 when the chain is broken. */
static long freelist_length(struct slab_checker *c, struct kmem_cache *s, struct slab *slab, unsigned long fp,
			    const char *which)
{
	long nr = 0;

	for (; fp; fp = get_freepointer(c->m, s, fp)) {
		if (!object_start(c->m, s, slab, fp)) {
			violation(c, "%s: %s of the slab at pfn %#lx points to %#lx, not an object of it", s->name, which,
				  page_to_pfn(c->m, slab_page(slab)), fp);
			return -1;
		}
		if (++nr > slab->objects) {
			violation(c, "%s: %s of the slab at pfn %#lx is longer than its %u objects", s->name, which,
				  page_to_pfn(c->m, slab_page(slab)), slab->objects);
			return -1;
		}
	}
	return nr;
}

static int cache_index(struct slab_checker *c, struct kmem_cache *s)
{
	for (int i = 0; i < c->nr_caches; i++)
		if (c->caches[i] == s)
			return i;
	return -1;
}

static void check_slab_page(struct slab_checker *c, struct slab *slab)
{
	unsigned long pfn = page_to_pfn(c->m, slab_page(slab));
	int i = cache_index(c, slab->slab_cache);

	if (i < 0) {
		violation(c, "pfn %#lx is a slab of no live cache", pfn);
		return;
	}
	struct kmem_cache *s = slab->slab_cache;
	if (slab->objects != oo_objects(s->oo) && slab->objects != oo_objects(s->min))
		violation(c, "%s: slab at pfn %#lx has %u objects, not %u or %u", s->name, pfn, slab->objects,
			  oo_objects(s->oo), oo_objects(s->min));
	long nr = freelist_length(c, s, slab, slab->freelist, "the freelist");
	if (nr >= 0 && nr + slab->inuse != slab->objects)
		violation(c, "%s: slab at pfn %#lx: %ld free + %u in use != %u objects", s->name, pfn, nr, slab->inuse,
			  slab->objects);
	c->tally[i][0][slab_nid(slab)]++;
	c->tally[i][1][slab_nid(slab)] += slab->objects;
	c->frozen[i] += slab->frozen;
}

/* The per-CPU slabs must be frozen, their lockless freelists inside them. */
static long check_cpu_slabs(struct slab_checker *c, struct kmem_cache *s)
{
	long frozen = 0;

	for (int cpu = 0; cpu < c->m->nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *cs = &s->cpu_slab[cpu];
		if (cs->slab) {
			frozen++;
			if (!cs->slab->frozen)
				violation(c, "%s: cpu %d's active slab is not frozen", s->name, cpu);
			freelist_length(c, s, cs->slab, cs->freelist, "the cpu freelist");
		} else if (cs->freelist) {
			violation(c, "%s: cpu %d has a freelist but no slab", s->name, cpu);
		}
		for (struct slab *p = cs->partial; p; p = p->next) {
			frozen++;
			if (!p->frozen || !p->freelist)
				violation(c, "%s: cpu %d's partial slab at pfn %#lx is not frozen with free objects", s->name,
					  cpu, page_to_pfn(c->m, slab_page(p)));
		}
	}
	return frozen;
}

static void check_cache(struct slab_checker *c, int i)
{
	struct kmem_cache *s = c->caches[i];

	for (int nid = 0; nid < c->m->nr_node_ids; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);
		unsigned long partial = 0;
		struct slab *slab;
		list_for_each_entry(slab, &n->partial, slab_list) {
			partial++;
			if (slab->frozen || !slab->freelist || slab->slab_cache != s)
				violation(c, "%s node %d: partial slab at pfn %#lx is frozen, full or not its own", s->name,
					  nid, page_to_pfn(c->m, slab_page(slab)));
		}
		if (partial != n->nr_partial)
			violation(c, "%s node %d: nr_partial is %lu but the list holds %lu", s->name, nid, n->nr_partial,
				  partial);
		if (c->tally[i][0][nid] != n->nr_slabs || c->tally[i][1][nid] != n->total_objects)
			violation(c, "%s node %d: counters say %ld slabs, %ld objects; found %ld, %ld", s->name, nid,
				  n->nr_slabs, n->total_objects, c->tally[i][0][nid], c->tally[i][1][nid]);
	}
	long frozen = check_cpu_slabs(c, s);
	if (frozen != c->frozen[i])
		violation(c, "%s: %ld slabs are frozen but the CPUs hold %ld", s->name, c->frozen[i], frozen);
}

int slab_check(struct machine *m, struct seq_file *report)
{
	struct slab_checker c = { .m = m, .report = report };
	struct kmem_cache *s = NULL;

	if (!m->slab)
		return 0;
	while ((s = kmem_cache_next(m, s)))
		c.nr_caches++;
	c.caches = calloc((size_t)c.nr_caches + 1, sizeof(*c.caches));
	c.tally = calloc((size_t)c.nr_caches + 1, sizeof(*c.tally));
	c.frozen = calloc((size_t)c.nr_caches + 1, sizeof(*c.frozen));
	if (c.caches && c.tally && c.frozen) {
		int i = 0;
		while ((s = kmem_cache_next(m, s)))
			c.caches[i++] = s;
		for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
			if (PageSlab(pfn_to_page(m, pfn)))
				check_slab_page(&c, page_slab(pfn_to_page(m, pfn)));
		for (i = 0; i < c.nr_caches; i++)
			check_cache(&c, i);
	} else {
		violation(&c, "slab: host out of memory for the check");
	}
	free(c.caches);
	free(c.tally);
	free(c.frozen);
	return c.errors;
}
