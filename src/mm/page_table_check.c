/*
 * The page-table checker (mm/page_table_check.c, whole rather than incremental): every page a user
 * PTE maps must have as many mappings in its _mapcount as PTEs point at it, every large folio as
 * many in its entire mapcount as PMDs map it whole, a reference for each, and a reverse map that
 * finds each of them; a writable entry of private memory must map a page nothing else maps (else
 * COW leaked); the counters NR_ANON_MAPPED, NR_ANON_THPS, NR_PAGETABLE and each mm's RSS must agree
 * with the tables (deposited tables included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>

#include "internal.h"

struct pt_checker {
	struct machine *m;
	struct seq_file *report;
	int errors;
	unsigned int *maps;		/* per pfn: PTEs mapping it */
	unsigned int *pmd_maps;		/* per pfn of a large folio's head: PMDs mapping the folio */
	unsigned long tables;		/* table pages reached */
	unsigned long vmpte_tables;	/* of the mm being walked: those its VmPTE counts */
	struct vm_area_struct *vma;	/* the VMA being walked */
	unsigned long huge_pmds;	/* transparent huge PMDs of the mm being walked */
	long rss[NR_MM_COUNTERS];	/* of the mm being walked */
	unsigned long hugetlb_usage;	/* of the mm being walked: base pages under huge entries */
};

/* One violation: a "machine_check: " line of the report. */
#define ptc_violation(c, ...) check_report((c)->report, &(c)->errors, __VA_ARGS__)

static int check_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct pt_checker *c = walk->private;
	pteval_t v = ptep_get(pte);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);
	struct page *page;

	/* a PROT_NONE entry in an accessible VMA is a NUMA hinting PTE: change_prot_numa marks only
	 * normal pages of VMAs whose pages can move */
	if (pte_protnone(v) && vma_is_accessible(c->vma) &&
	    (is_zero_pfn(c->m, pfn) || pte_special(v) || !vma_migratable(c->vma) || pte_write(v)))
		ptc_violation(c, "%#lx: a NUMA hinting entry on a page no scan marks (or writable)", addr);
	if (is_zero_pfn(c->m, pfn)) {
		if (pte_write(v))
			ptc_violation(c, "%#lx maps the zero page writable", addr);
		return 0;
	}
	if (pte_special(v)) {	/* a raw frame: no struct page use to check */
		if (!(c->vma->vm_flags & VM_PFNMAP))
			ptc_violation(c, "%#lx: a special entry outside a VM_PFNMAP mapping", addr);
		return 0;
	}
	if (!pfn_valid(c->m, pfn)) {
		ptc_violation(c, "%#lx maps pfn %#lx beyond the end of memory", addr, pfn);
		return 0;
	}
	page = pfn_to_page(c->m, pfn);
	c->maps[pfn]++;
	c->rss[mm_counter(page)]++;
	if (pte_write(v) && !(c->vma->vm_flags & VM_SHARED) && folio_precise_page_mapcount(page) != 1)
		ptc_violation(c, "%#lx: pfn %#lx is writable in private memory but mapped %d times", addr, pfn,
			      folio_precise_page_mapcount(page));
	return 0;
}

/* A huge entry maps the head of a PG_hugetlb page of its alignment, in a VM_HUGETLB mapping; it is
 * counted against the entire mapcount, which the first tail page holds (mm/page_table_check.c
 * page_table_check_pmd_set). */
static int check_huge_pmd(struct pt_entry pmd, unsigned long addr, struct mm_walk *walk)
{
	struct pt_checker *c = walk->private;
	pteval_t v = ptep_get(pmd);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);
	struct page *page;

	if (!pfn_valid(c->m, pfn + 1)) {
		ptc_violation(c, "%#lx: huge entry maps pfn %#lx beyond the end of memory", addr, pfn);
		return 0;
	}
	page = pfn_to_page(c->m, pfn);
	if (!PageHead(page) || !page_type_is(page, PG_hugetlb) || (pfn & ((1UL << compound_order(page)) - 1)))
		ptc_violation(c, "%#lx: huge entry maps pfn %#lx, not the head of a hugetlb page", addr, pfn);
	if (!(c->vma->vm_flags & VM_HUGETLB))
		ptc_violation(c, "%#lx: huge entry in a mapping without VM_HUGETLB", addr);
	else if (compound_order(page) != hstate_vma(c->vma)->order)
		ptc_violation(c, "%#lx: huge entry maps an order-%u page in a mapping of order-%u pages", addr,
			      compound_order(page), hstate_vma(c->vma)->order);
	c->hugetlb_usage += 1UL << compound_order(page);
	c->pmd_maps[pfn]++;
	if (pte_write(v) && !(c->vma->vm_flags & VM_SHARED) && folio_entire_mapcount(page) != 1)
		ptc_violation(c, "%#lx: hugetlb pfn %#lx is writable in private memory but mapped %d times", addr, pfn,
			      folio_entire_mapcount(page));
	return 0;
}

