/*
 * The page allocator's interface as commands (include/linux/gfp.h): alloc_pages returns a struct page
 * pointer, __get_free_pages a direct-map address; free_pages takes either back.
 */
#include <limits.h>
#include <string.h>

#include <mmlab/gfp.h>
#include <mmlab/highmem.h>
#include <mmlab/machine.h>

#include "cli/cli.h"

enum { OPT_NODE = OPT_GFP + 1 };

static const struct cmd_option alloc_opts[] = {
	[OPT_GFP] = { "gfp", SPEC_GFP },
	[OPT_NODE] = { "node", SPEC_EXPR },
	{ NULL, 0 },
};

const struct cmd_option gfp_opts[] = {
	[OPT_GFP] = { "gfp", SPEC_GFP },
	{ NULL, 0 },
};

gfp_t opt_gfp(const struct stmt *st)
{
	const struct arg *a = &st->command.opts[OPT_GFP];

	return a->type == ARG_NONE ? GFP_KERNEL : a->gfp;
}

/* The ORDER argument i, up to max. */
static int arg_order(struct interp *in, const struct stmt *st, int i, int64_t max, unsigned int *order)
{
	int64_t v = 0;
	int ret = eval_arg_range(in, &st->command.args[i], "order", 0, max, &v);

	*order = (unsigned int)v;
	return ret;
}

/* An allocation may ask any order: above MAX_PAGE_ORDER the allocator warns and fails, as the
 * kernel's does. */
static int alloc_order(struct interp *in, const struct stmt *st, unsigned int *order)
{
	return arg_order(in, st, 0, UINT_MAX, order);
}

/* alloc_pages ORDER [gfp=FLAGS] [node=N]: the struct page's address, 0 (NULL) on failure. */
static int alloc_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *node = &st->command.opts[OPT_NODE];
	unsigned int order;
	struct page *page;
	int64_t nid;
	int ret;

	if ((ret = alloc_order(in, st, &order)))
		return ret;
	if (node->type == ARG_NONE) {
		page = alloc_pages(in->m, opt_gfp(st), order);
	} else {
		if ((ret = eval_arg_range(in, node, "node", 0, in->m->nr_node_ids - 1, &nid)))
			return ret;
		page = __alloc_pages(in->m, opt_gfp(st), order, (int)nid);
	}
	*result = value_addr(page ? page_kaddr(in->m, page) : 0);
	return 0;
}

/* __get_free_pages ORDER [gfp=FLAGS]: a direct-map address, 0 on failure. */
static int get_free_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned int order;
	int ret;

	if ((ret = alloc_order(in, st, &order)))
		return ret;
	*result = value_addr(__get_free_pages(in->m, opt_gfp(st), order));
	return 0;
}

static int get_zeroed_page_run(struct interp *in, const struct stmt *st, struct value *result)
{
	*result = value_addr(get_zeroed_page(in->m, opt_gfp(st)));
	return 0;
}

/* The page a value names: a struct page (alloc_pages), a direct-map address (__get_free_pages), or
 * when pfn_ok a page frame number; NULL if none. */
static struct page *value_page(struct interp *in, unsigned long v, bool pfn_ok)
{
	struct page *page = kaddr_to_page(in->m, v);

	if (!page)
		page = virt_to_page(in->m, v);
	if (!page && pfn_ok && pfn_valid(in->m, v))
		page = pfn_to_page(in->m, v);
	return page;
}

/* free_pages VALUE ORDER: VALUE is what alloc_pages (a struct page) or __get_free_pages (a
 * direct-map address) returned. null_ok: NULL is ignored rather than an error. */
static int free_value(struct interp *in, const struct stmt *st, bool null_ok)
{
	const struct arg *a = &st->command.args[0];
	const char *name = st->command.cmd->name;
	char buf[VALUE_BUFSZ];
	unsigned long addr;
	unsigned int order;
	struct page *page;
	struct value val;
	int ret;

	if ((ret = eval_arg(in, a, &val)) || (ret = arg_order(in, st, 1, MAX_PAGE_ORDER, &order)))
		return ret;
	addr = (unsigned long)val.v;
	if (addr == 0 && null_ok)
		return 0;
	if (!(page = value_page(in, addr, false)))
		return interp_error(in, a->loc, "%s: %s is not a page", name,
				    value_format(value_addr(addr), buf, sizeof(buf)));
	__free_pages(in->m, page, order);
	return 0;
}

