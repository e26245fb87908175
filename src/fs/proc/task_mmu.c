/*
 * A process's memory in /proc (fs/proc/task_mmu.c): /proc/PID/maps, the Vm and Rss lines of
 * /proc/PID/status (task_mem; fs/proc/array.c prints the rest), /proc/PID/smaps and
 * /proc/PID/numa_maps, in the kernel's formats. A process is named
 * by its pid or, in this machine, by its name as well: /proc/a/maps.
 */
#include <string.h>
#include <sys/sysmacros.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/ksm.h>
#include <mmlab/mempolicy.h>
#include <mmlab/mm.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>

#include "fs/proc/internal.h"

static bool task_lookup(struct machine *m, const char *arg)
{
	return find_task(m, arg) != NULL;
}

/* The path of the file a VMA maps (vma->vm_file's): a file's, shared anonymous memory's /dev/zero,
 * a MAP_HUGETLB mapping's hugetlbfs file, or NULL for none. */
static const char *vma_file_path(const struct vm_area_struct *vma)
{
	if (vma->vm_file)
		return file_inode(vma->vm_file)->path;
	if (vma->shm)
		return "/dev/zero (deleted)";
	if (vma->hfile)
		return "/anon_hugepage (deleted)";
	return NULL;
}

/* vma_is_initial_heap, vma_is_initial_stack (include/linux/mm.h): the VMA holds the brk heap, the
 * main thread's stack. */
static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->brk && vma->vm_end >= vma->vm_mm->start_brk;
}

static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack && vma->vm_end >= vma->vm_mm->start_stack;
}

/* The name column of a VMA: its file's path, [heap], [stack], or nothing. */
static const char *vma_name(const struct vm_area_struct *vma)
{
	if (vma->vm_special)
		return vma->vm_special->name;
	if (vma_file_path(vma))
		return vma_file_path(vma);
	if (vma_is_initial_heap(vma))
		return "[heap]";
	if (vma_is_initial_stack(vma))
		return "[stack]";
	return NULL;
}

/* seq_setwidth(25 + 6 * sizeof(void *) - 1) at the start of the line, then seq_pad(' '): the name
 * column of maps starts at column 74. */
static void pad_to_name(struct seq_file *s, size_t line)
{
	while (s->count - line < 25 + 6 * sizeof(void *) - 1)
		seq_putc(s, ' ');
	seq_putc(s, ' ');
}

/* show_map_vma: "start-end perms offset dev inode", padded to the name column before a name. A
 * file's device is its host file's; shared anonymous memory's is the shmem mount's 00:01. */
static void show_map_vma(struct seq_file *s, const struct vm_area_struct *vma)
{
	const struct inode *inode = vma->vm_file ? file_inode(vma->vm_file) : NULL;
	bool object = vma->shm || vma->hfile;	/* the shmem or hugetlbfs mount's 00:01 */
	unsigned long flags = vma->vm_flags;
	unsigned long ino = inode ? inode->i_ino : vma->shm ? shmem_ino(vma->shm) :
			    vma->hfile ? hugetlb_file_ino(vma->hfile) : 0;
	unsigned long long pgoff = inode || object ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0;
	unsigned int major = inode ? major(inode->i_dev) : 0, minor = inode ? minor(inode->i_dev) : object ? 1 : 0;
	const char *name = vma_name(vma);
	size_t line = s->count;

	seq_printf(s, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p', pgoff, major, minor, ino);
	if (name) {
		pad_to_name(s, line);
		seq_puts(s, name);
	}
	seq_putc(s, '\n');
}

/* show_map: each VMA of the mm, then the gate VMA (m_next_vma). */
static int maps_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct mm_struct *mm = find_task(m, arg)->mm;
	const struct vm_area_struct *gate = get_gate_vma(mm);

	for (const struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		show_map_vma(s, vma);
	if (gate)
		show_map_vma(s, gate);
	return 0;
}

/* ---- /proc/PID/smaps ---- */

#define PSS_SHIFT 12	/* Pss is summed in 1/4096ths of a byte, as the kernel does */

/* What smaps adds up over a VMA's pages (struct mem_size_stats), in bytes. */
struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous, ksm, lazyfree, anonymous_thp, swap, shared_hugetlb, private_hugetlb;
	uint64_t pss, pss_dirty, pss_anon, pss_file, pss_shmem, pss_locked, swap_pss;
	bool locked;		/* the VMA being walked is VM_LOCKED */
};

