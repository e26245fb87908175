/* Unit tests of the procps commands (src/cli/cmd_procps.c): each column they print is checked
 * against the /proc fields it must come from, read here from the same machine after the command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include "cli/cli.h"

/* A machine driven by scripts, each command's output captured on its own. */
struct session {
	struct interp in;
	char *out, *err;
	size_t outlen, errlen;
	FILE *errf;
};

static void session_start(struct session *s, const char *setup)
{
	s->errf = open_memstream(&s->err, &s->errlen);
	interp_init(&s->in, s->errf, s->errf);
	s->in.check = true;
	assert_int_equal(interp_run_script(&s->in, "setup.mm", setup, strlen(setup)), CLI_OK);
}

/* session_run: the output of one line; the caller frees it. */
static char *session_run(struct session *s, const char *line)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	s->in.out = f;
	int status = interp_run_script(&s->in, "t.mm", line, strlen(line));
	fclose(f);
	s->in.out = s->errf;
	if (status != CLI_OK)
		fail_msg("%s: status %d\n%s", line, status, out);
	return out;
}

static void session_end(struct session *s)
{
	interp_release(&s->in);
	fclose(s->errf);
	free(s->err);
}

/* proc_kb: a "KEY: N kB" field of a /proc file of the session's machine, in kB. */
static unsigned long proc_kb(struct session *s, const char *path, const char *key)
{
	struct seq_file f;
	unsigned long v = 0;
	char pat[80];

	seq_init(&f);
	assert_int_equal(procfs_read(s->in.m, path, &f), 0);
	snprintf(pat, sizeof(pat), "\n%s:", key);
	const char *at = strstr(f.buf, pat);
	if (!at && !strncmp(f.buf, pat + 1, strlen(pat + 1)))
		at = f.buf - 1;
	assert_non_null(at);
	v = strtoul(at + strlen(pat), NULL, 10);
	seq_release(&f);
	return v;
}

/* row: the numbers after a row's name ("Mem:") in a command's output; how many there are. */
static int row(const char *out, const char *name, long *v, int max)
{
	const char *p = strstr(out, name);
	int n = 0;

	assert_non_null(p);
	p += strlen(name);
	while (n < max && *p != '\n') {
		char *end;
		v[n] = strtol(p, &end, 10);
		if (end == p)
			break;
		n++;
		p = end;
	}
	return n;
}

static void test_free_columns(void **state)
{
	struct session s;
	long mem[8], swap[4], total[4];

	(void)state;
	session_start(&s, "machine ram=64M\nmkswap /swapfile size=32M\nswapon /swapfile\ntruncate /data size=4M\n"
			  "spawn a\na: p = mmap 60M rw private,anon\na: write p 60M fill=seq\n"
			  "a: f = mmap 4M r private file=/data\na: read f 4M\n");
	char *out = session_run(&s, "free -w -t\n");
	unsigned long memtotal = proc_kb(&s, "/proc/meminfo", "MemTotal"), avail = proc_kb(&s, "/proc/meminfo", "MemAvailable");
	unsigned long swaptotal = proc_kb(&s, "/proc/meminfo", "SwapTotal"), swapfree = proc_kb(&s, "/proc/meminfo", "SwapFree");
	unsigned long memfree = proc_kb(&s, "/proc/meminfo", "MemFree");

	assert_int_equal(row(out, "Mem:", mem, 8), 7);
	assert_int_equal(mem[0], memtotal);
	assert_int_equal(mem[1], memtotal - avail);
	assert_int_equal(mem[2], memfree);
	assert_int_equal(mem[3], proc_kb(&s, "/proc/meminfo", "Shmem"));
	assert_int_equal(mem[4], proc_kb(&s, "/proc/meminfo", "Buffers"));
	assert_int_equal(mem[5], proc_kb(&s, "/proc/meminfo", "Cached") + proc_kb(&s, "/proc/meminfo", "SReclaimable"));
	assert_int_equal(mem[6], avail);
	assert_int_equal(row(out, "Swap:", swap, 4), 3);
	assert_true(swaptotal > swapfree);	/* the workload swapped */
	assert_int_equal(swap[0], swaptotal);
	assert_int_equal(swap[1], swaptotal - swapfree);
	assert_int_equal(swap[2], swapfree);
	assert_int_equal(row(out, "Total:", total, 4), 3);
	assert_int_equal(total[0], memtotal + swaptotal);
	assert_int_equal(total[1], memtotal - avail + swaptotal - swapfree);
	assert_int_equal(total[2], memfree + swapfree);
	assert_true(mem[5] >= 4096);	/* the file's pages */
	free(out);
	session_end(&s);
}

