/*
 * Seeded random workloads (workload.h): the line runner, the model of each process's memory, the
 * operations, the configurations, and the shrinker.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>

#include "cli/cli.h"
#include "workload.h"

#define STRESS_RAM		"32M"
#define MAX_PROCS		5
#define MAX_REGIONS		48	/* per process: beyond, operations that split regions wait */
#define PROC_MAX_PAGES		8192	/* 32M mapped per process at most */
#define MAX_WRITE_PAGES		1024
#define MAX_KERNEL_BLOCKS	8
#define CHECKPOINT_STEPS	25	/* verify every so many operations */
#define WORKING_SET		(12U << 20)	/* what each of the first two processes writes first */
#define STRESS_FILES_NR		2
#define FILE_PAGES		2048	/* 8M each */

/* ---- The line runner: each line through the interpreter, with --check ---- */

struct runner {
	struct interp in;
	FILE *out;			/* what the script prints: thrown away */
	FILE *err;			/* diagnostics, kept in errbuf */
	char *errbuf;
	size_t errlen;
	char *script;			/* every line run so far */
	size_t script_len;
	FILE *script_f;
	int lineno;
	bool echo;			/* STRESS_ECHO: each line to stderr before it runs (for a crash) */
};

static void runner_init(struct runner *r)
{
	memset(r, 0, sizeof(*r));
	r->out = fopen("/dev/null", "w");
	r->err = open_memstream(&r->errbuf, &r->errlen);
	r->script_f = open_memstream(&r->script, &r->script_len);
	if (!r->out || !r->err || !r->script_f)
		abort();
	interp_init(&r->in, r->out, r->err);
	r->in.check = true;
	r->echo = getenv("STRESS_ECHO") != NULL;
}

/* runner_release: the script and the diagnostics are handed to the caller (malloc'ed). */
static void runner_release(struct runner *r, char **script, char **diag)
{
	interp_release(&r->in);
	fclose(r->out);
	fclose(r->err);
	fclose(r->script_f);
	*script = r->script;
	*diag = r->errbuf;
}

/* The names of the processes alive, for telling who died of what. */
static size_t task_names(struct machine *m, char names[][TASK_COMM_LEN], size_t max)
{
	struct task_struct *tsk;
	size_t n = 0;

	if (!m || !m->tasks)
		return 0;
	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		if (n < max)
			snprintf(names[n++], TASK_COMM_LEN, "%s", tsk->comm);
	return n;
}

static unsigned long oom_kills(const struct machine *m)
{
	return m ? m->vm_events[OOM_KILL] : 0;
}

/* exited_by_line: the process an `exit NAME` line ends, or NULL. */
static bool exited_by_line(const char *line, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(line, "exit ", 5) && !strncmp(line + 5, name, len) && line[5 + len] == '\0';
}

/* signal_name: how a failure names the signal a process died of (the line's own process). */
static const char *signal_name(int signo)
{
	return signo == SIGSEGV ? "SIGSEGV" : signo == SIGBUS ? "SIGBUS" : signo == SIGKILL ? "SIGKILL" : "a signal";
}

/* run_line: one line; 0 if it ran and every check held. A process that vanished without exiting
 * and without the OOM killer died of a signal: a failure too. */
static int run_line(struct runner *r, const char *line)
{
	char before[MAX_PROCS * 4][TASK_COMM_LEN], after[MAX_PROCS * 4][TASK_COMM_LEN];
	size_t nb = task_names(r->in.m, before, MAX_PROCS * 4), na, vanished = 0;
	int failures = r->in.expect_failures, ret;
	unsigned long ooms = oom_kills(r->in.m);

	r->lineno++;
	fprintf(r->script_f, "%s\n", line);
	fflush(r->script_f);
	if (r->echo)
		fprintf(stderr, "%s\n", line);
	ret = interp_run_script(&r->in, "stress.mm", line, strlen(line));
	if (ret == CLI_ERROR || ret == CLI_CHECK_FAILED || ret == CLI_PANIC || r->in.expect_failures != failures) {
		fprintf(r->err, "line %d failed: %s\n", r->lineno, line);
		return 1;
	}
	na = task_names(r->in.m, after, MAX_PROCS * 4);
	for (size_t i = 0; i < nb; i++) {
		bool alive = false;

		for (size_t j = 0; j < na && !alive; j++)
			alive = !strcmp(before[i], after[j]);
		if (!alive && !exited_by_line(line, before[i]))
			vanished++;
	}
	if (vanished > oom_kills(r->in.m) - ooms) {
		fprintf(r->err, "line %d failed: a process died of %s: %s\n", r->lineno, signal_name(r->in.signal), line);
		return 1;
	}
	return 0;
}

/* run_lines: each line of text (the configuration's setup). */
static int run_lines(struct runner *r, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		if (len && run_line(r, line))
			return 1;
		text += len + (nl != NULL);
	}
	return 0;
}

/* ---- The model: what each page of each process should hold ---- */

