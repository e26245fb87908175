/*
 * top, as procps-ng 4.0.2's `top -b -n 1` prints it (src/top/top.c): the summary from /proc/uptime,
 * /proc/loadavg, /proc/stat and /proc/meminfo, then a line per /proc/PID directory from its stat,
 * statm and status, processes and kernel threads alike. One batch iteration: the CPU shares are
 * since boot, and the tasks' %CPU is 0.0, as they have no CPU time; top sorts by %CPU, and equal
 * ones keep the order /proc lists them in, by pid.
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/procfs.h>

#include "cli/procps.h"

/* A task's line, from its /proc/PID files (procps's library/pids.c). */
struct top_task {
	int pid, priority, nice;
	char state;
	char comm[TASK_COMM_LEN];
	unsigned long uid;
	unsigned long long vsize_kb, rss_kb, shared_kb, ticks;	/* statm's size, resident, shared; utime + stime */
};

/* Options: batch mode and one iteration are what the command always does; -n takes 1 alone. */
enum { TOP_BATCH = 1, TOP_ITERATIONS };

static const struct procps_option top_opts[] = {
	{ 'b', "batch", TOP_BATCH, false },
	{ 'n', "iterations", TOP_ITERATIONS, true },
	{ 0, NULL, 0, false },
};

static const char *top_option(void *ctx, int id, const char *arg)
{
	(void)ctx;
	if (id == PROCPS_OPERAND)
		return "unknown option";
	return id == TOP_ITERATIONS && strcmp(arg, "1") ? "one iteration only: the machine's clock moves when the script says"
							 : NULL;
}

int top_check(struct parser *p, const struct stmt *st)
{
	return procps_options(p, st, top_opts, top_option, NULL);
}

/* top_read: the file /proc/PID/NAME into s; 0, or CLI_ERROR (reported). */
static int top_read(struct interp *in, const struct stmt *st, int pid, const char *name, struct seq_file *s)
{
	char path[64];

	seq_reset(s);
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return procfs_load(in, st->loc, "top", path, s);
}

/* stat2proc: the fields of /proc/PID/stat top shows: "pid (comm) state ppid ..." - the comm may hold
 * spaces and parentheses, so it ends at the last ')'. */
static void stat2proc(const struct seq_file *s, struct top_task *t)
{
	const char *open = strchr(s->buf, '('), *close = strrchr(s->buf, ')');
	unsigned long long f[16];
	size_t len = (size_t)(close - open - 1);
	char *p = (char *)close + 3;

	memcpy(t->comm, open + 1, len < sizeof(t->comm) ? len : sizeof(t->comm) - 1);
	t->state = close[2];
	/* after the state: ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
	 * cutime cstime priority nice */
	for (int i = 0; i < 16; i++)
		f[i] = strtoull(p, &p, 10);
	t->ticks = f[10] + f[11];
	t->priority = (int)(long long)f[14];
	t->nice = (int)(long long)f[15];
}

/* top_task_read: a task's line from its stat, statm and status; 0, or CLI_ERROR (reported). */
static int top_task_read(struct interp *in, const struct stmt *st, int pid, struct seq_file *s, struct top_task *t)
{
	unsigned long long statm[3];
	char *p;
	int ret;

	memset(t, 0, sizeof(*t));
	t->pid = pid;
	if ((ret = top_read(in, st, pid, "stat", s)))
		return ret;
	stat2proc(s, t);
	if ((ret = top_read(in, st, pid, "statm", s)))
		return ret;
	p = s->buf;
	for (int i = 0; i < 3; i++)	/* size resident shared, in pages */
		statm[i] = strtoull(p, &p, 10);
	t->vsize_kb = statm[0] * (PAGE_SIZE / 1024);
	t->rss_kb = statm[1] * (PAGE_SIZE / 1024);
	t->shared_kb = statm[2] * (PAGE_SIZE / 1024);
	if ((ret = top_read(in, st, pid, "status", s)))
		return ret;
	t->uid = proc_count(s, "Uid");	/* the real uid: the machine has one id per task */
	return 0;
}