/* smaps_page_accumulate: one page, its Pss share given (fs/proc/task_mmu.c). */
static void smaps_page_accumulate(struct mem_size_stats *mss, const struct page *page, uint64_t pss, bool dirty,
				  bool private)
{
	uint64_t *pss_kind[NR_MM_COUNTERS] = { [MM_FILEPAGES] = &mss->pss_file, [MM_ANONPAGES] = &mss->pss_anon,
					       [MM_SHMEMPAGES] = &mss->pss_shmem };

	mss->pss += pss;
	*pss_kind[mm_counter(page)] += pss;
	if (dirty)
		mss->pss_dirty += pss;
	if (mss->locked)
		mss->pss_locked += pss;
	if (private)
		*(dirty ? &mss->private_dirty : &mss->private_clean) += PAGE_SIZE;
	else
		*(dirty ? &mss->shared_dirty : &mss->shared_clean) += PAGE_SIZE;
}

/* smaps_account: nr pages from page on, mapped by one entry v; each page's Pss is its size over the
 * page tables mapping it (folio_precise_page_mapcount). */
static void smaps_account(struct mem_size_stats *mss, const struct page *page, unsigned long nr, pteval_t v)
{
	const struct page *folio = page_folio(page);
	bool dirty = (v & _PAGE_DIRTY) || test_bit_flag(folio, PG_dirty);

	mss->resident += nr * PAGE_SIZE;
	if ((v & _PAGE_ACCESSED) || test_bit_flag(folio, PG_referenced))
		mss->referenced += nr * PAGE_SIZE;
	if (PageAnon(page))
		mss->anonymous += nr * PAGE_SIZE;
	if (PageKsm(page))
		mss->ksm += nr * PAGE_SIZE;
	/* MADV_FREE'd and clean: reclaim would drop it without writing it out */
	if (PageAnon(page) && !test_bit_flag(folio, PG_swapbacked) && !dirty)
		mss->lazyfree += nr * PAGE_SIZE;
	for (unsigned long i = 0; i < nr; i++) {
		int mapcount = folio_precise_page_mapcount(page + i);

		smaps_page_accumulate(mss, page + i, ((uint64_t)PAGE_SIZE << PSS_SHIFT) / (uint64_t)mapcount, dirty,
				      mapcount < 2);
	}
}

/* smaps_pte_entry: one mapped page; the zero page is no one's (vm_normal_page). */
static int smaps_pte_entry(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(pte);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);

	(void)addr;
	if (!pte_special(v) && !is_zero_pfn(m, pfn))
		smaps_account(walk->private, pfn_to_page(m, pfn), 1, v);
	return 0;
}

/* smaps_pmd_entry: a folio mapped whole: AnonHugePages; the huge zero page is no one's. */
static int smaps_pmd_entry(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(pmd);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);

	(void)addr;
	(void)next;
	if (is_huge_zero_pfn(m, pfn))
		return 0;
	mss->anonymous_thp += HPAGE_PMD_SIZE;
	smaps_account(mss, pfn_to_page(m, pfn), HPAGE_PMD_NR, v);
	return 0;
}

/* smaps_pte_entry's swap half: a swapped-out page, its share of the slot by the PTEs that hold it. */
static int smaps_swap_entry(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	swp_entry_t entry = pte_to_swp_entry(walk->mm->pm->entry_size, ptep_get(pte));
	int mapcount = __swap_count(walk->mm->machine, entry);

	(void)addr;
	mss->swap += PAGE_SIZE;
	mss->swap_pss += ((uint64_t)PAGE_SIZE << PSS_SHIFT) / (uint64_t)(mapcount >= 2 ? mapcount : 1);
	return 0;
}

/* smaps_hugetlb_range: a huge page counts as shared once more than one entry maps it. */
static int smaps_hugetlb_entry(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	const struct page *page = pfn_to_page(walk->mm->machine, pte_pfn(walk->mm->pm, ptep_get(pte)));

	(void)addr;
	*(folio_entire_mapcount(page) > 1 ? &mss->shared_hugetlb : &mss->private_hugetlb) +=
		PAGE_SIZE << compound_order(page);
	return 0;
}

