/*
 * /proc/meminfo (fs/proc/meminfo.c), with the parts other kernel files add to it: the HugeTLB
 * lines (mm/hugetlb.c hugetlb_report_meminfo) and the x86 direct-map lines
 * (arch/x86/mm/pat/set_memory.c arch_report_meminfo).
 */
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmalloc.h>
#include <mmlab/vmstat.h>
#include <mmlab/zswap.h>

#include "fs/proc/internal.h"

#define SZ_1M	(1ULL << 20)
#define SZ_2M	(1ULL << 21)
#define SZ_4M	(1ULL << 22)
#define SZ_1G	(1ULL << 30)

static inline unsigned long K(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

static inline uint64_t round_up_u64(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline uint64_t round_down_u64(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
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

/* The size of a PMD-mapped huge page: 2 MiB on x86_64, 4 MiB on i386 with 2-level tables. */
static uint64_t pmd_size(const struct machine *m)
{
	return m->cfg.arch == ARCH_X86_64 ? SZ_2M : SZ_4M;
}

/* Mappings of each size in the direct map (arch/x86/mm/pat/set_memory.c direct_pages_count). */
enum pg_level { PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_NUM };

/*
 * split_mem_range: how the kernel maps [start, end) of RAM into the direct map (arch/x86/mm/init.c):
 * 4 KiB pages up to the first PMD boundary, PMD pages up to the first PUD boundary, 1 GiB pages
 * (x86_64 only) while whole ones fit, then PMD pages and a 4 KiB tail.
 */
static void split_mem_range(uint64_t start, uint64_t end, uint64_t pmd, bool gbpages,
			    unsigned long count[PG_LEVEL_NUM])
{
	uint64_t pos = round_up_u64(start, pmd) < end ? round_up_u64(start, pmd) : end;
	uint64_t pmd_end = round_down_u64(end, pmd);

	count[PG_LEVEL_4K] += (pos - start) >> PAGE_SHIFT;
	if (gbpages) {
		uint64_t gb_start = round_up_u64(pos, SZ_1G), gb_end = round_down_u64(end, SZ_1G);

		if (gb_start < gb_end) {
			count[PG_LEVEL_2M] += (gb_start - pos) / pmd;
			count[PG_LEVEL_1G] += (gb_end - gb_start) / SZ_1G;
			pos = gb_end;
		}
	}
	if (pos < pmd_end) {
		count[PG_LEVEL_2M] += (pmd_end - pos) / pmd;
		pos = pmd_end;
	}
	count[PG_LEVEL_4K] += (end - pos) >> PAGE_SHIFT;
}

/*
 * direct_map_count: the direct map as init_mem_mapping builds it (arch/x86/mm/init.c): the whole
 * first MiB (ISA, holes included) in 4 KiB pages, then each e820 RAM range above it by
 * split_mem_range; on i386 only up to the end of lowmem. Later splits (set_memory_ro and friends)
 * are not modelled.
 */
static void direct_map_count(const struct machine *m, unsigned long count[PG_LEVEL_NUM])
{
	uint64_t limit = m->cfg.arch == ARCH_X86_64 ? m->arch->max_ram
						     : (uint64_t)m->arch->max_low_pfn << PAGE_SHIFT;

	count[PG_LEVEL_4K] = SZ_1M >> PAGE_SHIFT;
	count[PG_LEVEL_2M] = count[PG_LEVEL_1G] = 0;
	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820_entry *e = &m->e820[i];
		uint64_t start = e->addr > SZ_1M ? e->addr : SZ_1M;
		uint64_t end = e->addr + e->size < limit ? e->addr + e->size : limit;

		if (e->type == E820_TYPE_RAM && start < end)
			split_mem_range(start, end, pmd_size(m), m->cfg.arch == ARCH_X86_64, count);
	}
}

/* arch_report_meminfo: the DirectMap lines (arch/x86/mm/pat/set_memory.c). */
static void arch_report_meminfo(const struct machine *m, struct seq_file *s)
{
	unsigned long count[PG_LEVEL_NUM];

	direct_map_count(m, count);
	seq_printf(s, "DirectMap4k:    %8lu kB\n", count[PG_LEVEL_4K] << 2);
	if (m->cfg.arch == ARCH_X86_64) {
		seq_printf(s, "DirectMap2M:    %8lu kB\n", count[PG_LEVEL_2M] << 11);
		seq_printf(s, "DirectMap1G:    %8lu kB\n", count[PG_LEVEL_1G] << 20);
	} else {
		seq_printf(s, "DirectMap4M:    %8lu kB\n", count[PG_LEVEL_2M] << 12);
	}
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
