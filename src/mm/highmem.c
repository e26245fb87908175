/*
 * kmap (mm/highmem.c): a HighMem page gets a kernel address in the pkmap area for as long as it is
 * kmapped; a lowmem page has its direct-map address already.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/highmem.h>
#include <mmlab/pgtable.h>

/* PKMAP_ADDR */
static unsigned long pkmap_addr(unsigned int nr)
{
	return PKMAP_BASE + ((unsigned long)nr << PAGE_SHIFT);
}

/* &pkmap_page_table[nr] */
static struct pt_entry pkmap_pte(struct machine *m, unsigned int nr)
{
	const struct paging_mode *pm = paging_mode_of(m);

	return pt_entry_at(m, pm, m->pkmap->pkmap_page_table, pm->levels - 1, pkmap_addr(nr));
}

/* flush_all_zero_pkmaps: slots mapped but unused are cleared and free again (the kernel then
 * flushes the kernel TLB range: kernel accesses do not go through the machine's TLB). */
static void flush_all_zero_pkmaps(struct machine *m)
{
	struct pkmap_state *pk = m->pkmap;

	for (unsigned int i = 0; i < pk->nr_slots; i++)
		if (pk->pkmap_count[i] == 1) {
			pk->pkmap_count[i] = 0;
			pk->pkmap_pfn[i] = 0;
			set_pte(pkmap_pte(m, i), 0);
		}
}

/* map_new_virtual: the next free slot after the last one used, clearing unused ones on wrapping. */
static unsigned long map_new_virtual(struct machine *m, struct page *page)
{
	struct pkmap_state *pk = m->pkmap;

	for (unsigned int count = pk->nr_slots; count; count--) {
		pk->last_pkmap_nr = (pk->last_pkmap_nr + 1) & (pk->nr_slots - 1);
		if (!pk->last_pkmap_nr) {
			flush_all_zero_pkmaps(m);
			count = pk->nr_slots;
		}
		if (!pk->pkmap_count[pk->last_pkmap_nr])
			break;
		if (count == 1)
			return 0;
	}
	/* kmap_prot: PAGE_KERNEL */
	set_pte(pkmap_pte(m, pk->last_pkmap_nr), pfn_pte(page_to_pfn(m, page), page_kernel(paging_mode_of(m))));
	pk->pkmap_count[pk->last_pkmap_nr] = 1;
	pk->pkmap_pfn[pk->last_pkmap_nr] = page_to_pfn(m, page) + 1;
	return pkmap_addr(pk->last_pkmap_nr);
}

/* The slot holding page, or -1 (page_address's hash lookup). */
static int pkmap_slot(const struct machine *m, const struct page *page)
{
	const struct pkmap_state *pk = m->pkmap;

	for (unsigned int i = 0; i < pk->nr_slots; i++)
		if (pk->pkmap_count[i] && pk->pkmap_pfn[i] == page_to_pfn(m, page) + 1)
			return (int)i;
	return -1;
}

/* kmap_high */
unsigned long kmap(struct machine *m, struct page *page)
{
	int slot;
	unsigned long vaddr;

	if (!PageHighMem(page) || !m->pkmap)
		return page_address(m, page);
	slot = pkmap_slot(m, page);
	if (slot >= 0) {
		m->pkmap->pkmap_count[slot]++;
		return pkmap_addr((unsigned int)slot);
	}
	vaddr = map_new_virtual(m, page);
	if (vaddr)
		m->pkmap->pkmap_count[m->pkmap->last_pkmap_nr]++;
	return vaddr;
}

/* kunmap_high */
int kunmap(struct machine *m, struct page *page)
{
	int slot;

	if (!PageHighMem(page) || !m->pkmap)
		return 0;
	slot = pkmap_slot(m, page);
	if (slot < 0 || m->pkmap->pkmap_count[slot] < 2)
		return -EINVAL;
	m->pkmap->pkmap_count[slot]--;
	return 0;
}

/* permanent_kmaps_init's state */
int kmap_init(struct machine *m, struct page *pkmap_page_table)
{
	m->pkmap = calloc(1, sizeof(*m->pkmap));
	if (!m->pkmap)
		return -ENOMEM;
	m->pkmap->pkmap_page_table = pkmap_page_table;
	m->pkmap->nr_slots = m->cfg.pae ? LAST_PKMAP_PAE : LAST_PKMAP_MAX;
	return 0;
}

void kmap_exit(struct machine *m)
{
	free(m->pkmap);
	m->pkmap = NULL;
}