static const struct mm_walk_ops smaps_walk_ops = { .pte_entry = smaps_pte_entry, .pmd_entry = smaps_pmd_entry,
						   .swap_entry = smaps_swap_entry,
						   .hugetlb_entry = smaps_hugetlb_entry };

/* SEQ_PUT_DEC: the value in kB, eight wide, after its label. */
static void seq_put_kb(struct seq_file *s, const char *label, unsigned long bytes)
{
	seq_put_decimal_ull_width(s, label, bytes >> 10, 8);
	seq_puts(s, " kB\n");
}

/* show_smap_vma_flags: two letters per flag, in the order of the bits (fs/proc/task_mmu.c). */
static void show_smap_vma_flags(struct seq_file *s, unsigned long flags)
{
	static const char mnemonics[32][3] = {
		[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw", [6] = "me", [7] = "ms",
		[8] = "gd", [10] = "pf", [13] = "lo", [14] = "io", [15] = "sr", [16] = "rr", [17] = "dc",
		[18] = "de", [19] = "lf", [20] = "ac", [21] = "nr", [22] = "ht", [25] = "wf", [26] = "dd", [27] = "sd",
		[29] = "hg", [30] = "nh", [31] = "mg",
	};

	seq_puts(s, "VmFlags: ");
	for (int i = 0; i < 32; i++)
		if ((flags & (1UL << i)) && mnemonics[i][0])
			seq_printf(s, "%s ", mnemonics[i]);
	seq_putc(s, '\n');
}

/* Walk a VMA's pages into mss (smap_gather_stats). */
static void smap_gather_stats(const struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	mss->locked = vma->vm_flags & VM_LOCKED;
	if (vma->vm_mm)		/* walk_page_vma: the gate VMA has no mm to walk */
		walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, &smaps_walk_ops, mss);
}

static unsigned long pss_bytes(uint64_t pss)
{
	return (unsigned long)(pss >> PSS_SHIFT);
}

/* __show_smap: the figures of smaps, and of smaps_rollup with the Pss split by kind. */
static void __show_smap(struct seq_file *s, const struct mem_size_stats *mss, bool rollup)
{
	seq_put_kb(s, "Rss:            ", mss->resident);
	seq_put_kb(s, "Pss:            ", pss_bytes(mss->pss));
	seq_put_kb(s, "Pss_Dirty:      ", pss_bytes(mss->pss_dirty));
	if (rollup) {
		seq_put_kb(s, "Pss_Anon:       ", pss_bytes(mss->pss_anon));
		seq_put_kb(s, "Pss_File:       ", pss_bytes(mss->pss_file));
		seq_put_kb(s, "Pss_Shmem:      ", pss_bytes(mss->pss_shmem));
	}
	seq_put_kb(s, "Shared_Clean:   ", mss->shared_clean);
	seq_put_kb(s, "Shared_Dirty:   ", mss->shared_dirty);
	seq_put_kb(s, "Private_Clean:  ", mss->private_clean);
	seq_put_kb(s, "Private_Dirty:  ", mss->private_dirty);
	seq_put_kb(s, "Referenced:     ", mss->referenced);
	seq_put_kb(s, "Anonymous:      ", mss->anonymous);
	seq_put_kb(s, "KSM:            ", mss->ksm);
	seq_put_kb(s, "LazyFree:       ", mss->lazyfree);
	seq_put_kb(s, "AnonHugePages:  ", mss->anonymous_thp);
	seq_put_kb(s, "ShmemPmdMapped: ", 0);
	seq_put_kb(s, "FilePmdMapped:  ", 0);
	seq_put_kb(s, "Shared_Hugetlb: ", mss->shared_hugetlb);
	seq_put_decimal_ull_width(s, "Private_Hugetlb: ", mss->private_hugetlb >> 10, 7);
	seq_puts(s, " kB\n");
	seq_put_kb(s, "Swap:           ", mss->swap);
	seq_put_kb(s, "SwapPss:        ", pss_bytes(mss->swap_pss));
	seq_put_kb(s, "Locked:         ", pss_bytes(mss->pss_locked));
}

