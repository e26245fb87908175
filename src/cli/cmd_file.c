/*
 * Files as commands (fs/open.c, mm/filemap.c, mm/msync.c): `truncate` makes and sizes the machine's
 * own files (in the host directory the machine owns); `file_size` and `file_load` look at a host
 * file's bytes directly, as they are on disk, not through the page cache; a process reads and
 * writes files through the page cache with pread and pwrite, and syncs its shared file mappings
 * with msync. Each returns what the system call returns: a count or 0, or a negative errno.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

#include "cli/cli.h"

static const char *arg_path(const struct stmt *st)
{
	return st->command.args[0].str.s;
}

enum { OPT_SIZE };
static const struct cmd_option size_opts[] = { [OPT_SIZE] = { "size", SPEC_EXPR }, { NULL, 0 } };

/* truncate PATH size=SIZE: the machine's file PATH, made if need be, becomes SIZE bytes long. */
static int truncate_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.opts[OPT_SIZE];
	int64_t max = in->limits.max_ram ? (int64_t)in->limits.max_ram : INT64_MAX, size;
	int ret;

	if (a->type == ARG_NONE)
		return interp_error(in, st->loc, "truncate: size=SIZE is required");
	if ((ret = eval_arg_range(in, a, "size", 0, max, &size)))
		return ret;
	ret = do_truncate(in->m, arg_path(st), size);
	if (ret && !st->target.name)
		return interp_errno(in, st->command.args[0].loc, "truncate", arg_path(st), ret);
	*result = value_int(ret);
	return 0;
}

/* file_size PATH: the host file's size in bytes. */
static int file_size_run(struct interp *in, const struct stmt *st, struct value *result)
{
	long long size = fs_host_size(in->m, arg_path(st));

	if (size < 0)
		return interp_errno(in, st->command.args[0].loc, "file_size", arg_path(st), (int)size);
	*result = value_int(size);
	return 0;
}

/* file_load PATH OFF [SIZE]: SIZE little-endian bytes of the host file at OFF, as on disk. */
static int file_load_run(struct interp *in, const struct stmt *st, struct value *result)
{
	unsigned char bytes[8];
	unsigned int size;
	struct value off;
	uint64_t val = 0;
	long n;
	int ret;

	if ((ret = eval_arg(in, &st->command.args[1], &off)) || (ret = access_size(in, st, 2, &size)))
		return ret;
	if (off.v < 0)
		return interp_error(in, st->command.args[1].loc, "file_load: negative offset %" PRId64, off.v);
	n = fs_host_read(in->m, arg_path(st), off.v, bytes, size);
	if (n < 0)
		return interp_errno(in, st->command.args[0].loc, "file_load", arg_path(st), (int)n);
	if (n < (long)size)
		return interp_error(in, st->command.args[1].loc, "file_load: %s has no %u bytes at offset %" PRId64,
				    arg_path(st), size, off.v);
	for (unsigned int i = size; i-- > 0;)
		val = val << 8 | bytes[i];
	*result = value_int((int64_t)val);
	return 0;
}

enum { OPT_OFF };
static const struct cmd_option off_opts[] = { [OPT_OFF] = { "off", SPEC_EXPR }, { NULL, 0 } };

/* NAME: pread PATH BUF LEN [off=OFF] and pwrite: the file opened, read or written at OFF through
 * the page cache to or from the process's memory, closed. */