/* What a page holds: zeroes, fill=seq bytes, a fill byte, after MADV_FREE its bytes or zeroes, or
 * (a file mapping's page not copied) what the file's page holds. */
enum page_kind { PAGE_ZERO, PAGE_SEQ, PAGE_FILL, PAGE_LAZYFREE, PAGE_FILE };

struct vpage {
	unsigned char kind;
	unsigned char fill;		/* PAGE_FILL */
	unsigned long origin;		/* PAGE_SEQ: the address its first byte was written at */
	unsigned int fpage;		/* in a file mapping: the file's page it maps */
};

/* A file of the machine's, as its pages should read through the page cache. */
struct vfile {
	char path[8];
	size_t npages;
	struct vpage *pages;
};

/* A range of one mapping: at the value of var plus off. */
struct region {
	char var[16];
	unsigned long off;
	size_t npages;
	bool writable;
	bool heap;			/* the brk heap: grows and shrinks at its end */
	int file;			/* the file it maps (index in workload.files), or -1 */
	bool shared;			/* MAP_SHARED: writes reach the file */
	struct vpage *pages;
};

struct proc {
	char name[8];
	bool alive;
	struct region *regions;
	size_t nr;
};

struct workload {
	struct runner r;
	const struct stress_config *cfg;
	uint64_t rng;
	struct proc procs[MAX_PROCS * 4];
	size_t nr_procs;		/* ever created */
	unsigned int next_var;
	struct {
		char var[16];
		unsigned int order;
	} kblocks[MAX_KERNEL_BLOCKS];
	size_t nr_kblocks;
	bool area_off[3];
	unsigned int oom_kills;
	struct vfile files[STRESS_FILES_NR];
};

/* splitmix64: the generator's own random numbers, seeded; the machine has its own. */
static uint64_t rnd(struct workload *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t rnd_below(struct workload *w, size_t n)
{
	return n ? (size_t)(rnd(w) % n) : 0;
}

static bool chance(struct workload *w, unsigned int percent)
{
	return rnd_below(w, 100) < percent;
}

static uint64_t var_value(struct workload *w, const char *name)
{
	struct value v = value_int(0);

	vars_get(&w->r.in.vars, name, false, 0, &v);
	return (uint64_t)v.v;
}

static unsigned long region_addr(struct workload *w, const struct region *rg, size_t page)
{
	return (unsigned long)var_value(w, rg->var) + rg->off + page * PAGE_SIZE;
}

static void new_var(struct workload *w, char *buf, char prefix)
{
	snprintf(buf, 16, "%c%u", prefix, w->next_var++);
}

static size_t proc_pages(const struct proc *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nr; i++)
		n += p->regions[i].npages;
	return n;
}

static struct region *add_region(struct proc *p, const char *var, unsigned long off, size_t npages, bool writable)
{
	struct region *rg;

	p->regions = realloc(p->regions, (p->nr + 1) * sizeof(*p->regions));
	if (!p->regions)
		abort();
	rg = &p->regions[p->nr++];
	memset(rg, 0, sizeof(*rg));
	snprintf(rg->var, sizeof(rg->var), "%s", var);
	rg->off = off;
	rg->npages = npages;
	rg->writable = writable;
	rg->file = -1;
	rg->pages = calloc(npages ? npages : 1, sizeof(*rg->pages));
	if (!rg->pages)
		abort();
	return rg;
}

static void del_region(struct proc *p, size_t i)
{
	free(p->regions[i].pages);
	memmove(&p->regions[i], &p->regions[i + 1], (p->nr - i - 1) * sizeof(*p->regions));
	p->nr--;
}

/* split_region: pages [a, b) of region i become a region of their own; its index. */
static size_t split_region(struct proc *p, size_t i, size_t a, size_t b)
{
	struct region *rg = &p->regions[i];

	if (b < rg->npages) {
		struct region tail = *rg;
		struct region *t = add_region(p, tail.var, tail.off + b * PAGE_SIZE, tail.npages - b, tail.writable);

		t->file = tail.file;
		t->shared = tail.shared;
		memcpy(t->pages, tail.pages + b, (tail.npages - b) * sizeof(*t->pages));
		rg = &p->regions[i];
		rg->npages = b;
	}
	if (a > 0) {
		struct region head = *rg;
		struct region *mid = add_region(p, head.var, head.off + a * PAGE_SIZE, b - a, head.writable);

		mid->file = head.file;
		mid->shared = head.shared;
		memcpy(mid->pages, head.pages + a, (b - a) * sizeof(*mid->pages));
		p->regions[i].npages = a;
		return p->nr - 1;
	}
	return i;
}

static void free_proc(struct proc *p)
{
	while (p->nr)
		del_region(p, p->nr - 1);
	free(p->regions);
	p->regions = NULL;
	p->alive = false;
}

/* ---- Picking ---- */

static struct proc *pick_proc(struct workload *w)
{
	size_t alive = 0, k;