/* show_smap: the maps line, the sizes, then what the walk of its pages found. */
static void show_smap(struct seq_file *s, const struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(s, vma);
	seq_put_kb(s, "Size:           ", vma->vm_end - vma->vm_start);
	/* vma_kernel_pagesize, vma_mmu_pagesize */
	seq_put_kb(s, "KernelPageSize: ", vma->hfile ? huge_page_size(hstate_vma(vma)) : PAGE_SIZE);
	seq_put_kb(s, "MMUPageSize:    ", vma->hfile ? huge_page_size(hstate_vma(vma)) : PAGE_SIZE);
	__show_smap(s, &mss, false);
	seq_printf(s, "THPeligible:    %8u\n", thp_vma_allowable_order(vma, true));
	show_smap_vma_flags(s, vma->vm_flags);
}

/* show_smaps_rollup: every VMA's figures summed, under a header spanning them all. */
static int smaps_rollup_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct mm_struct *mm = find_task(m, arg)->mm;
	struct mem_size_stats mss = { 0 };
	size_t line = s->count;

	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		smap_gather_stats(vma, &mss);
	seq_printf(s, "%08lx-%08lx ---p %08x %02x:%02x %u ", mm->mmap ? mm->mmap->vm_start : 0, mm->highest_vm_end,
		   0, 0, 0, 0);
	pad_to_name(s, line);
	seq_puts(s, "[rollup]\n");
	__show_smap(s, &mss, true);
	return 0;
}

/* smaps: each VMA of the mm, then the gate VMA; smaps_rollup leaves the gate out. */
static int smaps_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct mm_struct *mm = find_task(m, arg)->mm;
	const struct vm_area_struct *gate = get_gate_vma(mm);

	for (const struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		show_smap(s, vma);
	if (gate)
		show_smap(s, gate);
	return 0;
}

static void show_kb(struct seq_file *s, const char *name, unsigned long pages)
{
	seq_put_kb(s, name, pages << PAGE_SHIFT);
}

/* task_statm: an mm's size, shared (resident file and shmem pages), text and data + stack pages;
 * its resident pages the return value (fs/proc/task_mmu.c). */
unsigned long task_statm(const struct mm_struct *mm, unsigned long *shared, unsigned long *text,
			 unsigned long *data, unsigned long *resident)
{
	*shared = (unsigned long)(mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_SHMEMPAGES]);
	*text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
	*data = mm->data_vm + mm->stack_vm;
	*resident = *shared + (unsigned long)mm->rss_stat[MM_ANONPAGES];
	return mm->total_vm;
}

/* task_mem: the Vm and Rss lines (fs/proc/task_mmu.c). */
void task_mem(struct seq_file *s, const struct mm_struct *mm)
{
	unsigned long anon = (unsigned long)mm->rss_stat[MM_ANONPAGES], file = (unsigned long)mm->rss_stat[MM_FILEPAGES];
	unsigned long shmem = (unsigned long)mm->rss_stat[MM_SHMEMPAGES], rss = anon + file + shmem;
	unsigned long hiwater_vm = mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm;
	unsigned long hiwater_rss = mm->hiwater_rss > rss ? mm->hiwater_rss : rss;
	unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;

	if (text > mm->exec_vm)
		text = mm->exec_vm;
	show_kb(s, "VmPeak:\t", hiwater_vm);
	show_kb(s, "VmSize:\t", mm->total_vm);
	show_kb(s, "VmLck:\t", mm->locked_vm);
	show_kb(s, "VmPin:\t", 0);
	show_kb(s, "VmHWM:\t", hiwater_rss);
	show_kb(s, "VmRSS:\t", rss);
	show_kb(s, "RssAnon:\t", anon);
	show_kb(s, "RssFile:\t", file);
	show_kb(s, "RssShmem:\t", shmem);
	show_kb(s, "VmData:\t", mm->data_vm);
	show_kb(s, "VmStk:\t", mm->stack_vm);
	show_kb(s, "VmExe:\t", text);
	show_kb(s, "VmLib:\t", mm->exec_vm - text);
	show_kb(s, "VmPTE:\t", mm->pgtables_bytes >> PAGE_SHIFT);
	show_kb(s, "VmSwap:\t", (unsigned long)mm->rss_stat[MM_SWAPENTS]);
	show_kb(s, "HugetlbPages:\t", mm->hugetlb_usage);	/* hugetlb_report_usage */
}

