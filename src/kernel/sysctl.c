/*
 * /proc/sys: the vm tunables, and kernel.numa_balancing, as integer files (kernel/sysctl.c proc_dointvec_minmax, fs/proc/proc_sysctl.c)
 * and the handlers that apply a new value (mm/page_alloc.c). A file holds one or more ints, read as
 * tab-separated decimals and written as whitespace-separated integers the way the kernel parses them.
 */
#include <mmlab/compaction.h>
#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

/* The longest number proc_get_long accepts, NUL included (kernel/sysctl.c TMPBUFLEN). */
#define TMPBUFLEN 22

/* percpu_pagelist_high_fraction below this would let one CPU hoard a zone (mm/page_alloc.c). */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

/* One read or one write of a sysctl file: the text written, or where to print. */
struct sysctl_io {
	const char *text;
	size_t left;
	struct seq_file *out;
};

struct ctl_table;
typedef int proc_handler(struct machine *m, const struct ctl_table *table, bool write, struct sysctl_io *io);

/* A sysctl file (include/linux/sysctl.h): its ints live at data within struct machine. */
struct ctl_table {
	const char *procname;
	size_t data;
	int maxlen;		/* how many ints */
	unsigned int mode;
	proc_handler *proc_handler;
	const int *extra1, *extra2;	/* the lowest and highest value a write may set, or NULL */
};

static const int sysctl_zero = 0;
static const int sysctl_one = 1;
static const int sysctl_two = 2;
static const int sysctl_four = 4;
static const int sysctl_two_hundred = 200;
static const int sysctl_one_thousand = 1000;
static const int sysctl_three_thousand = 3000;

/* proc_skip_spaces: step over blanks and newlines (kernel/sysctl.c). */
static void proc_skip_spaces(struct sysctl_io *io)
{
	while (io->left && isspace((unsigned char)*io->text)) {
		io->text++;
		io->left--;
	}
}

/* proc_get_long: one integer, in any base strtoul takes, ending at a blank or the end of the text
 * (kernel/sysctl.c). */
static int proc_get_long(struct sysctl_io *io, unsigned long *val, bool *neg)
{
	char tmp[TMPBUFLEN], *p, *end;
	size_t len = io->left < TMPBUFLEN - 1 ? io->left : TMPBUFLEN - 1;

	memcpy(tmp, io->text, len);
	tmp[len] = '\0';
	p = tmp;
	*neg = *p == '-' && io->left > 1;
	if (*neg)
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*val = strtoul(p, &end, 0);
	if (errno)
		return -EINVAL;
	len = (size_t)(end - tmp);
	if (len == TMPBUFLEN - 1)
		return -EINVAL;
	if (len < io->left && !memchr(" \t\n", *end, 3))
		return -EINVAL;
	io->text += len;
	io->left -= len;
	return 0;
}

/* do_proc_dointvec_minmax_conv: the value as an int within [min, max], or -EINVAL (kernel/sysctl.c). */
static int do_proc_dointvec_minmax_conv(bool neg, unsigned long lval, int *out, const int *min, const int *max)
{
	long long val;

	if (lval > (unsigned long)INT_MAX + neg)
		return -EINVAL;
	val = neg ? -(long long)lval : (long long)lval;
	if ((min && val < *min) || (max && val > *max))
		return -EINVAL;
	*out = (int)val;
	return 0;
}

/* __do_proc_dointvec: read or write a vector of ints (kernel/sysctl.c). A write stores each value as
 * it is parsed, stops at the first bad one, and ignores what follows the last int. */
static int __do_proc_dointvec(int *vec, int n, bool write, struct sysctl_io *io, const int *min, const int *max)
{
	int i, err = 0;

	if (!write) {
		for (i = 0; i < n; i++)
			seq_printf(io->out, "%s%d", i ? "\t" : "", vec[i]);
		seq_putc(io->out, '\n');
		return 0;
	}
	for (i = 0; io->left && i < n; i++) {
		unsigned long lval;
		bool neg;

		proc_skip_spaces(io);
		if (!io->left)
			break;
		err = proc_get_long(io, &lval, &neg);
		if (!err)
			err = do_proc_dointvec_minmax_conv(neg, lval, &vec[i], min, max);
		if (err)
			break;
	}
	if (i == 0)
		return err ? err : -EINVAL;
	return err;
}