/* A transparent huge PMD maps the head of an anonymous PMD-sized folio of its alignment, or the huge
 * zero page read-only, in an anonymous VMA; written to, it must be the folio's only mapping
 * (mm/page_table_check.c page_table_check_pmd_set). */
static int check_thp_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct pt_checker *c = walk->private;
	pteval_t v = ptep_get(pmd);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);
	struct page *page;

	(void)next;
	c->huge_pmds++;
	if (c->vma->vm_flags & VM_HUGETLB || !vma_is_anonymous(c->vma))
		ptc_violation(c, "%#lx: transparent huge PMD in a hugetlb or shared mapping", addr);
	if (is_huge_zero_pfn(c->m, pfn)) {
		if (pte_write(v))
			ptc_violation(c, "%#lx maps the huge zero page writable", addr);
		return 0;
	}
	if (!pfn_valid(c->m, pfn + HPAGE_PMD_NR - 1)) {
		ptc_violation(c, "%#lx: huge PMD maps pfn %#lx beyond the end of memory", addr, pfn);
		return 0;
	}
	page = pfn_to_page(c->m, pfn);
	if (!PageHead(page) || compound_order(page) != HPAGE_PMD_ORDER || page_has_type(page) || !PageAnon(page) ||
	    (pfn & (HPAGE_PMD_NR - 1)))
		ptc_violation(c, "%#lx: huge PMD maps pfn %#lx, not the head of an anonymous PMD-sized folio", addr, pfn);
	c->pmd_maps[pfn]++;
	c->rss[MM_ANONPAGES] += (long)HPAGE_PMD_NR;
	if (pte_write(v) && folio_mapcount(page) != 1)
		ptc_violation(c, "%#lx: folio %#lx is writable but mapped %d times", addr, pfn, folio_mapcount(page));
	return 0;
}

static int check_table(struct page *table, int level, struct mm_walk *walk)
{
	struct pt_checker *c = walk->private;

	c->tables++;
	c->vmpte_tables += mm_pgtables_level(walk->mm->pm, level);
	if (!PageTable(table))
		ptc_violation(c, "pfn %#lx is a page table but not typed PG_table", page_to_pfn(c->m, table));
	return 0;
}

static const struct mm_walk_ops pte_ops = { .pte_entry = check_pte, .hugetlb_entry = check_huge_pmd,
					    .pmd_entry = check_thp_pmd };
static const struct mm_walk_ops table_ops = { .pt_table = check_table };

/* The tables deposited for huge PMDs (pgtable_trans_huge_deposit): typed and counted; how many. */
static unsigned long check_deposited(struct pt_checker *c, struct mm_struct *mm)
{
	struct mm_walk walk = { .mm = mm, .private = c };
	const int pte_level = mm->pm->levels - 1;
	struct page *t;
	unsigned long n = 1;

	if (!mm->pmd_huge_pte)
		return 0;
	check_table(mm->pmd_huge_pte, pte_level, &walk);
	list_for_each_entry(t, &mm->pmd_huge_pte->lru, lru) {
		check_table(t, pte_level, &walk);
		n++;
	}
	return n;
}

/* pgd_ctor's copy: a pgd's kernel half is swapper_pg_dir's, entry for entry. */
static void check_kernel_half(struct pt_checker *c, struct task_struct *tsk)
{
	size_t len;
	const unsigned char *half = pgd_kernel_half(c->m, tsk->mm->pgd, &len);

	if (memcmp(half, pgd_kernel_half(c->m, c->m->swapper_pg_dir, &len), len))
		ptc_violation(c, "%s[%d]: the kernel half of its pgd differs from swapper_pg_dir", tsk->comm, tsk->pid);
}