/* The uptime line (procps_uptime_sprint): the time of day, the time since boot, the users and the
 * load averages. The machine has no wall clock: its time of day is btime (0, the epoch) plus the
 * uptime, in UTC; no one logs in. */
static void top_uptime(FILE *out, const struct seq_file *stat, const struct seq_file *uptime,
		       const struct seq_file *loadavg)
{
	unsigned long secs = strtoul(uptime->buf, NULL, 10), now = proc_count(stat, "btime") + secs;
	unsigned long days = secs / 86400, hours = secs / 3600 % 24, minutes = secs / 60 % 60;
	double avg[3];
	char *p = loadavg->buf;

	for (int i = 0; i < 3; i++)
		avg[i] = strtod(p, &p);
	fprintf(out, "top - %02lu:%02lu:%02lu up ", now / 3600 % 24, now / 60 % 60, now % 60);
	if (days)
		fprintf(out, "%lu %s, ", days, days > 1 ? "days" : "day");
	if (hours)
		fprintf(out, "%2lu:%02lu, ", hours, minutes);
	else
		fprintf(out, "%lu min, ", minutes);
	fprintf(out, "%2d %s,  load average: %.2f, %.2f, %.2f\n", 0, "user", avg[0], avg[1], avg[2]);
}

/* The CPU line: each state's share of all the ticks of /proc/stat's cpu line; with none yet, all
 * idle. */
static void top_cpus(FILE *out, const struct seq_file *stat)
{
	static const int order[] = { 0, 2, 1, 3, 4, 5, 6, 7 };	/* us sy ni id wa hi si st */
	static const char *const names[] = { "us", "sy", "ni", "id", "wa", "hi", "si", "st" };
	unsigned long long t[10], total = 0;

	proc_line(stat, "cpu", t, 10);
	for (int i = 0; i < 8; i++)
		total += t[i];
	fputs("%Cpu(s):", out);
	for (int i = 0; i < 8; i++) {
		double pct = total ? (double)t[order[i]] * 100 / (double)total : i == 3 ? 100.0 : 0.0;

		fprintf(out, "%#5.1f %s%s", pct, names[i], i < 7 ? "," : " \n");
	}
}

/* The memory lines, in MiB. */
static void top_memory(FILE *out, const struct procps_meminfo *mi)
{
	fprintf(out, "MiB Mem :%9.1f total,%9.1f free,%9.1f used,%9.1f buff/cache     \n", mi->total / 1024.0,
		mi->free / 1024.0, mi->used / 1024.0, (mi->buffers + mi->cached) / 1024.0);
	fprintf(out, "MiB Swap:%9.1f total,%9.1f free,%9.1f used.%9.1f avail Mem \n\n", mi->swap_total / 1024.0,
		mi->swap_free / 1024.0, mi->swap_used / 1024.0, mi->available / 1024.0);
}

/* scale_mem: KiB in width if they fit, else MiB, GiB, ... with one decimal, as top's task area
 * scales them. */
static const char *scale_mem(char *buf, size_t size, unsigned long long kb, int width)
{
	static const char sfx[] = "kmgtpe";
	float num = (float)kb;

	if (snprintf(buf, size, "%.0f", num) <= width)
		return buf;
	for (int i = 1; i < 5; i++) {
		num /= 1024.0f;
		if (snprintf(buf, size, "%.1f%c", num, sfx[i]) <= width)
			return buf;
	}
	return "?";
}

/* The user column: root, or the uid as a number (the machine has no password file). */
static const char *top_user(char *buf, size_t size, unsigned long uid)
{
	if (!uid)
		return "root";
	snprintf(buf, size, "%lu", uid);
	return buf;
}