static int *ctl_data(struct machine *m, const struct ctl_table *table)
{
	return (int *)((char *)m + table->data);
}

/* proc_dointvec_minmax: the table's ints, bounded by extra1 and extra2 on write (kernel/sysctl.c). */
static int proc_dointvec_minmax(struct machine *m, const struct ctl_table *table, bool write, struct sysctl_io *io)
{
	return __do_proc_dointvec(ctl_data(m, table), table->maxlen, write, io, table->extra1, table->extra2);
}

/* watermark_scale_factor_sysctl_handler: the watermarks follow the new gap (mm/page_alloc.c). */
static int watermark_scale_factor_sysctl_handler(struct machine *m, const struct ctl_table *table, bool write,
						 struct sysctl_io *io)
{
	int rc = proc_dointvec_minmax(m, table, write, io);

	if (!rc && write)
		setup_per_zone_wmarks(m);
	return rc;
}

/* min_free_kbytes_sysctl_handler: the watermarks follow too, and a written value stops boot-time
 * recomputation (mm/page_alloc.c). */
static int min_free_kbytes_sysctl_handler(struct machine *m, const struct ctl_table *table, bool write,
					  struct sysctl_io *io)
{
	int rc = watermark_scale_factor_sysctl_handler(m, table, write, io);

	if (!rc && write)
		m->sysctl.user_min_free_kbytes = m->sysctl.min_free_kbytes;
	return rc;
}

/* lowmem_reserve_ratio_sysctl_handler: one ratio per zone the kernel has; a ratio below 1 means no
 * reserve; the reserves follow (mm/page_alloc.c). */
static int lowmem_reserve_ratio_sysctl_handler(struct machine *m, const struct ctl_table *table, bool write,
					       struct sysctl_io *io)
{
	int vec[MAX_NR_ZONES], n = 0, rc;

	(void)table;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (zone_configured(m, (enum zone_type)z))
			vec[n++] = m->sysctl.lowmem_reserve_ratio[z];
	}
	rc = __do_proc_dointvec(vec, n, write, io, NULL, NULL);
	if (!write)
		return rc;
	n = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (zone_configured(m, (enum zone_type)z))
			m->sysctl.lowmem_reserve_ratio[z] = vec[n++];
	}
	if (rc)
		return rc;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (m->sysctl.lowmem_reserve_ratio[z] < 1)
			m->sysctl.lowmem_reserve_ratio[z] = 0;
	}
	setup_per_zone_lowmem_reserve(m);
	return 0;
}

/* percpu_pagelist_high_fraction_sysctl_handler: 0 (the default sizing) or at least 8; a change
 * resizes every populated zone's per-CPU lists (mm/page_alloc.c). */
static int percpu_pagelist_high_fraction_sysctl_handler(struct machine *m, const struct ctl_table *table,
							bool write, struct sysctl_io *io)
{
	int *fraction = ctl_data(m, table), old = *fraction;
	int rc = proc_dointvec_minmax(m, table, write, io);

	if (!write || rc)
		return rc;
	if (*fraction && *fraction < MIN_PERCPU_PAGELIST_HIGH_FRACTION) {
		*fraction = old;
		return -EINVAL;
	}
	if (*fraction == old)
		return 0;
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[z];

			if (populated_zone(zone))
				zone_pcp_update(m, zone);
		}
	}
	return 0;
}

/* sysctl_compaction_handler: writing 1 compacts every zone of every node; any other value is
 * -EINVAL, and there is nothing to read (mm/compaction.c). */
static int sysctl_compaction_handler(struct machine *m, const struct ctl_table *table, bool write,
				     struct sysctl_io *io)
{
	int compact;
	int rc = __do_proc_dointvec(&compact, 1, write, io, table->extra1, table->extra2);

	if (!rc && write)
		compact_nodes(m);
	return rc;
}

/* An unsigned long of the default pool read and written as an int (proc_doulongvec_minmax). */
static int hugetlb_ulong_sysctl(const struct ctl_table *table, bool write, struct sysctl_io *io, unsigned long *val)
{
	int count = *val > INT_MAX ? INT_MAX : (int)*val;
	int rc = __do_proc_dointvec(&count, 1, write, io, table->extra1, table->extra2);

	if (!rc && write)
		*val = (unsigned long)count;
	return rc;
}