	for (size_t i = 0; i < w->nr_procs; i++)
		alive += w->procs[i].alive;
	if (!alive)
		return NULL;
	k = rnd_below(w, alive);
	for (size_t i = 0; i < w->nr_procs; i++)
		if (w->procs[i].alive && !k--)
			return &w->procs[i];
	return NULL;
}

static size_t nr_alive(const struct workload *w)
{
	size_t n = 0;

	for (size_t i = 0; i < w->nr_procs; i++)
		n += w->procs[i].alive;
	return n;
}

/* pick_region: a region of p (writable when asked, never the heap when not heap_ok), or -1. */
static long pick_region(struct workload *w, struct proc *p, bool writable, bool heap_ok)
{
	size_t n = 0, k;

	for (size_t i = 0; i < p->nr; i++)
		n += (!writable || p->regions[i].writable) && (heap_ok || !p->regions[i].heap) && p->regions[i].npages;
	if (!n)
		return -1;
	k = rnd_below(w, n);
	for (size_t i = 0; i < p->nr; i++)
		if ((!writable || p->regions[i].writable) && (heap_ok || !p->regions[i].heap) && p->regions[i].npages &&
		    !k--)
			return (long)i;
	return -1;
}

/* pick_range: pages [*a, *b) of a region of n pages, at most max long. */
static void pick_range(struct workload *w, size_t n, size_t max, size_t *a, size_t *b)
{
	size_t len = 1 + rnd_below(w, n < max ? n : max);

	*a = rnd_below(w, n - len + 1);
	*b = *a + len;
}

/* After each line: processes the OOM killer took leave the model. */
static void reap(struct workload *w)
{
	for (size_t i = 0; i < w->nr_procs; i++)
		if (w->procs[i].alive && !find_task(w->r.in.m, w->procs[i].name)) {
			free_proc(&w->procs[i]);
			w->oom_kills++;
		}
}

static int line(struct workload *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int line(struct workload *w, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ret = run_line(&w->r, buf);
	reap(w);
	return ret;
}

/* ---- Operations: each returns nonzero when a line failed ---- */

static struct proc *new_proc(struct workload *w)
{
	struct proc *p;

	if (w->nr_procs == sizeof(w->procs) / sizeof(w->procs[0]) || nr_alive(w) >= MAX_PROCS)
		return NULL;
	p = &w->procs[w->nr_procs++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "p%zu", w->nr_procs);
	return p;
}

static int op_spawn(struct workload *w)
{
	struct proc *p = new_proc(w);
	char var[16];

	if (!p)
		return 0;
	if (line(w, "spawn %s", p->name))
		return 1;
	p->alive = find_task(w->r.in.m, p->name) != NULL;
	new_var(w, var, 'h');
	if (!p->alive || line(w, "%s: %s = brk 0", p->name, var))
		return !p->alive ? 0 : 1;
	if (!(var_value(w, var) & ~PAGE_MASK))
		add_region(p, var, 0, 0, true)->heap = true;
	return 0;
}

static int op_fork(struct workload *w)
{
	struct proc *parent = pick_proc(w), *child;
	char var[16];
	size_t pi;

	if (!parent || !(child = new_proc(w)))
		return 0;
	pi = (size_t)(parent - w->procs);
	new_var(w, var, 'f');
	if (line(w, "%s = fork %s %s", var, w->procs[pi].name, child->name))
		return 1;
	parent = &w->procs[pi];
	if (!parent->alive || (int64_t)var_value(w, var) < 0 || !find_task(w->r.in.m, child->name))
		return 0;
	child->alive = true;
	for (size_t i = 0; i < parent->nr; i++) {
		const struct region *rg = &parent->regions[i];
		struct region *c = add_region(child, rg->var, rg->off, rg->npages, rg->writable);

		c->heap = rg->heap;
		c->file = rg->file;
		c->shared = rg->shared;
		memcpy(c->pages, rg->pages, rg->npages * sizeof(*rg->pages));
	}
	return 0;
}

static int op_exit(struct workload *w)
{
	struct proc *p = pick_proc(w);

	if (!p || nr_alive(w) < 2)
		return 0;
	free_proc(p);
	return line(w, "exit %s", p->name);
}

static int op_mmap(struct workload *w)
{
	struct proc *p = pick_proc(w);
	size_t npages = chance(w, 30) ? 1024 + rnd_below(w, 3072) : 1 + rnd_below(w, 256);
	bool writable = !chance(w, 10);
	char var[16];

	if (!p || p->nr >= MAX_REGIONS || proc_pages(p) + npages > PROC_MAX_PAGES)
		return 0;
	new_var(w, var, 'm');
	if (line(w, "%s: %s = mmap %zuK %s private,anon", p->name, var, npages * 4, writable ? "rw" : "r"))
		return 1;
	if (p->alive && (int64_t)var_value(w, var) > 0)
		add_region(p, var, 0, npages, writable);
	return 0;
}

static int op_write(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, true, true) : -1;
	static const char *const fills[] = { "seq", "zero", "0x5a", "0xa5" };
	size_t a, b, f = chance(w, 85) ? 0 : 1 + rnd_below(w, 3);
	struct region *rg;
	unsigned long addr;

	if (ri < 0)
		return 0;
	rg = &p->regions[ri];
	pick_range(w, rg->npages, MAX_WRITE_PAGES, &a, &b);
	addr = region_addr(w, rg, a);
	for (size_t i = a; i < b; i++) {
		/* A shared file mapping writes the file's page; a private one gets its own copy. */
		struct vpage *pg = rg->shared ? &w->files[rg->file].pages[rg->pages[i].fpage] : &rg->pages[i];

		pg->kind = f == 0 ? PAGE_SEQ : f == 1 ? PAGE_ZERO : PAGE_FILL;
		pg->origin = addr + (i - a) * PAGE_SIZE;
		pg->fill = f == 2 ? 0x5a : 0xa5;
	}
	return line(w, "%s: write %s+%lu %zuK fill=%s", p->name, rg->var, rg->off + a * PAGE_SIZE, (b - a) * 4,
		    fills[f]);
}

