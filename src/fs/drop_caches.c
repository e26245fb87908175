/*
 * echo N > /proc/sys/vm/drop_caches (fs/drop_caches.c): 1 drops every clean, unmapped page-cache
 * page of every inode (drop_pagecache_sb), 2 runs the shrinkers (drop_slab) - the inode cache's:
 * unused inodes with no page cached are freed; the deferred split queue's: partly unmapped THPs are
 * split - and 3 does both.
 * Each logs the kernel's line, until a write with bit 4 silences it.
 */
#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/machine.h>
#include <mmlab/printk.h>

/* drop_pagecache_sb: each inode's clean cache. */
static void drop_pagecache_sb(struct machine *m)
{
	struct inode *inode;

	list_for_each_entry(inode, &m->fs->inodes, i_sb_list)
		if (inode->i_data.nrpages)
			invalidate_mapping_pages(m, &inode->i_data, 0, ~0UL);
}

/* drop_slab: the shrinkers at priority 0 on every node, again while they free more than a
 * shrinking share: the inode cache's (prune_icache) and the deferred split queue's. */
static void drop_slab(struct machine *m)
{
	unsigned long freed;
	int shift = 0;

	prune_icache(m);	/* super_cache_scan's inode part */
	do {
		freed = 0;
		for (int nid = 0; nid < m->nr_node_ids; nid++)
			freed += deferred_split_shrink(m, NODE_DATA(m, nid), 0);
	} while ((freed >> shift++) > 1);
}

void drop_caches_write(struct machine *m, int value)
{
	if (value & 1) {
		drop_pagecache_sb(m);
		count_vm_event(m, DROP_PAGECACHE);
	}
	if (value & 2) {
		drop_slab(m);
		count_vm_event(m, DROP_SLAB);
	}
	if (!m->fs->drop_caches_stfu)
		pr_info(m, "%s (%d): drop_caches: %d\n", m->trace.comm, m->trace.pid, value);
	m->fs->drop_caches_stfu |= value & 4;
}
