/*
 * The kernel allocators on top of the buddy as commands: kmalloc and friends, kmem_cache_*, vmalloc
 * (include/linux/slab.h, include/linux/vmalloc.h); kwrite and kread reach kernel memory through a
 * pointer, past its end when told to, so that a lesson can break what slub_debug guards; slabtop
 * prints the caches as procps `slabtop -o` does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/slab.h>
#include <mmlab/vmalloc.h>

#include "cli/cli.h"

/* The command's FILE:LINE: what SLAB_STORE_USER records and vmallocinfo shows as the caller. */
struct site {
	char buf[256];
};

static void site_enter(struct interp *in, const struct stmt *st, struct site *site)
{
	snprintf(site->buf, sizeof(site->buf), "%s:%d", in->file, st->loc.line);
	in->m->current_site = site->buf;
}

static void site_leave(struct interp *in)
{
	in->m->current_site = NULL;
}

static int arg_size(struct interp *in, const struct stmt *st, int i, const char *what, int64_t max, uint64_t *out)
{
	int64_t v = 0;
	int ret = eval_arg_range(in, &st->command.args[i], what, 0, max, &v);

	*out = (uint64_t)v;
	return ret;
}

/* The allocators a SIZE argument goes to: kmalloc and kzalloc take [gfp=FLAGS] too. */
enum size_allocator { KMALLOC, KZALLOC, VMALLOC, VZALLOC };

static unsigned long size_alloc(struct machine *m, const struct stmt *st, enum size_allocator a, uint64_t size)
{
	switch (a) {
	case KMALLOC:
		return kmalloc(m, size, opt_gfp(st));
	case KZALLOC:
		return kzalloc(m, size, opt_gfp(st));
	case VMALLOC:
		return vmalloc(m, size);
	case VZALLOC:
		break;
	}
	return vzalloc(m, size);
}

/* kmalloc, kzalloc, vmalloc, vzalloc SIZE: the address, or 0, allocated at this command's site. */
static int size_alloc_run(struct interp *in, const struct stmt *st, struct value *result, enum size_allocator a)
{
	struct site site;
	uint64_t size;
	int ret = arg_size(in, st, 0, "size", INT64_MAX, &size);

	if (ret)
		return ret;
	site_enter(in, st, &site);
	*result = value_addr(size_alloc(in->m, st, a, size));
	site_leave(in);
	return 0;
}

static int kmalloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return size_alloc_run(in, st, result, KMALLOC);
}

static int kzalloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return size_alloc_run(in, st, result, KZALLOC);
}

/* arg_addr: an argument that is an address. */
static int arg_addr(struct interp *in, const struct stmt *st, int i, unsigned long *out)
{
	struct value v;
	int ret = eval_arg(in, &st->command.args[i], &v);

	*out = (unsigned long)v.v;
	return ret;
}

static int kfree_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct site site;
	unsigned long p;
	int ret = arg_addr(in, st, 0, &p);

	(void)result;
	if (ret)
		return ret;
	site_enter(in, st, &site);
	kfree(in->m, p);
	site_leave(in);
	return 0;
}

static int ksize_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned long p;
	int ret = arg_addr(in, st, 0, &p);

	if (!ret)
		*result = value_int((int64_t)ksize(in->m, p));
	return ret;
}

static int krealloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct site site;
	unsigned long p;
	uint64_t size;
	int ret;

	if ((ret = arg_addr(in, st, 0, &p)) || (ret = arg_size(in, st, 1, "size", INT64_MAX, &size)))
		return ret;
	site_enter(in, st, &site);
	*result = value_addr(krealloc(in->m, p, size, opt_gfp(st)));
	site_leave(in);
	return 0;
}

/* ---- kmem_cache_* ---- */

enum { OPT_SIZE, OPT_ALIGN, OPT_FLAGS };

static const struct cmd_option create_opts[] = {
	[OPT_SIZE] = { "size", SPEC_EXPR },
	[OPT_ALIGN] = { "align", SPEC_EXPR },
	[OPT_FLAGS] = { "flags", SPEC_WORD },
	{ NULL, 0 },
};

static const struct {
	const char *name;
	slab_flags_t flag;
} slab_flag_names[] = {
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },	    { "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_POISON", SLAB_POISON },			    { "SLAB_RED_ZONE", SLAB_RED_ZONE },
	{ "SLAB_STORE_USER", SLAB_STORE_USER },		    { "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS }, { "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32 },	    { "SLAB_TRACE", SLAB_TRACE },
};

