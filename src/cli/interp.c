/*
 * The interpreter: runs parsed statements against the machine. A command's handler does the work;
 * this file does what every statement shares: the step budget, the process prefix, booting the
 * default machine on first use, storing results in variables, and --check after every command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/panic.h>
#include <mmlab/seq_file.h>

#include "cli/cli.h"

void interp_init(struct interp *in, FILE *out, FILE *err)
{
	memset(in, 0, sizeof(*in));
	in->file = "<input>";
	in->out = out;
	in->err = err;
}

void interp_release(struct interp *in)
{
	if (in->m)
		machine_destroy(in->m);
	in->m = NULL;
	vars_release(&in->vars);
}

/* Start a diagnostic of the given kind ("error", "note") on in->err; what the script printed so far
 * comes first. */
static void diag_start(struct interp *in, struct loc loc, const char *kind)
{
	fflush(in->out);
	fprintf(in->err, "%s:%d:%d: %s: ", in->file, loc.line, loc.col, kind);
}

static void vdiag(struct interp *in, struct loc loc, const char *kind, const char *fmt, va_list ap)
{
	diag_start(in, loc, kind);
	vfprintf(in->err, fmt, ap);
	fputc('\n', in->err);
}

int interp_error(struct interp *in, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(in, loc, "error", fmt, ap);
	va_end(ap);
	return CLI_ERROR;
}

void interp_note(struct interp *in, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(in, loc, "note", fmt, ap);
	va_end(ap);
}

int interp_errno(struct interp *in, struct loc loc, const char *what, const char *path, int err)
{
	if (what)
		return interp_error(in, loc, "%s: %s: %s", what, path, strerror(-err));
	return interp_error(in, loc, "%s: %s", path, strerror(-err));
}

int interp_boot(struct interp *in, const struct machine_config *cfg, struct loc loc)
{
	char err[256] = "";
	struct machine *m;

	if (in->limits.max_ram && cfg->ram > in->limits.max_ram)
		return interp_error(in, loc, "machine: ram=%llu is over this run's limit of %llu bytes",
				    (unsigned long long)cfg->ram, (unsigned long long)in->limits.max_ram);
	m = machine_boot(cfg, NULL, err, sizeof(err));
	if (!m)
		return interp_error(in, loc, "machine: %s", err);
	if (in->m)
		machine_destroy(in->m);
	in->m = m;
	/* From now on the kernel's messages and trace lines go where the script's output goes. */
	m->log.console = in->out;
	m->trace.out = in->out;
	return 0;
}

struct machine *interp_machine(struct interp *in, struct loc loc)
{
	struct machine_config cfg;

	if (in->m && machine_panicked(in->m)) {
		interp_error(in, loc, "the machine has panicked (%s): boot another with `machine`", in->m->panic_msg);
		return NULL;
	}
	if (in->m)
		return in->m;
	machine_config_default(&cfg);
	return interp_boot(in, &cfg, loc) ? NULL : in->m;
}

/* A command panicked the machine: the script stops there, with the panic's reason. */
static int interp_panic(struct interp *in, struct loc loc)
{
	diag_start(in, loc, "panic");
	fprintf(in->err, "Kernel panic - not syncing: %s: the machine has stopped\n", in->m->panic_msg);
	return CLI_PANIC;
}

int interp_check(struct interp *in, struct loc loc)
{
	struct seq_file report;
	int n;

	seq_init(&report);
	n = machine_check(in->m, &report);
	if (n) {
		diag_start(in, loc, "error");
		fprintf(in->err, "machine_check: %d violation%s after this command\n", n, n == 1 ? "" : "s");
		fwrite(report.buf, 1, report.count, in->err);
	}
	seq_release(&report);
	return n ? CLI_CHECK_FAILED : 0;
}

static int assign(struct interp *in, const struct target *t, struct value val)
{
	struct value index = value_int(0);
	int ret;

	if (t->index && (ret = eval(in, t->index, &index)))
		return ret;
	vars_set(&in->vars, t->name, t->index != NULL, index.v, val);
	return 0;
}

/* A `NAME: command` runs in its task's context: printk and tracepoints name the task as current
 * (comm and pid), as the kernel's do for work done in a process; the name is copied, since the
 * command may end the task. */