/* free -m divides bytes by 1024 * 1024 and truncates; -b multiplies kB by 1024. */
static void test_free_units(void **state)
{
	struct session s;
	long m[8], b[8];

	(void)state;
	session_start(&s, "machine ram=96M\n");
	char *mb = session_run(&s, "free -m\n"), *bytes = session_run(&s, "free -b\n");
	unsigned long memtotal = proc_kb(&s, "/proc/meminfo", "MemTotal");

	assert_int_equal(row(mb, "Mem:", m, 8), 6);
	assert_int_equal(row(bytes, "Mem:", b, 8), 6);
	assert_int_equal(m[0], memtotal / 1024);
	assert_int_equal(b[0], memtotal * 1024);
	assert_int_equal(b[2], proc_kb(&s, "/proc/meminfo", "MemFree") * 1024);
	free(mb);
	free(bytes);
	session_end(&s);
}

/* proc_num: a "KEY N" field of a /proc file of the session's machine. */
static unsigned long long proc_num(struct session *s, const char *path, const char *key)
{
	struct seq_file f;
	char pat[80];
	unsigned long long v;

	seq_init(&f);
	assert_int_equal(procfs_read(s->in.m, path, &f), 0);
	snprintf(pat, sizeof(pat), "\n%s ", key);
	const char *at = strstr(f.buf, pat);
	assert_non_null(at);
	v = strtoull(at + strlen(pat), NULL, 10);
	seq_release(&f);
	return v;
}

/* vmstat's columns: r from procs_running, memory from meminfo, rates per CPU tick since boot. */
static void test_vmstat_columns(void **state)
{
	struct session s;
	long v[20];

	(void)state;
	session_start(&s, "machine ram=64M cpus=2\nmkswap /swapfile size=64M\nswapon /swapfile\nspawn a\n"
			  "a: p = mmap 100M rw private,anon\na: write p 80M fill=seq\ntick 2s\n");
	char *out = session_run(&s, "vmstat\n");
	char *line = strrchr(out, '\n');
	while (line > out && line[-1] != '\n')
		line--;
	unsigned long long ticks = 2 * 2 * 100;	/* two CPUs idle two seconds at USER_HZ */

	assert_int_equal(row(line - 1, "\n", v, 20), 17);
	assert_int_equal(v[0], proc_num(&s, "/proc/stat", "procs_running"));
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], proc_kb(&s, "/proc/meminfo", "SwapTotal") - proc_kb(&s, "/proc/meminfo", "SwapFree"));
	assert_int_equal(v[3], proc_kb(&s, "/proc/meminfo", "MemFree"));
	assert_int_equal(v[4], proc_kb(&s, "/proc/meminfo", "Buffers"));
	assert_int_equal(v[5], proc_kb(&s, "/proc/meminfo", "Cached") + proc_kb(&s, "/proc/meminfo", "SReclaimable"));
	assert_true(proc_num(&s, "/proc/vmstat", "pswpout") > 0);
	assert_int_equal(v[7], (proc_num(&s, "/proc/vmstat", "pswpout") * 4 * 100 + ticks / 2) / ticks);
	assert_int_equal(v[9], (proc_num(&s, "/proc/vmstat", "pgpgout") * 100 + ticks / 2) / ticks);
	assert_int_equal(v[14], 100);	/* all idle */
	free(out);
	session_end(&s);
}

/* vmstat DELAY COUNT: the clock moves DELAY seconds between reports, and each later report is the
 * growth of the counters over them, per second, rounded. */
