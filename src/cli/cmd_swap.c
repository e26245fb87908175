/*
 * Swap areas as commands (mm/swapfile.c, mm/page_io.c, util-linux): fallocate and mkswap make an
 * area's host file, swapon and swapoff add and remove it at run time. swap_out and swap_in drive the
 * slot allocator without processes: swap_out does what reclaim does to an anonymous page (a slot,
 * the page written there, one reference kept as a swap PTE would keep it) and returns the entry;
 * swap_in does what a swap fault does (the data back into a page, the reference dropped).
 *
 * swapon, swapoff and mkswap assigned to a variable return 0 or -ERRNO as the system call does;
 * used alone, a failure is an error of the script, as swapon(8) reports it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/pgtable.h>
#include <mmlab/swap.h>

#include "cli/cli.h"

/* The largest priority swapon takes (SWAP_FLAG_PRIO_MASK). */
#define PRIO_MAX SWAP_FLAG_PRIO_MASK

enum { OPT_SIZE };
static const struct cmd_option size_opts[] = {
	[OPT_SIZE] = { "size", SPEC_EXPR },
	{ NULL, 0 },
};

enum { OPT_PRIO };
static const struct cmd_option prio_opts[] = {
	[OPT_PRIO] = { "prio", SPEC_EXPR },
	{ NULL, 0 },
};

enum { OPT_CACHE };
static const struct cmd_option cache_opts[] = {
	[OPT_CACHE] = { "cache", SPEC_EXPR },
	{ NULL, 0 },
};

static const char *arg_path(const struct stmt *st)
{
	return st->command.args[0].str.s;
}

/* syscall_result: 0 or -ERRNO into the target; without one, a failure stops the script. */
static int syscall_result(struct interp *in, const struct stmt *st, int err, struct value *result)
{
	if (err && !st->target.name)
		return interp_errno(in, st->command.args[0].loc, st->command.cmd->name, arg_path(st), err);
	*result = value_int(err);
	return 0;
}

/* The size= option in bytes; 0 when it is not given. A bounded run (the fuzzer) allows no area
 * larger than the RAM it allows. */
static int opt_size(struct interp *in, const struct stmt *st, uint64_t *size)
{
	const struct arg *a = &st->command.opts[OPT_SIZE];
	int64_t max = in->limits.max_ram ? (int64_t)in->limits.max_ram : INT64_MAX, v = 0;
	int ret = a->type == ARG_NONE ? 0 : eval_arg_range(in, a, "size", 1, max, &v);

	*size = (uint64_t)v;
	return ret;
}

/* fallocate PATH size=SIZE: a blank disk or file, without a swap signature. */
static int fallocate_run(struct interp *in, const struct stmt *st, struct value *result)
{
	uint64_t size;
	int ret = opt_size(in, st, &size);

	if (ret)
		return ret;
	if (!size)
		return interp_error(in, st->loc, "fallocate: size=SIZE is required");
	return syscall_result(in, st, swap_fallocate(in->m, arg_path(st), size), result);
}

/* size_to_human_string: "60 MiB", "1.5 GiB" (util-linux lib/strutils.c, SIZE_SUFFIX_3LETTER). */
static void size_to_human_string(char *buf, size_t len, uint64_t bytes)
{
	static const char letters[] = "BKMGTPE";
	unsigned int exp = 0;
	uint64_t dec, frac;

	while (exp < 60 && bytes >= 1ULL << (exp + 10))
		exp += 10;
	dec = bytes >> exp;
	frac = exp ? ((bytes & ((1ULL << exp) - 1)) * 1000 >> exp) : 0;
	frac = (frac + 50) / 100;
	if (frac == 10) {
		dec++;
		frac = 0;
	}
	if (frac)
		snprintf(buf, len, "%llu.%llu %c%s", (unsigned long long)dec, (unsigned long long)frac,
			 letters[exp / 10], exp ? "iB" : "");
	else
		snprintf(buf, len, "%llu %c%s", (unsigned long long)dec, letters[exp / 10], exp ? "iB" : "");
}

/* mkswap PATH [size=SIZE]: prints what util-linux mkswap prints. */
static int mkswap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct swap_header_info info;
	const unsigned char *u = info.sws_uuid;
	uint64_t size;
	char human[32];
	int ret = opt_size(in, st, &size), err;

	if (ret)
		return ret;
	err = mkswap(in->m, arg_path(st), size, &info);
	if (!err) {
		size = (uint64_t)info.last_page * PAGE_SIZE;
		size_to_human_string(human, sizeof(human), size);
		fprintf(in->out, "Setting up swapspace version 1, size = %s (%llu bytes)\n", human,
			(unsigned long long)size);
		fprintf(in->out,
			"no label, UUID=%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
			u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
			u[14], u[15]);
	}
	return syscall_result(in, st, err, result);
}