/* hugetlb_sysctl_handler: the default pool's persistent size; a write grows or shrinks it (mm/hugetlb.c). */
static int hugetlb_sysctl_handler(struct machine *m, const struct ctl_table *table, bool write, struct sysctl_io *io)
{
	unsigned long count = default_hstate(m)->max_huge_pages;
	int rc = hugetlb_ulong_sysctl(table, write, io, &count);

	if (!rc && write)
		set_max_huge_pages(m, default_hstate(m), count);
	return rc;
}

/* hugetlb_overcommit_handler: the default pool's nr_overcommit_hugepages (mm/hugetlb.c). */
static int hugetlb_overcommit_handler(struct machine *m, const struct ctl_table *table, bool write,
				      struct sysctl_io *io)
{
	return hugetlb_ulong_sysctl(table, write, io, &default_hstate(m)->nr_overcommit_huge_pages);
}

/* drop_caches_sysctl_handler: write-only; 1..4 (fs/drop_caches.c). */
static int drop_caches_sysctl_handler(struct machine *m, const struct ctl_table *table, bool write,
				      struct sysctl_io *io)
{
	int value;
	int rc = __do_proc_dointvec(&value, 1, write, io, table->extra1, table->extra2);

	if (!rc && write)
		drop_caches_write(m, value);
	return rc;
}

#define VM_SYSCTL(field) offsetof(struct machine, sysctl.field)

/* /proc/sys/vm (mm/page_alloc.c page_alloc_sysctl_table). */
static const struct ctl_table vm_table[] = {
	{ "min_free_kbytes", VM_SYSCTL(min_free_kbytes), 1, 0644, min_free_kbytes_sysctl_handler,
	  &sysctl_zero, NULL },
	{ "watermark_boost_factor", VM_SYSCTL(watermark_boost_factor), 1, 0644, proc_dointvec_minmax,
	  &sysctl_zero, NULL },
	{ "watermark_scale_factor", VM_SYSCTL(watermark_scale_factor), 1, 0644,
	  watermark_scale_factor_sysctl_handler, &sysctl_one, &sysctl_three_thousand },
	{ "percpu_pagelist_high_fraction", VM_SYSCTL(percpu_pagelist_high_fraction), 1, 0644,
	  percpu_pagelist_high_fraction_sysctl_handler, &sysctl_zero, NULL },
	{ "lowmem_reserve_ratio", VM_SYSCTL(lowmem_reserve_ratio), MAX_NR_ZONES, 0644,
	  lowmem_reserve_ratio_sysctl_handler, NULL, NULL },
	/* mm/compaction.c vm_compaction */
	{ "compact_memory", 0, 1, 0200, sysctl_compaction_handler, &sysctl_one, &sysctl_one },
	{ "extfrag_threshold", VM_SYSCTL(extfrag_threshold), 1, 0644, proc_dointvec_minmax, &sysctl_zero,
	  &sysctl_one_thousand },
	/* fs/drop_caches.c drop_caches_table */
	{ "drop_caches", 0, 1, 0200, drop_caches_sysctl_handler, &sysctl_one, &sysctl_four },
	/* mm/hugetlb.c hugetlb_table */
	{ "nr_hugepages", 0, 1, 0644, hugetlb_sysctl_handler, &sysctl_zero, NULL },
	{ "nr_overcommit_hugepages", 0, 1, 0644, hugetlb_overcommit_handler, &sysctl_zero, NULL },
	/* mm/swap.c swap_sysctl_table, mm/vmscan.c vmscan_sysctl_table, mm/util.c util_sysctl_table */
	{ "page-cluster", VM_SYSCTL(page_cluster), 1, 0644, proc_dointvec_minmax, &sysctl_zero, NULL },
	{ "swappiness", VM_SYSCTL(swappiness), 1, 0644, proc_dointvec_minmax, &sysctl_zero, &sysctl_two_hundred },
	{ "overcommit_memory", VM_SYSCTL(overcommit_memory), 1, 0644, proc_dointvec_minmax, &sysctl_zero,
	  &sysctl_two },
	{ "overcommit_ratio", VM_SYSCTL(overcommit_ratio), 1, 0644, proc_dointvec_minmax, NULL, NULL },
};