static uint64_t expected_word(const struct vpage *pg, unsigned long offset)
{
	uint64_t v = 0;

	for (int k = 7; k >= 0; k--) {
		unsigned char byte = pg->kind == PAGE_SEQ ? seq_byte(pg->origin + offset + (unsigned long)k)
				   : pg->kind == PAGE_FILL ? pg->fill : 0;

		v = v << 8 | byte;
	}
	return v;
}

/* op_load: a spot check of one word against the model. */
static int op_load(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, true) : -1;
	unsigned long offset = rnd_below(w, PAGE_SIZE / 8) * 8;
	struct region *rg;
	size_t i;
	uint64_t want;

	if (ri < 0)
		return 0;
	rg = &p->regions[ri];
	i = rnd_below(w, rg->npages);
	if (rg->pages[i].kind == PAGE_LAZYFREE)
		return 0;
	want = expected_word(rg->pages[i].kind == PAGE_FILE ? &w->files[rg->file].pages[rg->pages[i].fpage]
							      : &rg->pages[i], offset);
	if (line(w, "%s: v = load %s+%lu 8", p->name, rg->var, rg->off + i * PAGE_SIZE + offset))
		return 1;
	return p->alive ? line(w, "expect v == %#llx", (unsigned long long)want) : 0;
}

static int op_munmap(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, false) : -1;
	size_t a, b, mid;
	struct region *rg;

	if (ri < 0 || p->nr + 2 > MAX_REGIONS)
		return 0;
	rg = &p->regions[ri];
	if (chance(w, 50)) {
		a = 0;
		b = rg->npages;
	} else {
		pick_range(w, rg->npages, rg->npages, &a, &b);
	}
	if (line(w, "%s: s = munmap %s+%lu %zuK", p->name, rg->var, rg->off + a * PAGE_SIZE, (b - a) * 4))
		return 1;
	if (p->alive && var_value(w, "s") == 0) {
		mid = split_region(p, (size_t)ri, a, b);
		del_region(p, mid);
	}
	return 0;
}

static int op_mprotect(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, false) : -1;
	bool writable = chance(w, 60);
	size_t a, b;
	struct region *rg;

	if (ri < 0 || p->nr + 2 > MAX_REGIONS)
		return 0;
	rg = &p->regions[ri];
	pick_range(w, rg->npages, rg->npages, &a, &b);
	if (line(w, "%s: s = mprotect %s+%lu %zuK %s", p->name, rg->var, rg->off + a * PAGE_SIZE, (b - a) * 4,
		 writable ? "rw" : "r"))
		return 1;
	if (p->alive && var_value(w, "s") == 0) {
		size_t mid = split_region(p, (size_t)ri, a, b);

		p->regions[mid].writable = writable;
	}
	return 0;
}

static int op_mremap(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, false) : -1;
	size_t npages;
	struct region *rg;
	struct vpage *pages;
	char var[16];

	if (ri < 0 || p->regions[ri].file >= 0)
		return 0;
	rg = &p->regions[ri];
	npages = chance(w, 50) ? rg->npages + 1 + rnd_below(w, 64) : 1 + rnd_below(w, rg->npages);
	if (npages > rg->npages && proc_pages(p) + npages - rg->npages > PROC_MAX_PAGES)
		return 0;
	new_var(w, var, 'r');
	if (line(w, "%s: %s = mremap %s+%lu %zuK %zuK maymove", p->name, var, rg->var, rg->off, rg->npages * 4,
		 npages * 4))
		return 1;
	if (!p->alive || (int64_t)var_value(w, var) < 0)
		return 0;
	rg = &p->regions[ri];
	pages = calloc(npages, sizeof(*pages));
	if (!pages)
		abort();
	memcpy(pages, rg->pages, (npages < rg->npages ? npages : rg->npages) * sizeof(*pages));
	free(rg->pages);
	rg->pages = pages;
	rg->npages = npages;
	rg->off = 0;
	snprintf(rg->var, sizeof(rg->var), "%s", var);
	return 0;
}