/* swapon PATH [prio=N]: prio 0..32767 (SWAP_FLAG_PREFER), else the next default priority. */
static int swapon_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *prio = &st->command.opts[OPT_PRIO];
	int flags = 0;
	int64_t v;
	int ret;

	if (prio->type != ARG_NONE) {
		if ((ret = eval_arg_range(in, prio, "priority", INT32_MIN, INT32_MAX, &v)))
			return ret;
		flags = v < 0 || v > PRIO_MAX ? -1 : SWAP_FLAG_PREFER | (int)v;
	}
	return syscall_result(in, st, flags < 0 ? -EINVAL : sys_swapon(in->m, arg_path(st), flags), result);
}

static int swapoff_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return syscall_result(in, st, sys_swapoff(in->m, arg_path(st)), result);
}

/* arg_page: argument i as a page the script owns: what alloc_pages or __get_free_pages returned,
 * a single page in use that is not a slab, page table or free block. */
static int arg_page(struct interp *in, const struct stmt *st, int i, struct page **out)
{
	const struct arg *a = &st->command.args[i];
	char buf[VALUE_BUFSZ];
	struct value val;
	struct page *page;
	int ret;

	if ((ret = eval_arg(in, a, &val)))
		return ret;
	page = kaddr_to_page(in->m, (unsigned long)val.v);
	if (!page)
		page = virt_to_page(in->m, (unsigned long)val.v);
	if (!page || page_ref_count(page) <= 0 || page_has_type(page) || PageTail(page) || PageHead(page) ||
	    PageReserved(page))
		return interp_error(in, a->loc, "%s: %s is not a page in use", st->command.cmd->name,
				    value_format(val, buf, sizeof(buf)));
	*out = page;
	return 0;
}

/* arg_entry: argument i as a swap entry. */
static int arg_entry(struct interp *in, const struct stmt *st, int i, swp_entry_t *entry)
{
	struct value val;
	int ret = eval_arg(in, &st->command.args[i], &val);

	entry->val = (unsigned long)val.v;
	return ret;
}

/* swap_out PAGE [cache=1]: the entry, or -ENOMEM when no area has a free slot. cache=1 leaves the
 * page in the swap cache after writing it, as reclaim leaves a page it has not freed yet. */
static int swap_out_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *cache = &st->command.opts[OPT_CACHE];
	struct page *page;
	int64_t keep = 0;
	int err;

	if ((err = arg_page(in, st, 0, &page)) ||
	    (cache->type != ARG_NONE && (err = eval_arg_range(in, cache, "cache", 0, 1, &keep))))
		return err;
	if (PageSwapCache(page))
		return interp_error(in, st->command.args[0].loc, "swap_out: the page is in the swap cache already");
	set_page_flag(page, PG_swapbacked);
	err = folio_alloc_swap(in->m, page);
	if (err) {
		*result = value_int(err);
		return 0;
	}
	swp_entry_t entry = page_swap_entry(page);

	err = swap_writepage(in->m, page);
	swap_duplicate(in->m, entry);
	if (!keep || err)
		swap_cache_del_folio(in->m, page);
	if (err)
		swap_free(in->m, entry);
	*result = value_int(err ? err : (int64_t)entry.val);
	return 0;
}

/* swap_in ENTRY PAGE: the entry's data into PAGE (from the swap cache when a page there holds it),
 * then the reference dropped; 0, or -EINVAL for an entry not in use. */
static int swap_in_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct page *page, *cached;
	swp_entry_t entry;
	int err;

	if ((err = arg_entry(in, st, 0, &entry)) || (err = arg_page(in, st, 1, &page)))
		return err;
	if (__swap_count(in->m, entry) <= 0) {
		*result = value_int(-EINVAL);
		return 0;
	}
	cached = swap_cache_get_folio(in->m, entry);
	if (cached)
		memcpy(kmap_local_page(in->m, page), kmap_local_page(in->m, cached), PAGE_SIZE);
	else
		err = swap_read_folio(in->m, page, entry);
	if (!err)
		free_swap_and_cache(in->m, entry);
	*result = value_int(err);
	return 0;
}

/* swap_duplicate ENTRY: one more reference, as fork copying a swap PTE takes; 0 or -ERRNO. */
static int swap_duplicate_run(struct interp *in, const struct stmt *st, struct value *result)
{
	swp_entry_t entry;
	int err = arg_entry(in, st, 0, &entry);

	if (!err)
		*result = value_int(swap_duplicate(in->m, entry));
	return err;
}