/* Walk one task's PTEs VMA by VMA (so that each is judged by its VMA), then its tables alone (so
 * that tables outside every VMA are counted too), then the tables deposited for its huge PMDs. */
static void check_task(struct pt_checker *c, struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->mm;
	const struct paging_mode *pm = mm->pm;
	unsigned long deposited;

	for (int i = 0; i < NR_MM_COUNTERS; i++)
		c->rss[i] = 0;
	c->huge_pmds = 0;
	c->vmpte_tables = 0;
	check_kernel_half(c, tsk);
	c->hugetlb_usage = 0;
	for (c->vma = mm->mmap; c->vma; c->vma = c->vma->vm_next)
		walk_page_range(mm, c->vma->vm_start, c->vma->vm_end, &pte_ops, c);
	/* the user half: the kernel half's tables are the kernel's, shared (not in PageTables) */
	walk_page_range(mm, 0, pm->task_size, &table_ops, c);
	deposited = check_deposited(c, mm);
	if (deposited != c->huge_pmds)
		ptc_violation(c, "%s[%d]: %lu transparent huge PMDs but %lu tables deposited", tsk->comm, tsk->pid,
			      c->huge_pmds, deposited);
	if (c->rss[MM_ANONPAGES] != mm->rss_stat[MM_ANONPAGES] || c->rss[MM_SHMEMPAGES] != mm->rss_stat[MM_SHMEMPAGES] ||
	    c->rss[MM_FILEPAGES] != mm->rss_stat[MM_FILEPAGES])
		ptc_violation(c, "%s[%d]: rss anon %ld shmem %ld file %ld, but the tables map %ld, %ld and %ld", tsk->comm,
			      tsk->pid, mm->rss_stat[MM_ANONPAGES], mm->rss_stat[MM_SHMEMPAGES], mm->rss_stat[MM_FILEPAGES],
			      c->rss[MM_ANONPAGES], c->rss[MM_SHMEMPAGES], c->rss[MM_FILEPAGES]);
	if (c->hugetlb_usage != mm->hugetlb_usage)
		ptc_violation(c, "%s[%d]: HugetlbPages is %lu pages but its huge entries map %lu", tsk->comm, tsk->pid,
			      mm->hugetlb_usage, c->hugetlb_usage);
	if (c->vmpte_tables * PAGE_SIZE != mm->pgtables_bytes)
		ptc_violation(c, "%s[%d]: VmPTE is %lu bytes but it has %lu PTE, PMD and PUD tables", tsk->comm,
			      tsk->pid, mm->pgtables_bytes, c->vmpte_tables);
}

static int count_mapping(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	(void)vma;
	(void)addr;
	++*(unsigned int *)arg;
	return 0;
}

/* A large folio's head: its PMD mappings against its entire mapcount and the reverse map, its
 * references against every mapping of its pages; *thps: the pages of anonymous folios mapped whole. */
static void check_folio(struct pt_checker *c, unsigned long pfn, unsigned long *thps)
{
	struct page *folio = pfn_to_page(c->m, pfn);
	int entire = folio_entire_mapcount(folio);
	bool hugetlb = page_type_is(folio, PG_hugetlb);
	unsigned int found = 0;

	if ((unsigned int)entire != c->pmd_maps[pfn])
		ptc_violation(c, "folio %#lx has entire mapcount %d but %u PMDs map it", pfn, entire, c->pmd_maps[pfn]);
	if (page_ref_count(folio) < folio_mapcount(folio))
		ptc_violation(c, "folio %#lx is mapped %d times with only %d references", pfn, folio_mapcount(folio),
			      page_ref_count(folio));
	if (hugetlb || !entire)	/* hugetlb pages have no reverse map here */
		return;
	*thps += folio_nr_pages(folio);
	rmap_walk_pmd(c->m, folio, count_mapping, &found);
	if (found != c->pmd_maps[pfn])
		ptc_violation(c, "folio %#lx is mapped by %u PMDs but the reverse map finds %u", pfn, c->pmd_maps[pfn],
			      found);
}