/* op_madvise: advice on a range: dontneed zeroes it, free leaves each page its bytes or zeroes
 * (whichever reclaim chose), cold, pageout, willneed, with KSM mergeable and unmergeable, and with
 * THP hugepage, nohugepage and collapse change nothing a process can see. */
static int op_madvise(struct workload *w)
{
	static const char *const advice[] = { "dontneed",  "free",	 "cold",       "pageout",
					      "willneed",  "mergeable", "unmergeable", "hugepage",
					      "nohugepage", "collapse" };
	size_t choices[sizeof(advice) / sizeof(advice[0])], nr_advice = 0;
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, false) : -1;
	size_t a, b, adv;
	struct region *rg;

	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (i < 5 || (i < 7 && (w->cfg->features & STRESS_KSM)) || (i >= 7 && (w->cfg->features & STRESS_THP)))
			choices[nr_advice++] = i;
	adv = choices[rnd_below(w, nr_advice)];

	if (ri < 0 || (adv == 1 && p->regions[ri].file >= 0))	/* MADV_FREE is for anonymous memory */
		return 0;
	rg = &p->regions[ri];
	if (adv >= 7) {	/* the THP advice on the whole region, which may hold whole PMD ranges */
		a = 0;
		b = rg->npages;
	} else {
		pick_range(w, rg->npages, MAX_WRITE_PAGES, &a, &b);
	}
	if (line(w, "%s: s = madvise %s+%lu %zuK %s", p->name, rg->var, rg->off + a * PAGE_SIZE, (b - a) * 4,
		 advice[adv]))
		return 1;
	/* dontneed drops a private file mapping's copies: the file's pages show through again. A
	 * failure (-EINVAL at a locked VMA) may come after the VMAs before it were done: anonymous
	 * pages there hold their bytes or zeroes. */
	for (size_t i = a; p->alive && adv < 2 && !rg->shared && i < b; i++) {
		if (var_value(w, "s") != 0)
			rg->pages[i].kind = rg->file >= 0 ? rg->pages[i].kind : PAGE_LAZYFREE;
		else
			rg->pages[i].kind = rg->file >= 0 ? PAGE_FILE : adv == 0 ? PAGE_ZERO : PAGE_LAZYFREE;
	}
	return 0;
}

/* op_mlock: lock or unlock a range: its pages stay in RAM, or may go again. */
static int op_mlock(struct workload *w)
{
	struct proc *p = pick_proc(w);
	long ri = p ? pick_region(w, p, false, false) : -1;
	size_t a, b;
	struct region *rg;

	if (ri < 0)
		return 0;
	rg = &p->regions[ri];
	pick_range(w, rg->npages, MAX_WRITE_PAGES / 4, &a, &b);
	return line(w, "%s: %s %s+%lu %zuK", p->name, chance(w, 50) ? "mlock" : "munlock", rg->var,
		    rg->off + a * PAGE_SIZE, (b - a) * 4);
}

/* op_sbrk: the heap grows or shrinks by whole pages. */
static int op_sbrk(struct workload *w)
{
	struct proc *p = pick_proc(w);
	struct region *rg = NULL;
	long delta;

	for (size_t i = 0; p && i < p->nr; i++)
		if (p->regions[i].heap)
			rg = &p->regions[i];
	if (!rg)
		return 0;
	delta = chance(w, 65) ? 1 + (long)rnd_below(w, 64) : -(long)rnd_below(w, rg->npages + 1);
	if (delta > 0 && proc_pages(p) + (size_t)delta > PROC_MAX_PAGES)
		return 0;
	if (line(w, "%s: b = sbrk %ldK", p->name, delta * 4))
		return 1;
	if (!p->alive || (int64_t)var_value(w, "b") < 0)
		return 0;
	if (delta > 0) {
		rg->pages = realloc(rg->pages, (rg->npages + (size_t)delta) * sizeof(*rg->pages));
		if (!rg->pages)
			abort();
		memset(rg->pages + rg->npages, 0, (size_t)delta * sizeof(*rg->pages));
	}
	rg->npages = (size_t)((long)rg->npages + delta);
	return 0;
}

/* op_mmap_file: part of a file mapped shared (writes reach the file and every sharer) or private
 * (reads see the file until the page is written). */