static int run_as_task(struct interp *in, const struct stmt *st, struct value *result)
{
	struct machine *m = in->m;
	struct task_struct *tsk = st->proc && m ? find_task(m, st->proc) : NULL;
	const char *comm;
	int pid, ret;

	if (!tsk)
		return st->command.cmd->run(in, st, result);
	comm = m->trace.comm;
	pid = m->trace.pid;
	snprintf(in->current_comm, sizeof(in->current_comm), "%s", tsk->comm);
	m->trace.comm = in->current_comm;
	m->trace.pid = tsk->pid;
	ret = st->command.cmd->run(in, st, result);
	m->trace.comm = comm;
	m->trace.pid = pid;
	return ret;
}

static int exec_command(struct interp *in, const struct stmt *st)
{
	const struct command *cmd = st->command.cmd;
	struct value result = value_int(0);
	int ret;

	if (st->proc && !(cmd->flags & CMD_PROCESS))
		return process_prefix_error(in, st);
	if ((cmd->flags & CMD_MACHINE) && !interp_machine(in, st->loc))
		return CLI_ERROR;
	if ((ret = run_as_task(in, st, &result)))
		return ret;
	if (in->m && machine_panicked(in->m))
		return interp_panic(in, st->loc);
	if (st->target.name && (ret = assign(in, &st->target, result)))
		return ret;
	return in->check && in->m ? interp_check(in, st->loc) : 0;
}

static int exec_repeat(struct interp *in, const struct stmt *st)
{
	struct value count;
	int ret;

	if ((ret = eval(in, st->repeat.count, &count)))
		return ret;
	if (count.v < 0)
		return interp_error(in, st->repeat.count->loc, "repeat: count %lld is negative", (long long)count.v);
	for (int64_t i = 0; i < count.v; i++) {
		if (st->repeat.var)
			vars_set(&in->vars, st->repeat.var, false, 0, value_int(i));
		if ((ret = interp_exec(in, st->repeat.body)))
			return ret;
	}
	return 0;
}

static int exec_stmt(struct interp *in, const struct stmt *st)
{
	struct value val;
	int ret;

	if (in->limits.max_steps && ++in->steps > in->limits.max_steps)
		return interp_error(in, st->loc, "step limit of %llu statements reached",
				    (unsigned long long)in->limits.max_steps);
	switch (st->kind) {
	case STMT_COMMAND:
		return exec_command(in, st);
	case STMT_ASSIGN:
		if (st->proc)
			return interp_error(in, st->proc_loc, "no process named %s", st->proc);
		if ((ret = eval(in, st->value, &val)))
			return ret;
		return assign(in, &st->target, val);
	default:
		return exec_repeat(in, st);
	}
}

int interp_exec(struct interp *in, const struct stmt *list)
{
	int ret;

	for (; list; list = list->next)
		if ((ret = exec_stmt(in, list)))
			return ret;
	return 0;
}

int interp_parse_error(struct interp *in, const struct parser *p)
{
	return interp_error(in, p->err_loc, "%s", p->err);
}

/* Parse every line of buf; the statements, or NULL with the error reported in *status. */
static struct stmt *parse_script(struct interp *in, struct parser *p, const char *buf, size_t len, int *status)
{
	const char *end = buf + len;
	int lineno = 0;

	for (const char *line = buf;; line++) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			eol = end;
		if (parser_feed(p, line, (size_t)(eol - line), ++lineno)) {
			*status = interp_parse_error(in, p);
			return NULL;
		}
		line = eol;
		if (line == end || line + 1 == end)
			break;		/* no text after the last newline */
	}
	if (parser_finish(p)) {
		*status = interp_parse_error(in, p);
		return NULL;
	}
	*status = 0;
	return parser_take(p);
}

int interp_run_script(struct interp *in, const char *file, const char *buf, size_t len)
{
	struct arena arena = { 0 };
	struct parser p;
	struct stmt *list;
	int status;

	in->file = file;
	parser_init(&p, &arena);
	list = parse_script(in, &p, buf, len, &status);
	if (!status)
		status = interp_exec(in, list);
	arena_release(&arena);
	fflush(in->out);
	if (status)
		return status;
	return in->expect_failures ? CLI_EXPECT_FAILED : CLI_OK;
}

/* Read all of f into a malloc'ed buffer; NULL on a read error (errno says why). */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *buf = xmalloc(cap);

	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = xmalloc(cap * 2);

			memcpy(bigger, buf, n);
			free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int interp_run_stream(struct interp *in, const char *file, FILE *f)
{
	size_t len = 0;
	char *buf = read_all(f, &len);
	int status;

	if (!buf) {
		fflush(in->out);
		fprintf(in->err, "mmlab: %s: %s\n", file, strerror(errno));
		return CLI_ERROR;
	}
	status = interp_run_script(in, file, buf, len);
	free(buf);
	return status;
}