/* ---- /proc/PID/numa_maps ---- */

/* struct numa_maps: what show_numa_map adds up over a VMA's pages. */
struct numa_maps {
	unsigned long pages, anon, active, writeback, mapcount_max, dirty, swapcache;
	unsigned long node[MAX_NUMNODES];
	bool anon_hugetlb;	/* a private hugetlb mapping: its pages are anonymous (hugetlb_add_new_anon_rmap) */
};

/* gather_stats: nr pages of the folio of page, mapped by an entry dirty or not. */
static void gather_stats(struct numa_maps *md, const struct page *page, bool pte_dirty, unsigned long nr)
{
	const struct page *folio = page_folio(page);
	unsigned long count = (unsigned long)folio_precise_page_mapcount(page);

	md->pages += nr;
	if (pte_dirty || test_bit_flag(folio, PG_dirty))
		md->dirty += nr;
	if (PageSwapCache(folio))
		md->swapcache += nr;
	if (test_bit_flag(folio, PG_active) || test_bit_flag(folio, PG_unevictable))
		md->active += nr;
	if (test_bit_flag(folio, PG_writeback))
		md->writeback += nr;
	if (PageAnon(folio) || md->anon_hugetlb)
		md->anon += nr;
	if (count > md->mapcount_max)
		md->mapcount_max = count;
	md->node[page_to_nid(folio)] += nr;
}

/* gather_pte_stats: a mapped page; vm_normal_page leaves out raw frames and the zero page. */
static int gather_pte_stats(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	pteval_t v = ptep_get(pte);
	struct page *page = vm_normal_page(walk->mm, v);

	(void)addr;
	if (page)
		gather_stats(walk->private, page, v & _PAGE_DIRTY, 1);
	return 0;
}

/* gather_pte_stats's huge PMD: a transparent huge page counts its 512 pages; the huge zero page none. */
static int gather_pmd_stats(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(pmd);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);

	(void)addr;
	(void)next;
	if (!is_huge_zero_pfn(m, pfn))
		gather_stats(walk->private, pfn_to_page(m, pfn), v & _PAGE_DIRTY, HPAGE_PMD_NR);
	return 0;
}

/* gather_hugetlb_stats: a hugetlb page counts as one page (of kernelpagesize_kB). */
static int gather_hugetlb_stats(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	pteval_t v = ptep_get(pte);

	(void)addr;
	gather_stats(walk->private, pfn_to_page(walk->mm->machine, pte_pfn(walk->mm->pm, v)), v & _PAGE_DIRTY, 1);
	return 0;
}

static const struct mm_walk_ops show_numa_ops = { .pte_entry = gather_pte_stats, .pmd_entry = gather_pmd_stats,
						  .hugetlb_entry = gather_hugetlb_stats };

/* seq_path (fs/seq_file.c): the path, each character of esc written as a backslash and three octal
 * digits (mangle_path). */
static void seq_path(struct seq_file *s, const char *path, const char *esc)
{
	for (; *path; path++) {
		if (strchr(esc, *path))
			seq_printf(s, "\\%03o", (unsigned char)*path);
		else
			seq_putc(s, *path);
	}
}

/* show_numa_map: the VMA's start, its policy (mpol_to_str), what it maps, then its pages: the counts
 * that are not zero, pages per node with memory, the kernel's page size. */
