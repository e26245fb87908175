/* /proc/vmallocinfo (mm/vmalloc.c vmalloc_info_show): one line per vmalloc or vmap area. */
#include <mmlab/vmalloc.h>

#include "fs/proc/internal.h"

static int vmallocinfo_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	vmalloc_info_show(m, s);
	return 0;
}

const struct proc_entry vmallocinfo_proc_entries[] = {
	{ .path = "/proc/vmallocinfo", .show = vmallocinfo_show },
	{ .path = NULL },
};