static int op_mmap_file(struct workload *w)
{
	struct proc *p = pick_proc(w);
	struct vfile *f = &w->files[rnd_below(w, STRESS_FILES_NR)];
	size_t first = rnd_below(w, f->npages), npages = 1 + rnd_below(w, f->npages - first);
	bool shared = chance(w, 60);
	struct region *rg;
	char var[16];

	if (!(w->cfg->features & STRESS_FILES) || !p || p->nr >= MAX_REGIONS || proc_pages(p) + npages > PROC_MAX_PAGES)
		return 0;
	new_var(w, var, 'm');
	if (line(w, "%s: %s = mmap %zuK rw %s file=%s offset=%zuK", p->name, var, npages * 4,
		 shared ? "shared" : "private", f->path, first * 4))
		return 1;
	if (!p->alive || (int64_t)var_value(w, var) < 0)
		return 0;
	rg = add_region(p, var, 0, npages, true);
	rg->file = (int)(f - w->files);
	rg->shared = shared;
	for (size_t i = 0; i < npages; i++)
		rg->pages[i] = (struct vpage){ .kind = PAGE_FILE, .fpage = (unsigned int)(first + i) };
	return 0;
}

/* op_msync: a shared file mapping's dirty pages written to the file now. */
static int op_msync(struct workload *w)
{
	struct proc *p = pick_proc(w);
	size_t a, b;

	for (size_t i = 0; p && i < p->nr; i++) {
		struct region *rg = &p->regions[i];

		if (!rg->shared || !rg->npages)
			continue;
		pick_range(w, rg->npages, rg->npages, &a, &b);
		return line(w, "%s: s = msync %s+%lu %zuK sync", p->name, rg->var, rg->off + a * PAGE_SIZE, (b - a) * 4);
	}
	return 0;
}

static int op_drop_caches(struct workload *w)
{
	if (!(w->cfg->features & STRESS_FILES))
		return 0;
	return line(w, "echo 3 > /proc/sys/vm/drop_caches");
}

static int op_tick(struct workload *w)
{
	return line(w, "tick %zums", 1 + rnd_below(w, 200));
}

static int op_compact(struct workload *w)
{
	if (!(w->cfg->features & STRESS_COMPACT))
		return 0;
	return line(w, "echo 1 > /proc/sys/vm/compact_memory");
}

/* op_kernel_block: a high-order kernel allocation (direct compaction under pressure), or freeing one. */
static int op_kernel_block(struct workload *w)
{
	unsigned int order = 1 + (unsigned int)rnd_below(w, 9);
	char var[16];

	if (!(w->cfg->features & STRESS_COMPACT))
		return 0;
	if (w->nr_kblocks && (w->nr_kblocks == MAX_KERNEL_BLOCKS || chance(w, 50))) {
		size_t i = rnd_below(w, w->nr_kblocks);
		int ret = line(w, "free_pages %s %u", w->kblocks[i].var, w->kblocks[i].order);

		w->kblocks[i] = w->kblocks[--w->nr_kblocks];
		return ret;
	}
	new_var(w, var, 'k');
	if (line(w, "%s = alloc_pages %u gfp=%s|__GFP_NOWARN", var, order,
		 chance(w, 50) ? "GFP_KERNEL" : "GFP_HIGHUSER_MOVABLE"))
		return 1;
	if (var_value(w, var)) {
		snprintf(w->kblocks[w->nr_kblocks].var, sizeof(w->kblocks[0].var), "%s", var);
		w->kblocks[w->nr_kblocks++].order = order;
	}
	return 0;
}

/* op_swapoff: take a swap area away (every page of it comes back), or give one back. */
static int op_swapoff(struct workload *w)
{
	size_t n = 0, i;

	if (!(w->cfg->features & STRESS_SWAPOFF))
		return 0;
	while (w->cfg->areas[n])
		n++;
	i = rnd_below(w, n);
	if (w->area_off[i]) {
		w->area_off[i] = false;
		return line(w, "swapon %s prio=%zu", w->cfg->areas[i], 1 + rnd_below(w, 20));
	}
	if (line(w, "s = swapoff %s", w->cfg->areas[i]))
		return 1;
	w->area_off[i] = var_value(w, "s") == 0;
	return 0;
}

static const struct {
	int (*op)(struct workload *w);
	unsigned int weight;
} ops[] = {
	{ op_write, 40 }, { op_load, 14 }, { op_mmap, 8 }, { op_munmap, 3 }, { op_mprotect, 5 },
	{ op_mremap, 4 }, { op_madvise, 4 }, { op_sbrk, 4 }, { op_fork, 4 }, { op_exit, 1 },
	{ op_spawn, 2 }, { op_mlock, 2 }, { op_mmap_file, 5 }, { op_msync, 2 }, { op_drop_caches, 1 }, { op_tick, 4 }, { op_compact, 2 }, { op_kernel_block, 4 }, { op_swapoff, 2 },
};

static int random_op(struct workload *w)
{
	unsigned int total = 0, k;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		total += ops[i].weight;
	k = (unsigned int)rnd_below(w, total);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (k < ops[i].weight)
			return ops[i].op(w);
		k -= ops[i].weight;
	}
	return 0;
}

/* fill_working_sets: each process first maps and writes WORKING_SET, so that RAM is full from the
 * start and every operation after runs under memory pressure. */
