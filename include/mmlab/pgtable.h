/*
 * x86 page tables and the TLB (arch/x86/include/asm/pgtable_types.h, pgtable_64_types.h,
 * pgtable-2level_types.h, pgtable-3level_types.h, tlbflush.h).
 *
 * A page table is a real page from the buddy allocator (page type PG_table, counted in
 * NR_PAGETABLE); its entries are stored in the page's bytes in the hardware's layout: 8-byte entries
 * for x86_64 and i386 PAE, 4-byte entries for classic i386. The paging mode of a machine says how
 * many levels there are and which bits of an address index each one.
 */
#ifndef MMLAB_PGTABLE_H
#define MMLAB_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mmlab/machine.h>

typedef uint64_t pteval_t;

/* The bits of an entry (arch/x86/include/asm/pgtable_types.h). */
#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* in a PMD or PUD entry: it maps a 2M/4M or 1G page */
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_SPECIAL	(1ULL << 9)	/* software bit: no struct page behind it (_PAGE_BIT_SOFTW1) */
#define _PAGE_NX	(1ULL << 63)	/* no execute: 8-byte entries only */
/* A PROT_NONE page: mapped for the kernel, not present for the MMU (the Global bit, unused in
 * user entries, says so: _PAGE_PROTNONE). */
#define _PAGE_PROTNONE	_PAGE_GLOBAL

/* What an entry pointing at a lower table carries (_PAGE_TABLE); the kernel's own without User
 * (_KERNPG_TABLE). */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
/* __PAGE_KERNEL_EXEC: a kernel page, Global, executable (the kernel image's large pages). */
#define __PAGE_KERNEL_EXEC	(_KERNPG_TABLE | _PAGE_GLOBAL)

#define PT_MAX_LEVELS	5

/* One level of a paging mode: its name and the address bits that index it. */
struct pt_level_desc {
	const char *name;	/* "pgd", "p4d", "pud", "pmd", "pte" */
	unsigned char shift;	/* the lowest address bit of the index */
	unsigned char bits;	/* how many bits the index has */
};

/* A paging mode: x86_64 4- or 5-level, i386 2-level or 3-level PAE. */
struct paging_mode {
	const char *name;
	int levels;
	struct pt_level_desc level[PT_MAX_LEVELS];	/* top (pgd) first; the last one is the pte level */
	unsigned char entry_size;			/* bytes per entry: 8, or 4 without PAE */
	pteval_t pfn_mask;				/* the physical address bits of an entry */
	bool nx;					/* whether _PAGE_NX exists */
	unsigned long task_size;			/* the top of user space (TASK_SIZE) */
	unsigned long mmap_window;			/* DEFAULT_MAP_WINDOW: where layouts place things */
	unsigned long huge_size;			/* the size a PSE entry at the pmd level maps */
};

/* paging_mode_of: the mode the machine's configuration selects (arch, la57, pae). */
const struct paging_mode *paging_mode_of(const struct machine *m);

/* PAGE_KERNEL: the direct map's and kmap's entries, never executable where NX exists. */
static inline pteval_t page_kernel(const struct paging_mode *pm)
{
	return __PAGE_KERNEL_EXEC | (pm->nx ? _PAGE_NX : 0);
}

/* One entry of a table: where its bytes are and how wide it is (a pte_t * in the kernel). */
struct pt_entry {
	unsigned char *p;
	unsigned int size;
};

/* ptep_get: read an entry (include/linux/pgtable.h). */
static inline pteval_t ptep_get(struct pt_entry e)
{
	uint32_t v32;
	uint64_t v64;

	if (e.size == 8) {
		memcpy(&v64, e.p, 8);
		return v64;
	}
	memcpy(&v32, e.p, 4);
	return v32;
}

/* set_pte: write an entry (arch/x86/include/asm/pgtable.h). */
static inline void set_pte(struct pt_entry e, pteval_t v)
{
	uint32_t v32 = (uint32_t)v;

	if (e.size == 8)
		memcpy(e.p, &v, 8);
	else
		memcpy(e.p, &v32, 4);
}

/* pt_index: the index of addr in a table of the given level. */
static inline unsigned int pt_index(const struct paging_mode *pm, int level, unsigned long addr)
{
	return (unsigned int)(addr >> pm->level[level].shift) & ((1u << pm->level[level].bits) - 1);
}

/* pt_entry_at: the entry for addr in the table page of the given level. */
static inline struct pt_entry pt_entry_at(const struct machine *m, const struct paging_mode *pm,
					  struct page *table, int level, unsigned long addr)
{
	unsigned char *base = kmap_local_page(m, table);

	return (struct pt_entry){ base + (size_t)pt_index(pm, level, addr) * pm->entry_size, pm->entry_size };
}

