/*
 * /proc/meminfo (fs/proc/meminfo.c), with the parts other kernel files add to it: the HugeTLB
 * lines (mm/hugetlb.c hugetlb_report_meminfo) and the x86 direct-map lines
 * (arch/x86/mm/pat/set_memory.c arch_report_meminfo).
 */
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/pgtable.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmalloc.h>
#include <mmlab/vmstat.h>
#include <mmlab/zswap.h>

#include "fs/proc/internal.h"

static inline unsigned long K(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* show_val_kb: one "Name:   %8lu kB" line from a count of pages (fs/proc/meminfo.c). */
static void show_val_kb(struct seq_file *s, const char *name, unsigned long pages)
{
	seq_put_decimal_ull_width(s, name, K(pages), 8);
	seq_puts(s, " kB\n");
}

/* nr_free_highpages: free pages of the HighMem zones (mm/highmem.c). */
static unsigned long nr_free_highpages(const struct machine *m)
{
	unsigned long pages = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		pages += zone_page_state(&NODE_DATA(m, nid)->node_zones[ZONE_HIGHMEM], NR_FREE_PAGES);
	return pages;
}

/* VMALLOC_TOTAL: VMALLOC_END - VMALLOC_START (arch/x86/include/asm/pgtable_*.h); x86_64's
 * VMALLOC_END is the area's last byte, i386's the first byte past it. */
static unsigned long vmalloc_total(const struct machine *m)
{
	return vmalloc_end(m) - vmalloc_start(m) - (m->cfg.arch == ARCH_X86_64);
}

/* arch_report_meminfo: the DirectMap lines, the entries of each size the direct map was built
 * with (arch/x86/mm/pat/set_memory.c direct_pages_count; arch/x86/mm/init.c). Later splits
 * (set_memory_ro and friends) are not modelled. */
static void arch_report_meminfo(const struct machine *m, struct seq_file *s)
{
	const unsigned long *count = m->direct_pages_count;

	seq_printf(s, "DirectMap4k:    %8lu kB\n", count[0] << 2);
	if (paging_mode_of(m)->levels == 2) {
		seq_printf(s, "DirectMap4M:    %8lu kB\n", count[1] << 12);
		return;
	}
	seq_printf(s, "DirectMap2M:    %8lu kB\n", count[1] << 11);
	if (m->cfg.arch == ARCH_X86_64)
		seq_printf(s, "DirectMap1G:    %8lu kB\n", count[2] << 20);
}

/* hugetlb_report_meminfo: the default pool, and the pages of every pool (mm/hugetlb.c). */
static void hugetlb_report_meminfo(struct machine *m, struct seq_file *s)
{
	const struct hstate *h = default_hstate(m);

	seq_printf(s, "HugePages_Total:   %5lu\n", h->nr_huge_pages);
	seq_printf(s, "HugePages_Free:    %5lu\n", h->free_huge_pages);
	seq_printf(s, "HugePages_Rsvd:    %5lu\n", h->resv_huge_pages);
	seq_printf(s, "HugePages_Surp:    %5lu\n", h->surplus_huge_pages);
	seq_printf(s, "Hugepagesize:   %8lu kB\n", huge_page_size(h) >> 10);
	seq_printf(s, "Hugetlb:        %8lu kB\n", K(hugetlb_total_pages(m)));
}

/* The LRU lines: Active, Inactive and their anon and file halves, Unevictable, Mlocked. */
static void meminfo_show_lru(const struct machine *m, struct seq_file *s)
{
	unsigned long active_anon = global_node_page_state(m, NR_ACTIVE_ANON);
	unsigned long inactive_anon = global_node_page_state(m, NR_INACTIVE_ANON);
	unsigned long active_file = global_node_page_state(m, NR_ACTIVE_FILE);
	unsigned long inactive_file = global_node_page_state(m, NR_INACTIVE_FILE);

	show_val_kb(s, "Active:         ", active_anon + active_file);
	show_val_kb(s, "Inactive:       ", inactive_anon + inactive_file);
	show_val_kb(s, "Active(anon):   ", active_anon);
	show_val_kb(s, "Inactive(anon): ", inactive_anon);
	show_val_kb(s, "Active(file):   ", active_file);
	show_val_kb(s, "Inactive(file): ", inactive_file);
	show_val_kb(s, "Unevictable:    ", global_node_page_state(m, NR_UNEVICTABLE));
	show_val_kb(s, "Mlocked:        ", global_zone_page_state(m, NR_MLOCK));
}

/* The memory the kernel itself holds: slab, stacks, page tables. */
static void meminfo_show_kernel(const struct machine *m, struct seq_file *s)
{
	unsigned long sreclaimable = global_node_page_state(m, NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);

	show_val_kb(s, "KReclaimable:   ", sreclaimable + global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(s, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(s, "SReclaimable:   ", sreclaimable);
	show_val_kb(s, "SUnreclaim:     ", sunreclaim);
	seq_printf(s, "KernelStack:    %8lu kB\n", global_node_page_state(m, NR_KERNEL_STACK_KB));
	show_val_kb(s, "PageTables:     ", global_node_page_state(m, NR_PAGETABLE));
	show_val_kb(s, "SecPageTables:  ", global_node_page_state(m, NR_SECONDARY_PAGETABLE));
}

/* The transparent huge page lines, when the kernel has THP. */
static void meminfo_show_thp(const struct machine *m, struct seq_file *s)
{
	if (!m->arch->thp)
		return;
	show_val_kb(s, "AnonHugePages:  ", global_node_page_state(m, NR_ANON_THPS));
	show_val_kb(s, "ShmemHugePages: ", global_node_page_state(m, NR_SHMEM_THPS));
	show_val_kb(s, "ShmemPmdMapped: ", global_node_page_state(m, NR_SHMEM_PMDMAPPED));
	show_val_kb(s, "FileHugePages:  ", global_node_page_state(m, NR_FILE_THPS));
	show_val_kb(s, "FilePmdMapped:  ", global_node_page_state(m, NR_FILE_PMDMAPPED));
}

/* meminfo_proc_show: /proc/meminfo (fs/proc/meminfo.c). Buffers and the vmalloc and percpu
 * allocators are not modelled yet and print 0; Zswap is the zswap pool, Zswapped what it stores. */
static int meminfo_proc_show(struct machine *m, struct seq_file *s, const char *arg)
{
	unsigned long freeram = global_zone_page_state(m, NR_FREE_PAGES);
	unsigned long swapcache = global_node_page_state(m, NR_SWAPCACHE);
	long cached = (long)global_node_page_state(m, NR_FILE_PAGES) - (long)swapcache;

	(void)arg;
	show_val_kb(s, "MemTotal:       ", m->totalram_pages);
	show_val_kb(s, "MemFree:        ", freeram);
	show_val_kb(s, "MemAvailable:   ", (unsigned long)si_mem_available(m));
	show_val_kb(s, "Buffers:        ", 0);
	show_val_kb(s, "Cached:         ", cached < 0 ? 0 : (unsigned long)cached);
	show_val_kb(s, "SwapCached:     ", swapcache);
	meminfo_show_lru(m, s);
	if (zone_configured(m, ZONE_HIGHMEM)) {
		unsigned long freehigh = nr_free_highpages(m);

		show_val_kb(s, "HighTotal:      ", m->totalhigh_pages);
		show_val_kb(s, "HighFree:       ", freehigh);
		show_val_kb(s, "LowTotal:       ", m->totalram_pages - m->totalhigh_pages);
		show_val_kb(s, "LowFree:        ", freeram - freehigh);
	}
	show_val_kb(s, "SwapTotal:      ", (unsigned long)total_swap_pages(m));
	show_val_kb(s, "SwapFree:       ", (unsigned long)get_nr_swap_pages(m));
	show_val_kb(s, "Zswap:          ", zswap_total_pages(m));
	show_val_kb(s, "Zswapped:       ", zswap_stored_pages(m));
	show_val_kb(s, "Dirty:          ", global_node_page_state(m, NR_FILE_DIRTY));
	show_val_kb(s, "Writeback:      ", global_node_page_state(m, NR_WRITEBACK));
	show_val_kb(s, "AnonPages:      ", global_node_page_state(m, NR_ANON_MAPPED));
	show_val_kb(s, "Mapped:         ", global_node_page_state(m, NR_FILE_MAPPED));
	show_val_kb(s, "Shmem:          ", global_node_page_state(m, NR_SHMEM));
	meminfo_show_kernel(m, s);
	show_val_kb(s, "NFS_Unstable:   ", 0);
	show_val_kb(s, "Bounce:         ", 0);
	show_val_kb(s, "WritebackTmp:   ", 0);
	show_val_kb(s, "CommitLimit:    ", vm_commit_limit(m));
	show_val_kb(s, "Committed_AS:   ", m->vm_committed_as < 0 ? 0 : (unsigned long)m->vm_committed_as);
	seq_printf(s, "VmallocTotal:   %8lu kB\n", vmalloc_total(m) >> 10);
	show_val_kb(s, "VmallocUsed:    ", vmalloc_nr_pages(m));
	show_val_kb(s, "VmallocChunk:   ", 0);
	show_val_kb(s, "Percpu:         ", m->reserved.percpu);
	meminfo_show_thp(m, s);
	show_val_kb(s, "Balloon:        ", global_node_page_state(m, NR_BALLOON_PAGES));
	hugetlb_report_meminfo(m, s);
	arch_report_meminfo(m, s);
	return 0;
}

const struct proc_entry meminfo_proc_entries[] = {
	{ .path = "/proc/meminfo", .show = meminfo_proc_show },
	{ 0 },
};