/* parse_slab_flags: NAME|NAME...; the first unknown name's text in *bad. */
static int parse_slab_flags(const char *s, size_t len, slab_flags_t *out, const char **bad, size_t *badlen)
{
	*out = 0;
	while (len) {
		const char *bar = memchr(s, '|', len);
		size_t n = bar ? (size_t)(bar - s) : len, i;
		for (i = 0; i < sizeof(slab_flag_names) / sizeof(slab_flag_names[0]); i++)
			if (strlen(slab_flag_names[i].name) == n && !memcmp(slab_flag_names[i].name, s, n))
				break;
		if (i == sizeof(slab_flag_names) / sizeof(slab_flag_names[0])) {
			*bad = s;
			*badlen = n;
			return -EINVAL;
		}
		*out |= slab_flag_names[i].flag;
		s += n + (bar != NULL);
		len -= n + (bar != NULL);
	}
	return 0;
}

static int create_check(struct parser *p, const struct stmt *st)
{
	const struct arg *flags = &st->command.opts[OPT_FLAGS];
	const char *bad;
	size_t badlen;
	slab_flags_t f;

	if (st->command.opts[OPT_SIZE].type == ARG_NONE)
		return parser_error(p, st->loc, "kmem_cache_create: size= is required");
	if (flags->type != ARG_NONE && parse_slab_flags(flags->str.s, flags->str.len, &f, &bad, &badlen))
		return parser_error(p, flags->loc, "kmem_cache_create: unknown flag '%.*s'", (int)badlen, bad);
	return 0;
}

static int opt_uint(struct interp *in, const struct arg *a, const char *what, int64_t max, int64_t *out)
{
	return a->type == ARG_NONE ? 0 : eval_arg_range(in, a, what, 0, max, out);
}

static const char *arg_name(const struct stmt *st, int i)
{
	return st->command.args[i].text;
}

static int create_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *flags = &st->command.opts[OPT_FLAGS];
	int64_t size = 0, align = 0;
	slab_flags_t f = 0;
	const char *bad;
	size_t badlen;
	int ret;

	(void)result;
	if ((ret = opt_uint(in, &st->command.opts[OPT_SIZE], "kmem_cache_create: size", 1L << 22, &size)) ||
	    (ret = opt_uint(in, &st->command.opts[OPT_ALIGN], "kmem_cache_create: align", PAGE_SIZE, &align)))
		return ret;
	if (flags->type != ARG_NONE)
		parse_slab_flags(flags->str.s, flags->str.len, &f, &bad, &badlen);	/* checked when parsed */
	const char *name = arg_name(st, 0);
	if (kmem_cache_lookup(in->m, name))
		return interp_error(in, st->command.args[0].loc, "kmem_cache_create: a cache named %s exists", name);
	struct site site;
	site_enter(in, st, &site);
	struct kmem_cache *s = kmem_cache_create(in->m, name, (unsigned int)size, (unsigned int)align, f);
	site_leave(in);
	if (!s)
		return interp_error(in, st->loc, "kmem_cache_create: %s: invalid size or align", name);
	return 0;
}

/* arg_cache: the cache a NAME argument names. */
static int arg_cache(struct interp *in, const struct stmt *st, int i, struct kmem_cache **out)
{
	*out = kmem_cache_lookup(in->m, arg_name(st, i));
	if (!*out)
		return interp_error(in, st->command.args[i].loc, "%s: no cache named %s", st->command.cmd->name,
				    arg_name(st, i));
	return 0;
}

/* The kmem_cache_* commands: the cache named first, the work done at this command's site. */
enum cache_op { CACHE_ALLOC, CACHE_FREE, CACHE_SHRINK, CACHE_DESTROY };