static int fill_working_sets(struct workload *w)
{
	for (size_t i = 0; i < w->nr_procs; i++) {
		struct proc *p = &w->procs[i];
		char var[16];

		new_var(w, var, 'm');
		if (line(w, "%s: %s = mmap %uK rw private,anon", p->name, var, WORKING_SET / 1024))
			return 1;
		if (!p->alive || (int64_t)var_value(w, var) < 0)
			continue;
		add_region(p, var, 0, WORKING_SET / PAGE_SIZE, true);
		for (size_t pg = 0; pg < WORKING_SET / PAGE_SIZE; pg++)
			p->regions[p->nr - 1].pages[pg] = (struct vpage){ .kind = PAGE_SEQ,
									 .origin = region_addr(w, &p->regions[p->nr - 1], pg) };
		if (line(w, "%s: write %s %uK fill=seq", p->name, var, WORKING_SET / 1024))
			return 1;
	}
	return 0;
}

void stress_run(const struct stress_config *cfg, uint64_t seed, unsigned int steps, struct stress_result *res)
{
	struct workload *w = calloc(1, sizeof(*w));
	int failed;

	if (!w)
		abort();
	w->cfg = cfg;
	w->rng = seed;
	for (size_t i = 0; i < STRESS_FILES_NR; i++) {
		snprintf(w->files[i].path, sizeof(w->files[i].path), "/f%zu", i);
		w->files[i].npages = FILE_PAGES;
		w->files[i].pages = calloc(FILE_PAGES, sizeof(*w->files[i].pages));
		if (!w->files[i].pages)
			abort();
	}
	runner_init(&w->r);
	failed = line(w, "machine ram=%s cpus=2 seed=%llu", cfg->ram ? cfg->ram : STRESS_RAM, (unsigned long long)seed) ||
		 run_lines(&w->r, cfg->setup) || op_spawn(w) || op_spawn(w) || fill_working_sets(w);
	for (res->steps = 0; !failed && res->steps < steps; res->steps++) {
		if (!nr_alive(w))
			failed = op_spawn(w);
		failed = failed || random_op(w);
		if (!failed && (res->steps + 1) % CHECKPOINT_STEPS == 0)
			failed = line(w, "verify");
	}
	failed = failed || line(w, "verify");
	res->failed = failed;
	res->oom_kills = w->oom_kills;
	for (size_t i = 0; i < w->nr_procs; i++)
		free_proc(&w->procs[i]);
	for (size_t i = 0; i < STRESS_FILES_NR; i++)
		free(w->files[i].pages);
	runner_release(&w->r, &res->script, &res->diag);
	free(w);
}

void stress_result_release(struct stress_result *res)
{
	free(res->script);
	free(res->diag);
	res->script = res->diag = NULL;
}

/* ---- Replay and shrinking ---- */

int stress_replay(const char *script, char **diag)
{
	struct runner r;
	char *ran;
	int failed = 0;

	runner_init(&r);
	while (*script && !failed) {
		const char *nl = strchr(script, '\n');
		size_t len = nl ? (size_t)(nl - script) : strlen(script);
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, script);
		failed = len && run_line(&r, line);
		script += len + (nl != NULL);
	}
	runner_release(&r, &ran, diag);
	free(ran);
	return failed;
}

/* failure_kind: the words that say what failed, without line numbers: the first diagnostic's text
 * after its location ("machine_check: ...", "verify: ...", "expect failed", "a process died"). */
static size_t failure_kind(const char *diag, const char **start)
{
	const char *p = strstr(diag, "error: ");

	if (strstr(diag, "verify failed"))
		p = strstr(diag, "verify:");
	else if (strstr(diag, "expect failed"))
		p = strstr(diag, "expect failed");
	else if (strstr(diag, "died of"))
		p = strstr(diag, "died of");
	else if (p)
		p += 7;
	*start = p ? p : diag;
	return strcspn(*start, "0123456789\n");
}

static bool fails_alike(const char *script, const char *kind, size_t kind_len)
{
	char *diag = NULL;
	const char *k;
	bool alike = false;

	if (stress_replay(script, &diag)) {
		size_t len = failure_kind(diag ? diag : "", &k);

		alike = len == kind_len && !memcmp(k, kind, len);
	}
	free(diag);
	return alike;
}

/* Lines of a script: pointers into a copy. */
static size_t split_lines(char *text, char ***out)
{
	size_t n = 0, cap = 64;
	char **v = malloc(cap * sizeof(*v));

	for (char *s = strtok(text, "\n"); s && v; s = strtok(NULL, "\n")) {
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		if (v)
			v[n++] = s;
	}
	if (!v)
		abort();
	*out = v;
	return n;
}

static char *join_lines(char **v, const bool *keep, size_t n)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += keep[i] ? strlen(v[i]) + 1 : 0;
	s = p = malloc(len);
	if (!s)
		abort();
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			p += sprintf(p, "%s\n", v[i]);
	*p = '\0';
	return s;
}