static int file_rw_run(struct interp *in, const struct stmt *st, struct value *result, bool write)
{
	const struct arg *off_opt = &st->command.opts[OPT_OFF];
	struct value buf, len, off = value_int(0);
	struct task_struct *tsk = stmt_task(in, st);
	struct file *file;
	long n;
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[1], &buf)) || (ret = eval_arg(in, &st->command.args[2], &len)) ||
	    (off_opt->type != ARG_NONE && (ret = eval_arg(in, off_opt, &off))))
		return ret;
	if (len.v < 0 || off.v < 0) {
		*result = value_int(-EINVAL);
		return 0;
	}
	if (!(file = filp_open(in->m, arg_path(st), &ret))) {
		*result = value_int(ret);
		return 0;
	}
	if (write) {
		n = generic_perform_write(in->m, tsk, file, (unsigned long)buf.v, (unsigned long)len.v, off.v, &in->signal);
	} else {
		n = filemap_read(in->m, tsk, file, (unsigned long)buf.v, (unsigned long)len.v, off.v, &in->signal);
		if (n > 0 && !in->signal)	/* the buffer holds the file's bytes now */
			seq_record_write(tsk->mm, (unsigned long)buf.v, (unsigned long)buf.v + (unsigned long)n, false);
	}
	fput(in->m, file);
	*result = value_int(n);
	return 0;
}

static int pread_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return file_rw_run(in, st, result, false);
}

static int pwrite_run(struct interp *in, const struct stmt *st, struct value *result)
{
	return file_rw_run(in, st, result, true);
}

static const struct {
	const char *name;
	int flag;
} msync_names[] = { { "async", MS_ASYNC }, { "invalidate", MS_INVALIDATE }, { "sync", MS_SYNC } };

static int msync_flag(const char *name)
{
	for (size_t i = 0; i < sizeof(msync_names) / sizeof(msync_names[0]); i++)
		if (!strcmp(msync_names[i].name, name))
			return msync_names[i].flag;
	return -1;
}

static int msync_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	for (int a = 2; a < st->command.nargs; a++)
		for (int i = 0; i < st->command.args[a].list.n; i++)
			if (msync_flag(st->command.args[a].list.items[i]) < 0)
				return parser_error(p, st->command.args[a].list.locs[i],
						    "msync: unknown flag '%s' (sync, async, invalidate)",
						    st->command.args[a].list.items[i]);
	return 0;
}

/* NAME: msync ADDR LEN [sync|async|invalidate joined by commas]: without flags, 0 (MS_ASYNC is 1). */
static int msync_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int flags = 0, ret = task_args(in, st, 2, v, &tsk);

	if (ret)
		return ret;
	for (int a = 2; a < st->command.nargs; a++)
		for (int i = 0; i < st->command.args[a].list.n; i++)
			flags |= msync_flag(st->command.args[a].list.items[i]);
	*result = value_int(sys_msync(tsk, v[0], v[1], flags));
	return 0;
}

static const struct command file_cmds[] = {
	{ "truncate", "p", size_opts, CMD_RESULT, NULL, truncate_run, "[R =] truncate PATH size=SIZE",
	  "make the machine's file PATH (in its own host directory) SIZE bytes long: 0 or -errno" },
	{ "file_size", "p", NULL, CMD_RESULT, NULL, file_size_run, "[N =] file_size PATH",
	  "a host file's size in bytes" },
	{ "file_load", "pee*", NULL, CMD_RESULT, NULL, file_load_run, "[V =] file_load PATH OFF [SIZE]",
	  "SIZE (1, 2, 4, 8) bytes of a host file at OFF, as on disk (not through the page cache)" },
	{ "pread", "pee", off_opts, PROC_FLAGS | CMD_RESULT, needs_process, pread_run,
	  "NAME: [N =] pread PATH BUF LEN [off=OFF]", "read a file through the page cache into memory: bytes or -errno" },
	{ "pwrite", "pee", off_opts, PROC_FLAGS | CMD_RESULT, needs_process, pwrite_run,
	  "NAME: [N =] pwrite PATH BUF LEN [off=OFF]", "write memory to a file through the page cache: bytes or -errno" },
	{ "msync", "eel*", NULL, PROC_FLAGS | CMD_RESULT, msync_check, msync_run,
	  "NAME: [R =] msync ADDR LEN [sync|async|invalidate]",
	  "write a shared file mapping's dirty pages to the file (sync): 0 or -errno" },
};

const struct command_table cmd_file_table = {
	"files and the page cache (fs/open.c, mm/filemap.c, mm/msync.c)", file_cmds,
	sizeof(file_cmds) / sizeof(file_cmds[0]),
};