static int cache_op(struct interp *in, const struct stmt *st, struct value *result, enum cache_op op)
{
	struct kmem_cache *s;
	struct site site;
	unsigned long p = 0;
	int ret;

	if ((ret = arg_cache(in, st, 0, &s)) || (op == CACHE_FREE && (ret = arg_addr(in, st, 1, &p))))
		return ret;
	site_enter(in, st, &site);
	switch (op) {
	case CACHE_ALLOC:
		*result = value_addr(kmem_cache_alloc(in->m, s, opt_gfp(st)));
		break;
	case CACHE_FREE:
		kmem_cache_free(in->m, s, p);
		break;
	case CACHE_SHRINK:
		kmem_cache_shrink(in->m, s);
		break;
	case CACHE_DESTROY:	/* 0 when destroyed, -EBUSY (objects left, reported) when not */
		*result = value_int(kmem_cache_destroy(in->m, s));
		break;
	}
	site_leave(in);
	return 0;
}

static int cache_alloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return cache_op(in, st, result, CACHE_ALLOC);
}
static int cache_free_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return cache_op(in, st, result, CACHE_FREE);
}
static int cache_shrink_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return cache_op(in, st, result, CACHE_SHRINK);
}
static int cache_destroy_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return cache_op(in, st, result, CACHE_DESTROY);
}

static int slub_debug_run(struct interp *in, const struct stmt *st, struct value *result)
{
	(void)result;
	if (slub_debug_setup(in->m, arg_name(st, 0)))
		return interp_error(in, st->command.args[0].loc, "slub_debug: %s: flags are letters of FZPUT or -",
				    arg_name(st, 0));
	return 0;
}

/* ---- vmalloc ---- */

static int vmalloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return size_alloc_run(in, st, result, VMALLOC);
}

static int vzalloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return size_alloc_run(in, st, result, VZALLOC);
}

static int vfree_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned long p;
	int ret = arg_addr(in, st, 0, &p);

	(void)result;
	if (!ret)
		vfree(in->m, p);
	return ret;
}

/* ---- kwrite, kread ---- */

/* kernel_byte: the host byte behind a kernel address: the direct map, or a vmalloc area. */
static unsigned char *kernel_byte(struct machine *m, unsigned long addr)
{
	struct page *page = is_vmalloc_addr(m, addr) ? vmalloc_to_page(m, addr) : virt_to_page(m, addr & PAGE_MASK);

	return page ? (unsigned char *)kmap_local_page(m, page) + (addr & ~PAGE_MASK) : NULL;
}

/* The range [ADDR + OFFSET, + LEN) of a kwrite or kread, every byte mapped. */
static int kernel_range(struct interp *in, const struct stmt *st, unsigned long *start, uint64_t *len)
{
	unsigned long base;
	int64_t off = 0;
	int ret;

	if ((ret = arg_addr(in, st, 0, &base)) ||
	    (ret = eval_arg_range(in, &st->command.args[1], "offset", -(1L << 30), 1L << 30, &off)) ||
	    (ret = arg_size(in, st, 2, "length", 1 << 20, len)))
		return ret;
	*start = base + (unsigned long)off;
	for (uint64_t i = 0; i < *len; i++)
		if (!kernel_byte(in->m, *start + i))
			return interp_error(in, st->command.args[0].loc, "%s: 0x%lx is not mapped in the kernel",
					    st->command.cmd->name, *start + (unsigned long)i);
	return 0;
}

static int kwrite_check(struct parser *p, const struct stmt *st)
{
	if (st->command.nargs > 4)
		return parser_error(p, st->command.args[4].loc, "kwrite: K OFFSET LEN [BYTE]: too many arguments");
	return 0;
}

static int kwrite_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned long start;
	int64_t byte = 0x41;
	uint64_t len;
	int ret;

	(void)result;
	if ((ret = kernel_range(in, st, &start, &len)))
		return ret;
	if (st->command.nargs > 3 && (ret = eval_arg_range(in, &st->command.args[3], "value", 0, 255, &byte)))
		return ret;
	for (uint64_t i = 0; i < len; i++)
		*kernel_byte(in->m, start + i) = (unsigned char)byte;
	return 0;
}

/* kread: a hex dump, 16 bytes a row, as print_hex_dump with addresses. */
static int kread_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned long start;
	uint64_t len;
	int ret;

	(void)result;
	if ((ret = kernel_range(in, st, &start, &len)))
		return ret;
	for (uint64_t row = 0; row < len; row += 16) {
		fprintf(in->out, "%lx:", start + (unsigned long)row);
		for (uint64_t i = row; i < len && i < row + 16; i++)
			fprintf(in->out, " %02x", *kernel_byte(in->m, start + i));
		fputc('\n', in->out);
	}
	return 0;
}