/* kmap PAGE, kunmap PAGE: PAGE a struct page, a direct-map address or a PFN; kmap's value is the
 * page's kernel address (0 when every pkmap slot is taken), kunmap's 0 or -EINVAL. */
static int kmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.args[0];
	char buf[VALUE_BUFSZ];
	struct page *page;
	struct value val;
	int ret;

	if ((ret = eval_arg(in, a, &val)))
		return ret;
	if (!(page = value_page(in, (unsigned long)val.v, true)))
		return interp_error(in, a->loc, "%s: %s is not a page", st->command.cmd->name,
				    value_format(val, buf, sizeof(buf)));
	*result = strcmp(st->command.cmd->name, "kmap") ? value_int(kunmap(in->m, page))
							: value_addr(kmap(in->m, page));
	return 0;
}

/* free_pages(0, order) does nothing in the kernel ... */
static int free_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	(void)result;
	return free_value(in, st, true);
}

/* ... while __free_pages(NULL, order) dereferences NULL: here, an error. */
static int __free_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	(void)result;
	return free_value(in, st, false);
}

/* drain_all_pages: every CPU's cached pages back to the buddy lists (mm/page_alloc.c). */
static int drain_all_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	(void)st;
	(void)result;
	drain_all_pages(in->m);
	return 0;
}

#define ALLOC_FLAGS (CMD_RESULT | CMD_MACHINE)

static const struct command page_alloc_cmds[] = {
	{ "alloc_pages", "e", alloc_opts, ALLOC_FLAGS, NULL, alloc_pages_run,
	  "[P =] alloc_pages ORDER [gfp=FLAGS] [node=N]", "2^ORDER pages: their struct page, or 0" },
	{ "__get_free_pages", "e", gfp_opts, ALLOC_FLAGS, NULL, get_free_pages_run,
	  "[A =] __get_free_pages ORDER [gfp=FLAGS]", "2^ORDER pages: their direct-map address, or 0" },
	{ "get_free_pages", "e", gfp_opts, ALLOC_FLAGS, NULL, get_free_pages_run,
	  "[A =] get_free_pages ORDER [gfp=FLAGS]", "the same as __get_free_pages" },
	{ "get_zeroed_page", "", gfp_opts, ALLOC_FLAGS, NULL, get_zeroed_page_run,
	  "[A =] get_zeroed_page [gfp=FLAGS]", "one zero-filled page: its direct-map address, or 0" },
	{ "free_pages", "ee", NULL, CMD_MACHINE, NULL, free_pages_run, "free_pages P|A ORDER",
	  "free what alloc_pages or __get_free_pages returned (0 is ignored)" },
	{ "__free_pages", "ee", NULL, CMD_MACHINE, NULL, __free_pages_run, "__free_pages P|A ORDER",
	  "the same as free_pages (0 is an error)" },
	{ "drain_all_pages", "", NULL, CMD_MACHINE, NULL, drain_all_pages_run, "drain_all_pages",
	  "return the pages cached on every CPU's lists to the buddy allocator" },
	{ "kmap", "e", NULL, CMD_MACHINE | CMD_RESULT, NULL, kmap_run, "[A =] kmap P|A|PFN",
	  "a kernel address for the page: the direct map, or a pkmap slot for HighMem (i386)" },
	{ "kunmap", "e", NULL, CMD_MACHINE | CMD_RESULT, NULL, kmap_run, "[R =] kunmap P|A|PFN",
	  "release kmap's mapping of a HighMem page (0, or -EINVAL if it had none)" },
};

const struct command_table cmd_page_alloc_table = {
	"the page allocator (mm/page_alloc.c, mm/highmem.c)", page_alloc_cmds,
	sizeof(page_alloc_cmds) / sizeof(page_alloc_cmds[0]),
};
