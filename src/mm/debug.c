/* Naming and dumping for reports: GFP flag names, page dumps (mm/debug.c, include/trace/events/mmflags.h). */
#include <string.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>

#include "internal.h"

/* Composite names first, so that GFP_KERNEL prints as one name rather than its four bits. */
const struct gfp_name gfp_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
	{ 0, NULL },
};

/* format_flags: each name whose bits are all still set, joined by '|'; leftovers in hex (lib/vsprintf.c). */
void format_gfp_flags(struct seq_file *s, gfp_t gfp)
{
	bool first = true;

	if (!gfp) {
		seq_puts(s, "0");
		return;
	}
	for (const struct gfp_name *n = gfp_names; n->name && gfp; n++) {
		if ((gfp & n->mask) != n->mask)
			continue;
		seq_printf(s, "%s%s", first ? "" : "|", n->name);
		gfp &= ~n->mask;
		first = false;
	}
	if (gfp)
		seq_printf(s, "%s%#x", first ? "" : "|", gfp);
}

bool parse_gfp_flag(const char *name, size_t len, gfp_t *out)
{
	for (const struct gfp_name *n = gfp_names; n->name; n++) {
		if (strlen(n->name) == len && !memcmp(n->name, name, len)) {
			*out = n->mask;
			return true;
		}
	}
	return false;
}

/* gfp_zone_table_init: the zone each combination of zone modifiers means: DMA, DMA32 or HighMem when
 * asked for, Normal otherwise; a zone the architecture lacks falls back to Normal, and HighMem with
 * __GFP_MOVABLE may use ZONE_MOVABLE when it exists (include/linux/gfp.h GFP_ZONE_TABLE). */
void gfp_zone_table_init(struct machine *m)
{
	for (gfp_t bits = 0; bits <= GFP_ZONEMASK; bits++) {
		enum zone_type z = ZONE_NORMAL;
		if (bits & __GFP_DMA)
			z = ZONE_DMA;
		else if (bits & __GFP_DMA32)
			z = ZONE_DMA32;
		else if ((bits & __GFP_HIGHMEM) && (bits & __GFP_MOVABLE))
			z = ZONE_MOVABLE;
		else if (bits & __GFP_HIGHMEM)
			z = ZONE_HIGHMEM;
		m->gfp_zone_table[bits] = zone_configured(m, z) ? z : ZONE_NORMAL;
	}
}

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	"locked", "writeback", "referenced", "uptodate", "dirty", "lru", "head", "waiters", "active",
	"workingset", "owner_priv_1", "owner_2", "arch_1", "reserved", "private", "private_2", "reclaim",
	"swapbacked", "unevictable", "mlocked",
};

/* dump_page: the state of a page, as the kernel prints it under a "Bad page" report (mm/debug.c). */
static void dump_page(struct machine *m, struct seq_file *s, struct page *page, const char *reason)
{
	bool first = true;

	seq_printf(s, "page: refcount:%d mapcount:%d mapping:%016lx index:0x%lx pfn:0x%lx\n", page->_refcount,
		   page_has_type(page) ? 0 : page->_mapcount + 1, (unsigned long)page->mapping,
		   page_has_type(page) ? 0 : page->index, page_to_pfn(m, page));
	seq_printf(s, "flags: %#lx(", page->flags);
	for (int bit = 0; bit < __NR_PAGEFLAGS; bit++) {
		if (!test_bit_flag(page, bit))
			continue;
		seq_printf(s, "%s%s", first ? "" : "|", pageflag_names[bit]);
		first = false;
	}
	seq_printf(s, "%szone=%d", first ? "" : "|", page_zonenum(page));
	if (m->nr_node_ids > 1)
		seq_printf(s, "|node=%d", page_to_nid(page));
	seq_puts(s, ")\n");
	if (page_has_type(page))
		seq_printf(s, "page_type: %x(%s)\n", page->page_type,
			   PageBuddy(page) ? "buddy" : PageSlab(page) ? "slab" : PageTable(page) ? "table" : "");
	seq_printf(s, "page dumped because: %s\n", reason);
}

/* bad_page: "BUG: Bad page state"; the page is left out of the allocator rather than trusted (mm/page_alloc.c). */
void bad_page(struct machine *m, struct page *page, const char *reason)
{
	struct seq_file s;

	seq_init(&s);
	seq_printf(&s, "BUG: Bad page state in process %s  pfn:%05lx\n", m->trace.comm, page_to_pfn(m, page));
	dump_page(m, &s, page, reason);
	printk_lines(m, KERN_ALERT, s.buf);
	seq_release(&s);
}