/* pte_pfn, pfn_pte: the frame an entry points at, and an entry for a frame (asm/pgtable.h). */
static inline unsigned long pte_pfn(const struct paging_mode *pm, pteval_t v)
{
	return (unsigned long)((v & pm->pfn_mask) >> PAGE_SHIFT);
}
static inline pteval_t pfn_pte(unsigned long pfn, pteval_t prot)
{
	return ((pteval_t)pfn << PAGE_SHIFT) | prot;
}
/* pte_present: the entry maps something, for the MMU or (PROT_NONE) only for the kernel. */
static inline bool pte_present(pteval_t v)
{
	return v & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
/* pte_protnone: mapped for the kernel only: PROT_NONE, or a NUMA hinting PTE in an accessible VMA. */
static inline bool pte_protnone(pteval_t v)
{
	return (v & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}
static inline bool pte_write(pteval_t v)
{
	return v & _PAGE_RW;
}

/* pte_special: the entry maps a raw frame (a VM_PFNMAP page), or the zero page: nothing the mm
 * counts or reverse-maps (vm_normal_page returns NULL). */
static inline bool pte_special(pteval_t v)
{
	return v & _PAGE_SPECIAL;
}

/* pte_modify: new protection bits, the frame, the Accessed/Dirty and special bits kept
 * (_PAGE_CHG_MASK, asm/pgtable.h). PROT_NONE (prot 0) leaves the page mapped but not present
 * (_PAGE_PROTNONE). */
static inline pteval_t pte_modify(const struct paging_mode *pm, pteval_t v, pteval_t prot)
{
	return (v & (pm->pfn_mask | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL)) | (prot ? prot : _PAGE_PROTNONE);
}

/* The size of the range one entry of a level covers, and the table entries of a level. */
static inline unsigned long pt_level_size(const struct paging_mode *pm, int level)
{
	return 1UL << pm->level[level].shift;
}
static inline unsigned int pt_entries(const struct paging_mode *pm, int level)
{
	return 1u << pm->level[level].bits;
}

/* The table page an upper-level entry points at. */
static inline struct page *pt_table_page(const struct machine *m, const struct paging_mode *pm, pteval_t v)
{
	return pfn_to_page(m, pte_pfn(pm, v));
}

/* pte_flags_decode: "P RW U A D NX ..." of an entry, for pagewalk and ptdump (arch/x86/mm/dump_pagetables.c). */
void pte_flags_decode(const struct paging_mode *pm, pteval_t v, char *buf, size_t size);

struct mm_struct;

/* mm_pgtables_level: whether a table at this level (0: the pgd) counts in the mm's VmPTE
 * (mm_pgtables_bytes): PTE, PMD and PUD tables do (mm_inc_nr_ptes, _pmds, _puds), the pgd and
 * la57's P4D tables do not; folded levels do not exist. Every table counts in PageTables. */
bool mm_pgtables_level(const struct paging_mode *pm, int level);
/* pt_alloc_one, pt_free_one: a zeroed table page for this level, typed and counted (pte_alloc_one,
 * pmd_alloc_one, pud_alloc_one, p4d_alloc_one and their frees; arch/x86/mm/pgtable.c). NULL when
 * memory is short. */
struct page *pt_alloc_one(struct mm_struct *mm, int level);
void pt_free_one(struct mm_struct *mm, struct page *table, int level);
/* pte_alloc_one, pte_free: the same for a PTE table. */
struct page *pte_alloc_one(struct mm_struct *mm);
void pte_free(struct mm_struct *mm, struct page *table);

/* kernel_pgd_boundary: the index of the first pgd entry every pgd shares with swapper_pg_dir, the
 * one of the direct map (KERNEL_PGD_BOUNDARY). */
unsigned int kernel_pgd_boundary(const struct machine *m);
/* pgd_kernel_half: a pgd's entries from KERNEL_PGD_BOUNDARY on, *len bytes of them. */
unsigned char *pgd_kernel_half(struct machine *m, struct page *pgd, size_t *len);
/* pgd_alloc, pgd_free: the top table of an address space, its kernel half shared with
 * swapper_pg_dir (arch/x86/mm/pgtable.c). 0 or -ENOMEM. */
int pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm);

/* walk_to_pte: the pte-level entry for addr, allocating missing tables when alloc is set
 * (mm/memory.c __pte_alloc and friends). 0, -ENOMEM (no page for a table) or -EFAULT (no table). */
int walk_to_pte(struct mm_struct *mm, unsigned long addr, bool alloc, struct pt_entry *out);
/* walk_to_pmd: the pmd-level entry for addr, where a huge page is mapped (huge_pte_alloc, huge_pte_offset);
 * 0, -EFAULT or -ENOMEM. walk_to_pte stops with -EFAULT at a huge entry. */
int walk_to_pmd(struct mm_struct *mm, unsigned long addr, bool alloc, struct pt_entry *out);

/* walk_to_leaf: the entry where the MMU's walk for addr ends: the pte, a huge (PSE) leaf above it, or
 * the first entry that is not present; its level. */
int walk_to_leaf(struct mm_struct *mm, unsigned long addr, struct pt_entry *out);
/* huge_pte_alloc: the entry at the level whose entries map sz bytes (the PMD for 2M, the PUD for 1G),
 * tables allocated when alloc (mm/hugetlb.c huge_pte_alloc, huge_pte_offset); 0, -EFAULT, -ENOMEM,
 * or -EINVAL when no level maps sz. */
int huge_pte_alloc(struct mm_struct *mm, unsigned long addr, unsigned long sz, bool alloc, struct pt_entry *out);

/* The entries a walk went through, top first, for `pagewalk` (arch/x86/mm/dump_pagetables.c). */
struct pt_walk {
	int levels;				/* levels reached: the last one is not present or a leaf */
	unsigned int index[PT_MAX_LEVELS];
	pteval_t entry[PT_MAX_LEVELS];
	uint64_t table_phys[PT_MAX_LEVELS];	/* the physical address of each table */
	bool mapped;				/* a present leaf was found */
	uint64_t phys;				/* then: the physical address addr translates to */
};
void pt_walk(struct mm_struct *mm, unsigned long addr, struct pt_walk *w);

/* ---- The TLB (arch/x86/mm/tlb.c): one per simulated CPU ---- */

#define TLB_4K_SETS	16	/* 64 entries, 4-way: a first-level data TLB */
#define TLB_4K_WAYS	4
#define TLB_2M_SETS	8	/* 32 entries for 2M pages, 4-way */
#define TLB_2M_SIZE	(1UL << 21)	/* the span of a 2M entry */
#define TLB_2M_WAYS	4
#define TLB_1G_ENTRIES	4	/* 1G pages: 4 entries, fully associative */
#define TLB_1G_SIZE	(1UL << 30)	/* the span of a 1G entry */

/* A cached translation: the virtual page, its frame, and the permissions of the walk. */
struct tlb_entry {
	unsigned long vpn;	/* virtual address >> page shift, plus one: 0 is an empty slot */
	unsigned long pfn;	/* the first frame of the page it maps (4K, 2M or 1G) */
	unsigned long mask;	/* the offset bits within that page: its size minus one */
	pteval_t flags;		/* _PAGE_RW, _PAGE_USER, _PAGE_NX, _PAGE_DIRTY of the leaf, _PAGE_PSE when huge */
};

struct tlb {
	struct tlb_entry e4k[TLB_4K_SETS][TLB_4K_WAYS];
	struct tlb_entry e2m[TLB_2M_SETS][TLB_2M_WAYS];
	struct tlb_entry e1g[TLB_1G_ENTRIES];
	unsigned char victim4k[TLB_4K_SETS], victim2m[TLB_2M_SETS], victim1g;	/* round-robin replacement */
	const struct mm_struct *loaded_mm;	/* cpu_tlbstate.loaded_mm: whose translations these are */
	unsigned long hits, misses, flushes;
};

struct tlb_entry *tlb_lookup_huge(struct tlb *tlb, unsigned long addr);

/* tlb_lookup: the entry caching addr's translation, 4K entries first, then 2M and 1G; NULL on a miss.
 * Hits and misses are counted. */
static inline struct tlb_entry *tlb_lookup(struct tlb *tlb, unsigned long addr)
{
	unsigned long vpn = (addr >> PAGE_SHIFT) + 1;
	struct tlb_entry *set = tlb->e4k[vpn % TLB_4K_SETS];

	for (int w = 0; w < TLB_4K_WAYS; w++)
		if (set[w].vpn == vpn) {
			tlb->hits++;
			return &set[w];
		}
	return tlb_lookup_huge(tlb, addr);
}

/* tlb_fill: cache a translation after a walk: addr lies in a page of size bytes (4K, or 2M or 1G for a
 * pmd- or pud-level leaf) whose first frame is pfn. */
void tlb_fill(struct tlb *tlb, unsigned long addr, unsigned long pfn, pteval_t flags, unsigned long size);
/* switch_mm: the CPU starts running mm: without PCID the old translations go (arch/x86/mm/tlb.c). */
void switch_mm(struct tlb *tlb, const struct mm_struct *next);
/* flush_tlb_mm_range: drop mm's translations of [start, end) on every CPU that holds them; a range
 * of more than tlb_single_page_flush_ceiling pages flushes everything. */
void flush_tlb_mm_range(struct machine *m, const struct mm_struct *mm, unsigned long start, unsigned long end);
/* flush_tlb_one_user: invlpg on one CPU: drop addr's translation. */
void flush_tlb_one_user(struct tlb *tlb, unsigned long addr);
/* leave_mm: no CPU may keep mm loaded (it is going away). */
void leave_mm(struct machine *m, const struct mm_struct *mm);
/* flush_tlb_all: every CPU, everything. */
void flush_tlb_all(struct tlb *tlbs, int nr_cpus);

#endif