static void top_line(FILE *out, const struct top_task *t, unsigned long mem_total)
{
	char virt[32], res[32], shr[32], user[24], time[32];
	unsigned long long cs = t->ticks;	/* hundredths of a second at USER_HZ */

	snprintf(time, sizeof(time), "%llu:%02llu.%02llu", cs / 6000, cs / 100 % 60, cs % 100);
	fprintf(out, "%5d %-8.8s %3d %3d %7s %6s %6s %c %5.1f %5.1f %9s %s\n", t->pid,
		top_user(user, sizeof(user), t->uid), t->priority, t->nice,
		scale_mem(virt, sizeof(virt), t->vsize_kb, 7), scale_mem(res, sizeof(res), t->rss_kb, 6),
		scale_mem(shr, sizeof(shr), t->shared_kb, 6), t->state, 0.0,
		mem_total ? (double)((float)t->rss_kb * 100 / (float)mem_total) : 0.0, time, t->comm);
}

/* The summary files, rendered once. */
struct top_files {
	struct seq_file meminfo, stat, uptime, loadavg, task;
};

static int top_files_read(struct interp *in, const struct stmt *st, struct top_files *f)
{
	int ret;

	seq_init(&f->meminfo);
	seq_init(&f->stat);
	seq_init(&f->uptime);
	seq_init(&f->loadavg);
	seq_init(&f->task);
	if ((ret = procfs_load(in, st->loc, "top", "/proc/meminfo", &f->meminfo)) ||
	    (ret = procfs_load(in, st->loc, "top", "/proc/stat", &f->stat)) ||
	    (ret = procfs_load(in, st->loc, "top", "/proc/uptime", &f->uptime)))
		return ret;
	return procfs_load(in, st->loc, "top", "/proc/loadavg", &f->loadavg);
}

static void top_files_release(struct top_files *f)
{
	seq_release(&f->meminfo);
	seq_release(&f->stat);
	seq_release(&f->uptime);
	seq_release(&f->loadavg);
	seq_release(&f->task);
}

/* top_tasks: every /proc/PID in readdir's order (next_tgid); n their number. NULL on an error
 * (reported). */
static struct top_task *top_tasks(struct interp *in, const struct stmt *st, struct seq_file *s, int *n)
{
	struct top_task *tasks = NULL;
	int cap = 0;

	*n = 0;
	for (int pid = next_tgid(in->m, 0); pid; pid = next_tgid(in->m, pid)) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			struct top_task *bigger = xcalloc((size_t)cap, sizeof(*tasks));
			if (tasks)
				memcpy(bigger, tasks, (size_t)*n * sizeof(*tasks));
			free(tasks);
			tasks = bigger;
		}
		if (top_task_read(in, st, pid, s, &tasks[*n])) {
			free(tasks);
			return NULL;
		}
		(*n)++;
	}
	return tasks ? tasks : xcalloc(1, sizeof(*tasks));
}

int top_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct procps_meminfo mi;
	struct top_files f;
	struct top_task *tasks = NULL;
	int ret, n = 0, running = 0, sleeping = 0, stopped = 0, zombie = 0;

	(void)result;
	if (!(ret = top_files_read(in, st, &f)) && !(tasks = top_tasks(in, st, &f.task, &n)))
		ret = CLI_ERROR;
	if (!ret) {
		for (int i = 0; i < n; i++) {
			running += tasks[i].state == 'R';
			sleeping += tasks[i].state == 'S' || tasks[i].state == 'D' || tasks[i].state == 'I';
			stopped += tasks[i].state == 'T' || tasks[i].state == 't';
			zombie += tasks[i].state == 'Z';
		}
		procps_meminfo(&f.meminfo, &mi);
		top_uptime(in->out, &f.stat, &f.uptime, &f.loadavg);
		fprintf(in->out, "Tasks:%4d total,%4d running,%4d sleeping,%4d stopped,%4d zombie\n", n, running,
			sleeping, stopped, zombie);
		top_cpus(in->out, &f.stat);
		top_memory(in->out, &mi);
		fputs("  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n", in->out);
		for (int i = 0; i < n; i++)
			top_line(in->out, &tasks[i], mi.total);
	}
	free(tasks);
	top_files_release(&f);
	return ret;
}