static void test_vmstat_delay(void **state)
{
	struct session s;
	long v[20];

	(void)state;
	session_start(&s, "machine ram=64M cpus=2\nmkswap /swapfile size=64M\nswapon /swapfile\nspawn a\n"
			  "a: p = mmap 100M rw private,anon\na: write p 50M fill=seq\nspawn b\n"
			  "b: q = mmap 60M rw private,anon\nb: write q 30M fill=seq\n");
	unsigned long long out0 = proc_num(&s, "/proc/vmstat", "pswpout"), now0 = s.in.m->now_ns;
	char *out = session_run(&s, "vmstat 2 2\n");
	unsigned long long out1 = proc_num(&s, "/proc/vmstat", "pswpout");
	char *last = strrchr(out, '\n');

	while (last > out && last[-1] != '\n')
		last--;
	assert_int_equal(s.in.m->now_ns - now0, 2000000000ULL);
	assert_true(out1 > out0);	/* kswapd swapped while the clock moved */
	assert_int_equal(row(last - 1, "\n", v, 20), 17);
	assert_int_equal(v[7], ((out1 - out0) * 4 + 1) / 2);	/* so: KiB per second */
	assert_int_equal(v[3], proc_kb(&s, "/proc/meminfo", "MemFree"));
	assert_int_equal(v[14], 100);
	free(out);
	session_end(&s);
}

/* A kernel thread's /proc/PID: stat, status and statm of a task with no mm, sleeping. */
static void test_kthread_proc(void **state)
{
	struct session s;

	(void)state;
	session_start(&s, "machine ram=64M\n");
	char *stat = session_run(&s, "cat /proc/5/stat\n"), *statm = session_run(&s, "cat /proc/5/statm\n");
	char *status = session_run(&s, "cat /proc/5/status\n");

	assert_true(!strncmp(stat, "5 (kswapd0) S 2 0 0 0 -1 ", 25));
	assert_string_equal(statm, "0 0 0 0 0 0 0\n");
	assert_non_null(strstr(status, "Name:\tkswapd0\nState:\tS (sleeping)\n"));
	assert_non_null(strstr(status, "Kthread:\t1\n"));
	assert_null(strstr(status, "VmSize"));
	assert_int_equal(proc_num(&s, "/proc/stat", "processes"), s.in.m->last_pid);	/* init, kthreadd, the kernel threads */
	free(stat);
	free(statm);
	free(status);
	session_end(&s);
}

/* top: a line per /proc/PID, kernel threads included, in pid order; VIRT, RES and SHR are statm's
 * first three numbers in KiB, %MEM RES over MemTotal; the Tasks line counts the states. */
static void test_top_tasks(void **state)
{
	struct session s;
	char want[160];

	(void)state;
	session_start(&s, "machine ram=64M\ntruncate /data size=1M\nspawn a\na: p = mmap 8M rw private,anon\n"
			  "a: write p 4M fill=seq\na: f = mmap 1M r private file=/data\na: read f 1M\nspawn b\n"
			  "b: setuid 1000\n");
	char *out = session_run(&s, "top -b -n 1\n");
	char *statm = session_run(&s, "cat /proc/a/statm\n");
	unsigned long size, resident, shared, memtotal = proc_kb(&s, "/proc/meminfo", "MemTotal");
	int pid_a = s.in.m->last_pid - 1;

	assert_int_equal(sscanf(statm, "%lu %lu %lu", &size, &resident, &shared), 3);
	assert_true(shared > 0 && resident > shared);
	snprintf(want, sizeof(want), "%5d root      20   0 %7lu %6lu %6lu R   0.0 %5.1f   0:00.00 a\n", pid_a, size * 4,
		 resident * 4, shared * 4, (double)((float)(resident * 4) * 100 / (float)memtotal));
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "%5d 1000      20   0", pid_a + 1);	/* b: no password file, the uid */
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "    5 root      20   0       0      0      0 S   0.0   0.0   0:00.00 kswapd0\n"));
	assert_true(strstr(out, "kcompactd0") < strstr(out, "kswapd0") && strstr(out, "kswapd0") < strstr(out, " a\n"));
	assert_non_null(strstr(out, "\nTasks:   6 total,   2 running,   4 sleeping,   0 stopped,   0 zombie\n"));
	assert_int_equal(proc_num(&s, "/proc/stat", "procs_running"), 2);
	char *release = session_run(&s, "cat /proc/sys/kernel/osrelease\n");	/* what top reads for the CPU states */
	assert_string_equal(release, UTS_RELEASE "\n");
	free(release);
	free(out);
	free(statm);
	session_end(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_columns),
		cmocka_unit_test(test_free_units),
		cmocka_unit_test(test_vmstat_columns),
		cmocka_unit_test(test_vmstat_delay),
		cmocka_unit_test(test_kthread_proc),
		cmocka_unit_test(test_top_tasks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