static void show_numa_map(struct seq_file *s, const struct task_struct *tsk, const struct vm_area_struct *vma)
{
	struct numa_maps md = { 0 };
	char buffer[64];
	bool huge = vma->vm_flags & VM_HUGETLB;

	md.anon_hugetlb = huge && !(vma->vm_flags & VM_MAYSHARE);
	mpol_to_str(buffer, sizeof(buffer), vma_policy_or_task(vma, tsk));
	seq_printf(s, "%08lx %s", vma->vm_start, buffer);
	if (vma_file_path(vma)) {
		seq_puts(s, " file=");
		seq_path(s, vma_file_path(vma), "\n\t= ");
	} else if (!vma->vm_special && vma_is_initial_heap(vma)) {
		seq_puts(s, " heap");
	} else if (!vma->vm_special && vma_is_initial_stack(vma)) {
		seq_puts(s, " stack");
	}
	if (huge)
		seq_puts(s, " huge");
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, &show_numa_ops, &md);
	if (md.pages) {
		if (md.anon)
			seq_printf(s, " anon=%lu", md.anon);
		if (md.dirty)
			seq_printf(s, " dirty=%lu", md.dirty);
		if (md.pages != md.anon && md.pages != md.dirty)
			seq_printf(s, " mapped=%lu", md.pages);
		if (md.mapcount_max > 1)
			seq_printf(s, " mapmax=%lu", md.mapcount_max);
		if (md.swapcache)
			seq_printf(s, " swapcache=%lu", md.swapcache);
		if (md.active < md.pages && !huge)
			seq_printf(s, " active=%lu", md.active);
		if (md.writeback)
			seq_printf(s, " writeback=%lu", md.writeback);
		for (int nid = 0; nid < vma->vm_mm->machine->nr_node_ids; nid++)
			if (md.node[nid])
				seq_printf(s, " N%d=%lu", nid, md.node[nid]);
		/* vma_kernel_pagesize */
		seq_printf(s, " kernelpagesize_kB=%lu", (huge ? huge_page_size(hstate_vma(vma)) : PAGE_SIZE) >> 10);
	}
	seq_putc(s, '\n');
}

/* numa_maps: each VMA of the mm; the gate VMA has no mm and shows nothing. */
static int numa_maps_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct task_struct *tsk = find_task(m, arg);

	for (const struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next)
		show_numa_map(s, tsk, vma);
	return 0;
}

uint64_t pagemap_entry(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	uint64_t entry = 0;
	struct pt_entry pte;
	unsigned long pfn;
	bool special = false;

	if (!vma || vma->vm_start > addr)
		return 0;
	if (vma->vm_flags & VM_SOFTDIRTY)
		entry |= PM_SOFT_DIRTY;
	if (!walk_to_pte(mm, addr, false, &pte) && ptep_get(pte) && !pte_present(ptep_get(pte))) {
		/* A swap entry: its area and slot where the frame would be (pte_to_pagemap_entry). */
		swp_entry_t swp = pte_to_swp_entry(mm->pm->entry_size, ptep_get(pte));

		return entry | PM_SWAP |
		       ((swp_type(swp) | ((uint64_t)swp_offset(swp) << MAX_SWAPFILES_SHIFT)) & PM_PFRAME_MASK);
	}
	/* a huge entry: each 4K part reports its own frame (pagemap_pmd_range, pagemap_hugetlb_range) */
	if (follow_pte(mm, addr, &pte)) {
		pfn = pte_pfn(mm->pm, ptep_get(pte));
		special = pte_special(ptep_get(pte));
	} else {
		pfn = follow_huge_pfn(mm, addr);
	}
	if (!pfn)
		return entry;
	entry |= PM_PRESENT | (pfn & PM_PFRAME_MASK);
	/* vm_normal_page: a raw frame, the zero page or the huge zero page is no one's page */
	if (!special && !is_zero_pfn(mm->machine, pfn) && !is_huge_zero_pfn(mm->machine, pfn & ~(HPAGE_PMD_NR - 1))) {
		const struct page *page = pfn_to_page(mm->machine, pfn);

		if (!PageAnon(page) && !(vma->vm_flags & VM_HUGETLB))
			entry |= PM_FILE;
		if (folio_precise_page_mapcount(page) == 1)
			entry |= PM_MMAP_EXCLUSIVE;
	}
	return entry;
}

const struct proc_entry task_mmu_proc_entries[] = {
	{ .path = "/proc/*/maps", .lookup = task_lookup, .show = maps_show },
	{ .path = "/proc/*/smaps", .lookup = task_lookup, .show = smaps_show },
	{ .path = "/proc/*/smaps_rollup", .lookup = task_lookup, .show = smaps_rollup_show },
	{ .path = "/proc/*/numa_maps", .lookup = task_lookup, .show = numa_maps_show },
	{ 0 },
};
