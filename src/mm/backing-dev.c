/*
 * Backing devices (mm/backing-dev.c): what readahead knows of the device under a file system, its
 * window's largest size, set through /sys/class/bdi/MAJ:MIN/read_ahead_kb. The machine's own files
 * are on one device from boot (MACHINE_FS_DEV); each host device gets one when the first inode on
 * it is read. A new value applies to files opened afterwards (file_ra_state_init copies it), as in
 * the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/cmdline.h>
#include <mmlab/fs.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

static struct backing_dev_info *bdi_find(struct machine *m, dev_t dev)
{
	struct backing_dev_info *bdi;

	list_for_each_entry(bdi, &m->fs->bdi_list, bdi_list)
		if (bdi->dev == dev)
			return bdi;
	return NULL;
}

struct backing_dev_info *bdi_get(struct machine *m, dev_t dev)
{
	struct backing_dev_info *bdi = bdi_find(m, dev);

	if (bdi)
		return bdi;
	bdi = calloc(1, sizeof(*bdi));
	if (!bdi)
		return NULL;
	bdi->dev = dev;
	bdi->ra_pages = VM_READAHEAD_PAGES;	/* bdi_init */
	bdi->io_pages = VM_READAHEAD_PAGES;
	list_add_tail(&bdi->bdi_list, &m->fs->bdi_list);
	return bdi;
}

int bdi_init(struct machine *m)
{
	INIT_LIST_HEAD(&m->fs->bdi_list);
	return bdi_get(m, MACHINE_FS_DEV) ? 0 : -ENOMEM;
}

void bdi_exit(struct machine *m)
{
	while (!list_empty(&m->fs->bdi_list)) {
		struct backing_dev_info *bdi = list_entry(m->fs->bdi_list.next, struct backing_dev_info, bdi_list);

		list_del(&bdi->bdi_list);
		free(bdi);
	}
}

/* ---- /sys/class/bdi/MAJ:MIN/ (bdi_dev_name: "%u:%u") ---- */

static struct backing_dev_info *bdi_by_name(struct machine *m, const char *name)
{
	unsigned int maj, min;
	int n = 0;

	if (sscanf(name, "%u:%u%n", &maj, &min, &n) != 2 || name[n])
		return NULL;
	return bdi_find(m, makedev(maj, min));
}

static bool bdi_lookup(struct machine *m, const char *arg)
{
	return bdi_by_name(m, arg) != NULL;
}

/* read_ahead_kb_show: the window's largest size in KiB. */
static int read_ahead_kb_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", bdi_by_name(m, arg)->ra_pages << (PAGE_SHIFT - 10));
	return 0;
}

/* read_ahead_kb_store: a size in KiB, rounded down to pages; 0 turns readahead off. */
static int read_ahead_kb_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	unsigned long kb;

	if (kstrtoul_text(text, len, &kb))
		return -EINVAL;
	bdi_by_name(m, arg)->ra_pages = kb >> (PAGE_SHIFT - 10);
	return 0;
}

const struct proc_entry bdi_proc_entries[] = {
	{ .path = "/sys/class/bdi/*/read_ahead_kb", .lookup = bdi_lookup, .show = read_ahead_kb_show,
	  .write = read_ahead_kb_store },
	{ 0 },
};