/* Try dropping each chunk of size lines (the first line, the machine, always stays). */
static bool shrink_pass(char **v, bool *keep, size_t n, size_t size, const char *kind, size_t kind_len)
{
	bool progress = false;

	for (size_t start = 1; start < n; start += size) {
		bool saved[size];
		size_t end = start + size < n ? start + size : n, removed = 0;
		char *candidate;

		for (size_t i = start; i < end; i++) {
			saved[i - start] = keep[i];
			removed += keep[i];
			keep[i] = false;
		}
		if (!removed)
			continue;
		candidate = join_lines(v, keep, n);
		if (fails_alike(candidate, kind, kind_len)) {
			progress = true;
		} else {
			for (size_t i = start; i < end; i++)
				keep[i] = saved[i - start];
		}
		free(candidate);
	}
	return progress;
}

char *stress_shrink(const char *script, const char *diag)
{
	char *text = strdup(script), **v, *result;
	const char *kind;
	size_t kind_len = failure_kind(diag, &kind), n = split_lines(text, &v);
	bool *keep = malloc(n * sizeof(*keep));
	char *kind_copy = strndup(kind, kind_len);

	if (!keep || !kind_copy)
		abort();
	for (size_t i = 0; i < n; i++)
		keep[i] = true;
	for (size_t size = n / 2 ? n / 2 : 1;; size = size / 2 ? size / 2 : 1) {
		bool progress = shrink_pass(v, keep, n, size, kind_copy, kind_len);

		if (size == 1 && !progress)
			break;
	}
	result = join_lines(v, keep, n);
	free(keep);
	free(v);
	free(text);
	free(kind_copy);
	return result;
}

/* ---- The configurations ---- */

const struct stress_config stress_configs[] = {
	{ "swapfile", "mkswap /swapfile size=160M\nswapon /swapfile\n", { NULL }, 0, NULL },
	{ "zram",
	  "echo \"lz4\" > /sys/block/zram0/comp_algorithm\necho 96M > /sys/block/zram0/disksize\n"
	  "mkswap /dev/zram0\nswapon /dev/zram0 prio=100\n",
	  { NULL }, 0, NULL },
	{ "zswap",
	  "mkswap /swapfile size=160M\nswapon /swapfile\necho \"Y\" > /sys/module/zswap/parameters/enabled\n"
	  "echo 10 > /sys/module/zswap/parameters/max_pool_percent\n",
	  { NULL }, 0, NULL },
	{ "priorities",
	  "mkswap /swapfile size=24M\nmkswap /dev/vdb size=48M\necho 32M > /sys/block/zram0/disksize\n"
	  "mkswap /dev/zram0\nswapon /dev/zram0 prio=100\nswapon /swapfile prio=5\nswapon /dev/vdb prio=5\n",
	  { NULL }, 0, NULL },
	{ "lru_gen",
	  "mkswap /swapfile size=160M\nswapon /swapfile\necho \"y\" > /sys/kernel/mm/lru_gen/enabled\n"
	  "truncate /f0 size=8M\ntruncate /f1 size=8M\n",
	  { NULL }, STRESS_FILES, NULL },
	{ "thp",
	  "mkswap /swapfile size=160M\nswapon /swapfile\n"
	  "echo \"always\" > /sys/kernel/mm/transparent_hugepage/enabled\n",
	  { NULL }, STRESS_COMPACT, NULL },
	{ "khugepaged",
	  "mkswap /swapfile size=160M\nswapon /swapfile\n"
	  "echo 10 > /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs\n"
	  "echo 10 > /sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs\n",
	  { NULL }, STRESS_THP | STRESS_COMPACT, "64M" },
	{ "compaction", "mkswap /swapfile size=160M\nswapon /swapfile\n", { NULL }, STRESS_COMPACT, NULL },
	{ "ksm",
	  "mkswap /swapfile size=160M\nswapon /swapfile\necho 1 > /sys/kernel/mm/ksm/run\n"
	  "echo 1000 > /sys/kernel/mm/ksm/pages_to_scan\necho 10 > /sys/kernel/mm/ksm/sleep_millisecs\n",
	  { NULL }, STRESS_KSM | STRESS_COMPACT, NULL },
	{ "files",
	  "mkswap /swapfile size=160M\nswapon /swapfile\ntruncate /f0 size=8M\ntruncate /f1 size=8M\n", { NULL },
	  STRESS_FILES, NULL },
	{ "swapoff",
	  "mkswap /swapfile size=48M\nmkswap /dev/vdb size=160M\nswapon /swapfile prio=10\nswapon /dev/vdb prio=1\n",
	  { "/swapfile", "/dev/vdb", NULL }, STRESS_SWAPOFF, NULL },
};

const size_t nr_stress_configs = sizeof(stress_configs) / sizeof(stress_configs[0]);

const struct stress_config *stress_config_by_name(const char *name)
{
	for (size_t i = 0; i < nr_stress_configs; i++)
		if (!strcmp(stress_configs[i].name, name))
			return &stress_configs[i];
	return NULL;
}
