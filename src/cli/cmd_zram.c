/*
 * zram devices driven directly (drivers/block/zram): pages written into slots, read back and
 * checked, discarded. The pages are made from a pattern (include/mmlab/page_pattern.h), so
 * zram_read checks every byte against the same pattern without anything kept on the side.
 */
#include <stdint.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/page_pattern.h>
#include <mmlab/zram.h>

#include "cli/cli.h"

enum { OPT_COUNT, OPT_FILL, OPT_SEED };

static const struct cmd_option zram_io_opts[] = {
	[OPT_COUNT] = { "count", SPEC_EXPR },
	[OPT_FILL] = { "fill", SPEC_WORD },
	[OPT_SEED] = { "seed", SPEC_EXPR },
	{ NULL, 0 },
};

/* The same without fill= and seed=: OPT_COUNT is first in both. */
static const struct cmd_option zram_count_opts[] = {
	[OPT_COUNT] = { "count", SPEC_EXPR },
	{ NULL, 0 },
};

/* What one command does to a range of slots. */
struct zram_io {
	struct zram *zram;
	uint32_t index, count;
	enum page_pattern fill;
	unsigned char byte;
	uint64_t seed;
};

/* fill_check: at parse time, fill= must name a pattern. */
static int fill_check(struct parser *p, const struct stmt *st)
{
	const struct arg *fill = &st->command.opts[OPT_FILL];
	enum page_pattern kind;
	unsigned char byte;

	if (fill->type != ARG_NONE && !page_pattern_parse(fill->str.s, &kind, &byte))
		return parser_error(p, fill->loc, "fill: expected seq, zero, text, rand or a byte value, not '%s'",
				    fill->str.s);
	return 0;
}

/* zram_io_range: the device, and INDEX and count= within its slots. */
static int zram_io_range(struct interp *in, const struct stmt *st, struct zram_io *io)
{
	const struct arg *dev = &st->command.args[0], *count = &st->command.opts[OPT_COUNT];
	const char *name = st->command.cmd->name;
	int64_t index, n = 1;
	unsigned long nr;
	int ret;

	io->zram = zram_get(in->m, dev->str.s);
	if (!io->zram)
		return interp_error(in, dev->loc, "%s: %s: no such zram device", name, dev->str.s);
	nr = zram_nr_pages(io->zram);
	if (!nr)
		return interp_error(in, dev->loc, "%s: %s: not initialised (write its disksize first)", name,
				    dev->str.s);
	if ((ret = eval_arg_range(in, &st->command.args[1], "index", 0, (int64_t)nr - 1, &index)))
		return ret;
	if (count->type != ARG_NONE && (ret = eval_arg_range(in, count, "count", 1, (int64_t)nr - index, &n)))
		return ret;
	io->index = (uint32_t)index;
	io->count = (uint32_t)n;
	return 0;
}

/* zram_io_parse: the range, then fill= (seq by default) and seed= (0 by default). */
static int zram_io_parse(struct interp *in, const struct stmt *st, struct zram_io *io)
{
	const struct arg *fill = &st->command.opts[OPT_FILL], *seed = &st->command.opts[OPT_SEED];
	struct value v = value_int(0);
	int ret;

	if ((ret = zram_io_range(in, st, io)))
		return ret;
	io->fill = PATTERN_SEQ;
	if (fill->type != ARG_NONE)
		page_pattern_parse(fill->str.s, &io->fill, &io->byte);	/* checked when parsed */
	if (seed->type != ARG_NONE && (ret = eval_arg(in, seed, &v)))
		return ret;
	io->seed = (uint64_t)v.v;
	return 0;
}

/* zram_write DEV INDEX [fill=...] [count=N] [seed=N]: 0, or the first page's error (-ENOMEM). */
static int zram_write_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned char page[PAGE_SIZE];
	struct zram_io io;
	int ret = 0;

	if ((ret = zram_io_parse(in, st, &io)))
		return ret;
	for (uint32_t i = 0; i < io.count && !ret; i++) {
		page_pattern_fill(page, io.fill, io.index + i, io.seed, io.byte);
		ret = zram_write_page(io.zram, io.index + i, page);
	}
	*result = value_int(ret);
	return 0;
}

/* zram_read DEV INDEX [fill=...] [count=N] [seed=N]: 0 or the device's error; a byte that differs
 * from the pattern is a located error. */
static int zram_read_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned char page[PAGE_SIZE], want[PAGE_SIZE];
	struct zram_io io;
	int ret = 0;

	if ((ret = zram_io_parse(in, st, &io)))
		return ret;
	for (uint32_t i = 0; i < io.count && !ret; i++) {
		if ((ret = zram_read_page(io.zram, io.index + i, page)))
			break;
		page_pattern_fill(want, io.fill, io.index + i, io.seed, io.byte);
		for (size_t off = 0; off < PAGE_SIZE; off++)
			if (page[off] != want[off])
				return interp_error(in, st->loc, "zram_read: %s: slot %u byte %zu is 0x%02x, expected 0x%02x",
						    st->command.args[0].str.s, io.index + i, off, page[off], want[off]);
	}
	*result = value_int(ret);
	return 0;
}

/* zram_discard DEV INDEX [count=N]: empty the slots, as a discard request does. */
static int zram_discard_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct zram_io io;
	int ret;

	(void)result;
	if ((ret = zram_io_range(in, st, &io)))
		return ret;
	zram_discard(io.zram, io.index, io.count);
	return 0;
}

#define FILL_USAGE "[fill=seq|zero|text|rand|0xNN] [count=N] [seed=N]"

static const struct command zram_cmds[] = {
	{ "zram_write", "pe", zram_io_opts, CMD_RESULT | CMD_MACHINE, fill_check, zram_write_run,
	  "[R =] zram_write /dev/zramN INDEX " FILL_USAGE,
	  "store pages in slots INDEX..: 0, or the error that stopped it (-ENOMEM at mem_limit)" },
	{ "zram_read", "pe", zram_io_opts, CMD_RESULT | CMD_MACHINE, fill_check, zram_read_run,
	  "[R =] zram_read /dev/zramN INDEX " FILL_USAGE,
	  "read slots back and check every byte against the fill they were written with" },
	{ "zram_discard", "pe", zram_count_opts, CMD_MACHINE, NULL, zram_discard_run,
	  "zram_discard /dev/zramN INDEX [count=N]", "empty slots, giving their memory back to the pool" },
};

const struct command_table cmd_zram_table = {
	"zram (drivers/block/zram)", zram_cmds, sizeof(zram_cmds) / sizeof(zram_cmds[0]),
};