/* sysctl_numa_balancing (kernel/sched/core.c): 0 off, 1 NUMA_BALANCING_NORMAL, 2 memory tiering
 * (not modelled: it scans nothing here), 3 both; a write needs CAP_SYS_ADMIN, which the script has. */
static int sysctl_numa_balancing(struct machine *m, const struct ctl_table *table, bool write, struct sysctl_io *io)
{
	return __do_proc_dointvec(&m->numa_balancing_mode, 1, write, io, table->extra1, table->extra2);
}

/* /proc/sys/kernel (kernel/sched/core.c sched_core_sysctls). */
static const struct ctl_table kernel_table[] = {
	{ "numa_balancing", offsetof(struct machine, numa_balancing_mode), 1, 0644, sysctl_numa_balancing,
	  &sysctl_zero, &sysctl_four },
};

#define CTL_TABLE_SIZE(t) (sizeof(t) / sizeof((t)[0]))

static const struct ctl_table *sysctl_find(const struct ctl_table *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(table[i].procname, name))
			return &table[i];
	}
	return NULL;
}

/* proc_sys_read: a sysctl file read; a file without read permission is -EACCES even for root
 * (fs/proc/proc_sysctl.c). */
static int proc_sys_read(struct machine *m, struct seq_file *s, const struct ctl_table *table)
{
	struct sysctl_io io = { .out = s };

	if (!(table->mode & 0444))
		return -EACCES;
	return table->proc_handler(m, table, false, &io);
}

/* proc_sys_write: a sysctl file written (fs/proc/proc_sysctl.c). */
static int proc_sys_write(struct machine *m, const struct ctl_table *table, const char *text, size_t len)
{
	struct sysctl_io io = { .text = text, .left = len };

	if (!(table->mode & 0222))
		return -EACCES;
	return table->proc_handler(m, table, true, &io);
}

static bool vm_sysctl_lookup(struct machine *m, const char *name)
{
	(void)m;
	return sysctl_find(vm_table, CTL_TABLE_SIZE(vm_table), name) != NULL;
}

static int vm_sysctl_read(struct machine *m, struct seq_file *s, const char *name)
{
	return proc_sys_read(m, s, sysctl_find(vm_table, CTL_TABLE_SIZE(vm_table), name));
}

static int vm_sysctl_write(struct machine *m, const char *name, const char *text, size_t len)
{
	return proc_sys_write(m, sysctl_find(vm_table, CTL_TABLE_SIZE(vm_table), name), text, len);
}

static bool kernel_sysctl_lookup(struct machine *m, const char *name)
{
	(void)m;
	return sysctl_find(kernel_table, CTL_TABLE_SIZE(kernel_table), name) != NULL;
}

static int kernel_sysctl_read(struct machine *m, struct seq_file *s, const char *name)
{
	return proc_sys_read(m, s, sysctl_find(kernel_table, CTL_TABLE_SIZE(kernel_table), name));
}

static int kernel_sysctl_write(struct machine *m, const char *name, const char *text, size_t len)
{
	return proc_sys_write(m, sysctl_find(kernel_table, CTL_TABLE_SIZE(kernel_table), name), text, len);
}

void sysctl_path(const char *key, size_t keylen, char *buf, size_t buflen)
{
	int n = snprintf(buf, buflen, "/proc/sys/%.*s", (int)keylen, key);

	for (char *p = buf + strlen("/proc/sys/"); n > 0 && p < buf + buflen && *p; p++) {
		if (*p == '.')
			*p = '/';
	}
}

/* /proc/sys/kernel/osrelease: the release the machine models, as uname -r prints it
 * (kernel/utsname_sysctl.c). */
static int osrelease_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)m;
	(void)arg;
	seq_puts(s, UTS_RELEASE "\n");
	return 0;
}

const struct proc_entry sysctl_proc_entries[] = {
	{ .path = "/proc/sys/vm/*", .lookup = vm_sysctl_lookup, .show = vm_sysctl_read, .write = vm_sysctl_write },
	{ .path = "/proc/sys/kernel/osrelease", .show = osrelease_show },
	{ .path = "/proc/sys/kernel/*", .lookup = kernel_sysctl_lookup, .show = kernel_sysctl_read,
	  .write = kernel_sysctl_write },
	{ 0 },
};