/* ---- slabtop -o (procps) ---- */

struct slabtop_row {
	const char *name;
	struct slabinfo si;
	unsigned int objsize;
};

static unsigned long cache_kb(const struct slabtop_row *r)
{
	return r->si.num_slabs * (PAGE_SIZE << r->si.cache_order) / 1024;
}

/* The default sort is by number of objects, as slabtop's; sort=c sorts by cache size. */
static int by_objs(const void *a, const void *b)
{
	const struct slabtop_row *x = a, *y = b;

	return x->si.num_objs != y->si.num_objs ? (x->si.num_objs < y->si.num_objs) - (x->si.num_objs > y->si.num_objs)
						: strcmp(x->name, y->name);
}

static int by_size(const void *a, const void *b)
{
	const struct slabtop_row *x = a, *y = b;

	return cache_kb(x) != cache_kb(y) ? (cache_kb(x) < cache_kb(y)) - (cache_kb(x) > cache_kb(y)) : by_objs(a, b);
}

static void slabtop_summary(FILE *out, const struct slabtop_row *rows, int n)
{
	unsigned long aobj = 0, tobj = 0, aslab = 0, tslab = 0, acache = 0;
	double asize = 0, tsize = 0, minobj = 0, maxobj = 0;

	for (int i = 0; i < n; i++) {
		const struct slabtop_row *r = &rows[i];
		aobj += r->si.active_objs;
		tobj += r->si.num_objs;
		aslab += r->si.active_slabs;
		tslab += r->si.num_slabs;
		acache += r->si.active_objs != 0;
		asize += (double)r->si.active_objs * r->objsize / 1024;
		tsize += (double)r->si.num_objs * r->objsize / 1024;
		if (!i || r->objsize < minobj * 1024)
			minobj = r->objsize / 1024.0;
		if (r->objsize > maxobj * 1024)
			maxobj = r->objsize / 1024.0;
	}
	fprintf(out, " %-35s: %lu / %lu (%.1f%%)\n", "Active / Total Objects (% used)", aobj, tobj,
		tobj ? 100.0 * aobj / tobj : 0);
	fprintf(out, " %-35s: %lu / %lu (%.1f%%)\n", "Active / Total Slabs (% used)", aslab, tslab,
		tslab ? 100.0 * aslab / tslab : 0);
	fprintf(out, " %-35s: %lu / %d (%.1f%%)\n", "Active / Total Caches (% used)", acache, n,
		n ? 100.0 * acache / n : 0);
	fprintf(out, " %-35s: %.2fK / %.2fK (%.1f%%)\n", "Active / Total Size (% used)", asize, tsize,
		tsize ? 100.0 * asize / tsize : 0);
	fprintf(out, " %-35s: %.2fK / %.2fK / %.2fK\n\n", "Minimum / Average / Maximum Object", minobj,
		tobj ? tsize / tobj : 0, maxobj);
}

static const struct cmd_option slabtop_opts[] = {
	{ "sort", SPEC_WORD },
	{ NULL, 0 },
};

static int slabtop_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.opts[0];

	if (a->type != ARG_NONE && (a->str.len != 1 || !strchr("oc", a->str.s[0])))
		return parser_error(p, a->loc, "slabtop: sort=o (objects) or sort=c (cache size)");
	return 0;
}

static int slabtop_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct kmem_cache *s = NULL;
	int n = 0;

	(void)result;
	while ((s = kmem_cache_next(in->m, s)))
		n++;
	struct slabtop_row *rows = xcalloc((size_t)n + 1, sizeof(*rows));
	n = 0;
	while ((s = kmem_cache_next(in->m, s))) {
		rows[n].name = kmem_cache_name(s);
		rows[n].objsize = kmem_cache_size(s);
		get_slabinfo(s, &rows[n++].si);
	}
	bool size = st->command.opts[0].type != ARG_NONE && st->command.opts[0].str.s[0] == 'c';
	qsort(rows, (size_t)n, sizeof(*rows), size ? by_size : by_objs);
	slabtop_summary(in->out, rows, n);
	fprintf(in->out, "%6s %6s %4s %8s %6s %8s %10s %-23s\n", "OBJS", "ACTIVE", "USE", "OBJ SIZE", "SLABS",
		"OBJ/SLAB", "CACHE SIZE", "NAME");
	for (int i = 0; i < n; i++) {
		const struct slabtop_row *r = &rows[i];
		fprintf(in->out, "%6lu %6lu %3lu%% %7.2fK %6lu %8u %9luK %-23s\n", r->si.num_objs, r->si.active_objs,
			r->si.num_objs ? r->si.active_objs * 100 / r->si.num_objs : 0, r->objsize / 1024.0,
			r->si.num_slabs, r->si.objects_per_slab, cache_kb(r), r->name);
	}
	free(rows);
	return 0;
}