/* swap_free ENTRY: drop a reference, as zapping a swap PTE does (free_swap_and_cache). */
static int swap_free_run(struct interp *in, const struct stmt *st, struct value *result)
{
	swp_entry_t entry;
	int err = arg_entry(in, st, 0, &entry);

	(void)result;
	if (!err)
		free_swap_and_cache(in->m, entry);
	return err;
}

enum entry_field { FIELD_COUNT, FIELD_TYPE, FIELD_OFFSET, FIELD_PTE };

/* The value of one field of an entry. */
static int entry_field_run(struct interp *in, const struct stmt *st, struct value *result, enum entry_field f)
{
	swp_entry_t entry;
	int err = arg_entry(in, st, 0, &entry);
	unsigned int pte_size = paging_mode_of(in->m)->entry_size;

	if (err)
		return err;
	switch (f) {
	case FIELD_COUNT:
		*result = value_int(__swap_count(in->m, entry));
		break;
	case FIELD_TYPE:
		*result = value_int(swp_type(entry));
		break;
	case FIELD_OFFSET:
		*result = value_int((int64_t)swp_offset(entry));
		break;
	case FIELD_PTE:
		*result = value_addr(swp_entry_to_pte(pte_size, entry));
		break;
	}
	return 0;
}

static int swap_count_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return entry_field_run(in, st, result, FIELD_COUNT);
}

static int swp_type_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return entry_field_run(in, st, result, FIELD_TYPE);
}

static int swp_offset_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return entry_field_run(in, st, result, FIELD_OFFSET);
}

static int swp_entry_to_pte_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return entry_field_run(in, st, result, FIELD_PTE);
}

#define SWAP_FLAGS (CMD_RESULT | CMD_MACHINE)

static const struct command swap_cmds[] = {
	{ "fallocate", "p", size_opts, SWAP_FLAGS, NULL, fallocate_run, "[R =] fallocate PATH size=SIZE",
	  "a blank disk or file of SIZE bytes, without a swap signature" },
	{ "mkswap", "p", size_opts, SWAP_FLAGS, NULL, mkswap_run, "[R =] mkswap PATH [size=SIZE]",
	  "write a swap header (SWAPSPACE2) into PATH, made SIZE bytes long if given" },
	{ "swapon", "p", prio_opts, SWAP_FLAGS, NULL, swapon_run, "[R =] swapon PATH [prio=N]",
	  "start swapping to PATH (a file, /dev/vdX, /dev/zramN); N 0..32767, default -2, -3, ..." },
	{ "swapoff", "p", NULL, SWAP_FLAGS, NULL, swapoff_run, "[R =] swapoff PATH",
	  "stop swapping to PATH, bringing its pages back" },
	{ "swap_out", "e", cache_opts, SWAP_FLAGS, NULL, swap_out_run, "[E =] swap_out P [cache=1]",
	  "write page P to a new swap slot; its entry, or -ENOMEM" },
	{ "swap_in", "ee", NULL, SWAP_FLAGS, NULL, swap_in_run, "[R =] swap_in E P",
	  "read swap entry E into page P and drop E's reference" },
	{ "swap_duplicate", "e", NULL, SWAP_FLAGS, NULL, swap_duplicate_run, "[R =] swap_duplicate E",
	  "one more reference to swap entry E (as fork copies a swap PTE)" },
	{ "swap_free", "e", NULL, CMD_MACHINE, NULL, swap_free_run, "swap_free E",
	  "drop a reference to swap entry E (as zapping a swap PTE)" },
	{ "swap_count", "e", NULL, SWAP_FLAGS, NULL, swap_count_run, "C = swap_count E",
	  "the references to E's slot (without SWAP_HAS_CACHE); -1 if E is not in use" },
	{ "swp_type", "e", NULL, SWAP_FLAGS, NULL, swp_type_run, "T = swp_type E", "the area of swap entry E" },
	{ "swp_offset", "e", NULL, SWAP_FLAGS, NULL, swp_offset_run, "O = swp_offset E",
	  "the slot of swap entry E in its area" },
	{ "swp_entry_to_pte", "e", NULL, SWAP_FLAGS, NULL, swp_entry_to_pte_run, "V = swp_entry_to_pte E",
	  "the non-present PTE that holds E, in the machine's PTE format" },
};

const struct command_table cmd_swap_table = {
	"swap areas (mm/swapfile.c, mm/page_io.c)", swap_cmds, sizeof(swap_cmds) / sizeof(swap_cmds[0]),
};