/* One page: its PTE mappings against its mapcount and the reverse map. */
static void check_page(struct pt_checker *c, unsigned long pfn)
{
	struct page *page = pfn_to_page(c->m, pfn);
	int mapped = page_has_type(page) || page->_mapcount < 0 ? 0 : page->_mapcount + 1;
	unsigned int found = 0;

	if ((unsigned int)mapped != c->maps[pfn])
		ptc_violation(c, "pfn %#lx has mapcount %d but %u PTEs map it", pfn, mapped, c->maps[pfn]);
	if (!mapped)
		return;
	if (!PageTail(page) && !PageHead(page) && page_ref_count(page) < mapped)
		ptc_violation(c, "pfn %#lx is mapped %d times with only %d references", pfn, mapped, page_ref_count(page));
	if (!page_folio(page)->mapping)	/* a special mapping's page (the vDSO): no reverse map */
		return;
	rmap_walk(c->m, page, count_mapping, &found);
	if (found != c->maps[pfn])
		ptc_violation(c, "pfn %#lx is mapped by %u PTEs but the reverse map finds %u", pfn, c->maps[pfn], found);
}

/* Every page's mapcount against the PTEs and PMDs counted, and against what the reverse map finds;
 * NR_ANON_MAPPED and NR_FILE_MAPPED against the mapped anon and shmem or file pages (hugetlb pages
 * count in neither), NR_ANON_THPS against the anon folios mapped whole. */
static void check_mapcounts(struct pt_checker *c)
{
	unsigned long anon_mapped = 0, file_mapped = 0, thps = 0;

	for (unsigned long pfn = 0; pfn < c->m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(c->m, pfn), *folio = page_folio(page);
		bool mapped = folio_precise_page_mapcount(page);

		if (PageHead(page))
			check_folio(c, pfn, &thps);
		check_page(c, pfn);
		if (mapped && PageAnon(page))
			anon_mapped++;
		else if (mapped && !page_type_is(folio, PG_hugetlb))
			file_mapped++;
		/* MADV_FREE: a lazily freed folio is clean and out of the swap cache until written again */
		if (mapped && PageAnon(page) && !test_bit_flag(folio, PG_swapbacked) &&
		    (test_bit_flag(folio, PG_dirty) || test_bit_flag(folio, PG_swapcache)))
			ptc_violation(c, "pfn %#lx is lazily freed but flagged %#lx", pfn,
				      folio->flags & ((1UL << __NR_PAGEFLAGS) - 1));
	}
	if (global_node_page_state(c->m, NR_ANON_MAPPED) != anon_mapped)
		ptc_violation(c, "NR_ANON_MAPPED is %lu but %lu anonymous pages are mapped",
			      global_node_page_state(c->m, NR_ANON_MAPPED), anon_mapped);
	if (global_node_page_state(c->m, NR_FILE_MAPPED) != file_mapped)
		ptc_violation(c, "NR_FILE_MAPPED is %lu but %lu shmem and file pages are mapped",
			      global_node_page_state(c->m, NR_FILE_MAPPED), file_mapped);
	if (global_node_page_state(c->m, NR_ANON_THPS) != thps)
		ptc_violation(c, "NR_ANON_THPS is %lu but %lu pages of anonymous huge folios are mapped by PMDs",
			      global_node_page_state(c->m, NR_ANON_THPS), thps);
}

int page_table_check(struct machine *m, struct seq_file *report)
{
	struct pt_checker c = { .m = m, .report = report };
	struct task_struct *tsk;

	if (!m->tasks)
		return 0;
	c.maps = calloc(m->max_pfn, sizeof(*c.maps));
	c.pmd_maps = calloc(m->max_pfn, sizeof(*c.pmd_maps));
	if (!c.maps || !c.pmd_maps) {
		ptc_violation(&c, "host out of memory for the page-table check");
		free(c.maps);
		free(c.pmd_maps);
		return c.errors;
	}
	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		check_task(&c, tsk);
	check_mapcounts(&c);
	if (global_node_page_state(m, NR_PAGETABLE) != c.tables)
		ptc_violation(&c, "NR_PAGETABLE is %lu but the processes have %lu table pages",
			      global_node_page_state(m, NR_PAGETABLE), c.tables);
	free(c.maps);
	free(c.pmd_maps);
	return c.errors;
}