#define RES (CMD_RESULT | CMD_MACHINE)

static const struct command slab_cmds[] = {
	{ "kmalloc", "e", gfp_opts, RES, NULL, kmalloc_run, "[K =] kmalloc SIZE [gfp=FLAGS]",
	  "SIZE bytes from the kmalloc caches (above 8K: pages): the address, or 0" },
	{ "kzalloc", "e", gfp_opts, RES, NULL, kzalloc_run, "[K =] kzalloc SIZE [gfp=FLAGS]", "kmalloc, zeroed" },
	{ "kfree", "e", NULL, CMD_MACHINE, NULL, kfree_run, "kfree K", "free what kmalloc returned" },
	{ "ksize", "e", NULL, RES, NULL, ksize_run, "[N =] ksize K", "the bytes usable in a kmalloc'ed object" },
	{ "krealloc", "ee", gfp_opts, RES, NULL, krealloc_run, "[K =] krealloc K SIZE [gfp=FLAGS]",
	  "resize a kmalloc'ed object: in place if it fits, else moved" },
	{ "kmem_cache_create", "w", create_opts, CMD_MACHINE, create_check, create_run,
	  "kmem_cache_create NAME size=N [align=N] [flags=SLAB_X|SLAB_Y]", "a slab cache of N-byte objects" },
	{ "kmem_cache_alloc", "w", gfp_opts, RES, NULL, cache_alloc_run, "[O =] kmem_cache_alloc NAME [gfp=FLAGS]",
	  "an object of the cache: its address, or 0" },
	{ "kmem_cache_free", "we", NULL, CMD_MACHINE, NULL, cache_free_run, "kmem_cache_free NAME O",
	  "give an object back to its cache" },
	{ "kmem_cache_shrink", "w", NULL, CMD_MACHINE, NULL, cache_shrink_run, "kmem_cache_shrink NAME",
	  "give the cache's free slabs back to the buddy allocator" },
	{ "kmem_cache_destroy", "w", NULL, RES, NULL, cache_destroy_run, "[R =] kmem_cache_destroy NAME",
	  "destroy a cache: 0, or -EBUSY with its live objects reported" },
	{ "slub_debug", "w", NULL, CMD_MACHINE, NULL, slub_debug_run, "slub_debug FZPU[,CACHE...]",
	  "slub_debug= for caches created later and for every empty cache it names" },
	{ "vmalloc", "e", NULL, RES, NULL, vmalloc_run, "[V =] vmalloc SIZE",
	  "SIZE bytes of virtually contiguous memory: the address, or 0" },
	{ "vzalloc", "e", NULL, RES, NULL, vzalloc_run, "[V =] vzalloc SIZE", "vmalloc, zeroed" },
	{ "vfree", "e", NULL, CMD_MACHINE, NULL, vfree_run, "vfree V", "free what vmalloc returned" },
	{ "kwrite", "eeee*", NULL, CMD_MACHINE, kwrite_check, kwrite_run, "kwrite K OFFSET LEN [BYTE]",
	  "write LEN bytes (0x41) at K+OFFSET in kernel memory, past the object if told" },
	{ "kread", "eee", NULL, CMD_MACHINE, NULL, kread_run, "kread K OFFSET LEN",
	  "hex dump of LEN bytes of kernel memory at K+OFFSET" },
	{ "slabtop", "", slabtop_opts, CMD_MACHINE, slabtop_check, slabtop_run, "slabtop [sort=o|c]",
	  "the slab caches, as slabtop -o prints them" },
};

const struct command_table cmd_slab_table = {
	"the slab allocator and vmalloc (mm/slub.c, mm/vmalloc.c)", slab_cmds, sizeof(slab_cmds) / sizeof(slab_cmds[0]),
};
