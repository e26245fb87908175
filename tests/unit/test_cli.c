/* Unit tests of the scenario interpreter: scripts run on a machine, their output, diagnostics and
 * exit status checked exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/machine.h>

#include "cli/cli.h"

struct result {
	int status;
	char *out, *err;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* Run len bytes of src as t.mm, with the limits given (or none), capturing both streams. */
static struct result run_limited(const char *src, size_t len, const struct interp_limits *limits)
{
	struct result r;
	size_t outlen, errlen;
	FILE *out = open_memstream(&r.out, &outlen), *err = open_memstream(&r.err, &errlen);
	struct interp in;

	interp_init(&in, out, err);
	in.check = true;
	if (limits)
		in.limits = *limits;
	r.status = interp_run_script(&in, "t.mm", src, len);
	interp_release(&in);
	fclose(out);
	fclose(err);
	return r;
}

static struct result run(const char *src)
{
	return run_limited(src, strlen(src), NULL);
}

/* src must exit with status, print exactly out on stdout and err on stderr. */
static void assert_run(const char *src, int status, const char *out, const char *err)
{
	struct result r = run(src);

	if (r.status != status || strcmp(r.out, out) || strcmp(r.err, err))
		fail_msg("script:\n%s\nstatus %d (wanted %d)\nstdout:\n%s\nwanted:\n%s\nstderr:\n%s\nwanted:\n%s", src,
			 r.status, status, r.out, out, r.err, err);
	result_free(&r);
}

static void test_arithmetic(void **state)
{
	(void)state;
	assert_run("echo 1 + 2 * 3 (1 + 2) * 3 (-4 / 3) (7 / -2)\n", 0, "7 9 -1 -3\n", "");
	/* as in C, a '-' after a value subtracts: a negative argument needs parentheses */
	assert_run("echo 5 -4 5 (-4)\n", 0, "1 5 -4\n", "");
	assert_run("x = 3 * 4K\necho x x/1K\n", 0, "12288 12\n", "");
	assert_run("echo 9223372036854775807 + 1\n", 0, "-9223372036854775808\n", "");
	assert_run("x = 0 - 9223372036854775807 - 1\necho x / -1 x * -1\n", 0,
		   "-9223372036854775808 -9223372036854775808\n", "");
	assert_run("echo 0xffffffffffffffff 18446744073709551615\n", 0, "-1 -1\n", "");
	assert_run("echo ENOMEM (-ENOMEM) EACCES\nx = -EINVAL\necho x\n", 0, "12 -12 13\n-22\n", "");
	assert_run("echo 1s 500ms 2us 16M 1T\n", 0, "1000000000 500000000 2000 16777216 1099511627776\n", "");
	assert_run("echo 1\nx = 4 / (2 - 2)\necho 2\n", 2, "1\n", "t.mm:2:7: error: division by zero\n");
}

static void test_echo_formats(void **state)
{
	(void)state;
	assert_run("echo \"a\\tb\" \"#x\" \"q\\\"\" # comment\necho\n", 0, "a\tb #x q\"\n\n", "");
	assert_run("p = alloc_pages 20 gfp=__GFP_NOWARN\necho p p + 1 p - p\n", 0, "0x0 0x1 0\n", "");
}

static void test_variables_and_blocks(void **state)
{
	(void)state;
	assert_run("n = 0\nrepeat 3 as i\n  repeat i + 1 as j\n    n = n + 1\n    o[i * 10 + j] = n\n  end\nend\n"
		   "echo n o[0] o[20] o[22]\n", 0, "6 1 4 6\n", "");
	assert_run("repeat 0\n  echo \"never\"\nend\nrepeat 2\n  echo \"twice\"\nend\n", 0, "twice\ntwice\n", "");
	assert_run("echo y\n", 2, "", "t.mm:1:6: error: undefined variable y\n");
	assert_run("o[1] = 5\necho o[1]\necho o[2]\n", 2, "5\n", "t.mm:3:6: error: undefined variable o[2]\n");
	assert_run("repeat 1 - 3\nend\n", 2, "", "t.mm:1:10: error: repeat: count -2 is negative\n");
	assert_run("a: echo 1\n", 2, "", "t.mm:1:1: error: no process named a\n");
}

static void test_expect(void **state)
{
	(void)state;
	assert_run("expect 1 + 1 == 2\nexpect 3 > 2\nexpect 1\n", 0, "", "");
	assert_run("x = 5\nexpect x < 2   # too big\nexpect x\necho \"goes on\"\nexpect 0\nexpect -1 < 0\n", 1,
		   "goes on\n",
		   "t.mm:2: expect failed: x < 2 (left=5, right=2)\nt.mm:5: expect failed: 0 (value=0)\n");
	assert_run("expect /proc/meminfo:MemTotal > 16M\nexpect /proc/meminfo:MemFree <= /proc/meminfo:MemTotal\n"
		   "expect /proc/vmstat:nr_free_pages * 4K == /proc/meminfo:MemFree\n",
		   0, "", "");
	/* addresses compare unsigned: a kernel address is above any small number */
	assert_run("p = alloc_pages 0\nexpect p > 4096\nfree_pages p 0\n", 0, "", "");
}

static void test_syntax_error_runs_nothing(void **state)
{
	(void)state;
	assert_run("echo \"first\"\nalloc_pages 0 gfp=GFP_NOPE\n", 2, "",
		   "t.mm:2:19: error: unknown gfp flag 'GFP_NOPE'\n");
	assert_run("echo 1\nrepeat 3\n", 2, "", "t.mm:2:1: error: 'repeat' without 'end'\n");
}

static void test_procfs_values(void **state)
{
	(void)state;
	assert_run("sysctl vm.min_free_kbytes=2048\nexpect /proc/sys/vm/min_free_kbytes == 2048\n"
		   "sysctl vm.min_free_kbytes\necho 3000 > /proc/sys/vm/min_free_kbytes\n"
		   "echo /proc/sys/vm/min_free_kbytes\n",
		   0, "vm.min_free_kbytes = 2048\n3000\n", "");
	assert_run("echo /sys/kernel/mm/lru_gen/enabled\necho \"y\" > /sys/kernel/mm/lru_gen/enabled\n"
		   "expect /sys/kernel/mm/lru_gen/enabled == 0x0007\necho /sys/kernel/mm/lru_gen/enabled * 2\n",
		   0, "0\n14\n", "");
	assert_run("echo /proc/meminfo:NoSuchKey\n", 2, "", "t.mm:1:6: error: /proc/meminfo: no key NoSuchKey\n");
	assert_run("echo /proc/nope:X\n", 2, "", "t.mm:1:6: error: /proc/nope: No such file or directory\n");
	assert_run("echo /proc/meminfo\n", 2, "", "t.mm:1:6: error: /proc/meminfo: does not hold a single number\n");
	assert_run("cat /proc/nope\n", 2, "", "t.mm:1:5: error: cat: /proc/nope: No such file or directory\n");
	assert_run("echo 1 > /proc/sys/vm/nope\n", 2, "",
		   "t.mm:1:10: error: echo: /proc/sys/vm/nope: No such file or directory\n");
	assert_run("sysctl vm.min_free_kbytes=lots\n", 2, "",
		   "t.mm:1:8: error: sysctl: /proc/sys/vm/min_free_kbytes: Invalid argument\n");
}

static void test_machine_command(void **state)
{
	(void)state;
	assert_run("machine ram=64M nodes=2 cpus=4 distance=10,21;21,10\nexpect /proc/meminfo:MemTotal < 64M\n"
		   "cpu 3\np = alloc_pages 0 node=1\nfree_pages p 0\n",
		   0, "", "");
	assert_run("machine nodes=9\n", 2, "", "t.mm:1:15: error: machine: nodes 9 is out of range (1..8)\n");
	assert_run("machine nodes=2 distance=10,20,30;20,10,30;30,30,10\n", 2, "",
		   "t.mm:1:26: error: machine: distance has 3 rows for 2 nodes\n");
	assert_run("machine cpus=2\ncpu 2\n", 2, "", "t.mm:2:5: error: cpu 2 is out of range (0..1)\n");
	assert_run("machine nodes=2\np = alloc_pages 0 node=2\n", 2, "",
		   "t.mm:2:24: error: node 2 is out of range (0..1)\n");
}

static void test_machine_boot_error(void **state)
{
	struct result r = run("machine ram=4K\n");

	(void)state;
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_true(!strncmp(r.err, "t.mm:1:1: error: machine: ", 26));
	result_free(&r);
}

static void test_page_commands(void **state)
{
	(void)state;
	assert_run("p = alloc_pages 3\nq = __get_free_pages 1 gfp=GFP_KERNEL|__GFP_ZERO\nz = get_zeroed_page\n"
		   "free_pages p 3\n__free_pages q 1\nfree_pages z 0\nfree_pages 0 0\ncheck\n",
		   0, "ok\n", "");
	assert_run("free_pages 0x1234 0\n", 2, "", "t.mm:1:12: error: free_pages: 0x1234 is not a page\n");
	assert_run("__free_pages 0 0\n", 2, "", "t.mm:1:14: error: __free_pages: 0x0 is not a page\n");
	assert_run("p = alloc_pages 0\nfree_pages p 11\n", 2, "", "t.mm:2:14: error: order 11 is out of range (0..10)\n");
}

static void test_trace_lines(void **state)
{
	struct result r = run("trace mm_page_alloc,mm_page_free\np = alloc_pages 2\nfree_pages p 2\ntrace off\n"
			      "p = alloc_pages 0\n");
	char *second;

	(void)state;
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, " mm_page_alloc: page="));
	assert_non_null(strstr(r.out, " order=2 "));
	second = strstr(r.out, " mm_page_free: page=");
	assert_non_null(second);
	assert_null(strchr(strchr(second, '\n') + 1, '\n'));	/* nothing traced after `trace off` */
	result_free(&r);
}

static void test_step_limit(void **state)
{
	static const char src[] = "repeat 1000000\n  x = 1\nend\n";
	struct interp_limits limits = { .max_steps = 100 };
	struct result r = run_limited(src, sizeof(src) - 1, &limits);

	(void)state;
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "t.mm:2:3: error: step limit of 100 statements reached\n");
	result_free(&r);
}

/* A corrupted counter: --check stops the script after the first command, `check` reports it. */
static void test_check_violation(void **state)
{
	static const char *const scripts[] = { "echo 1\necho 2\n", "check\n" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *out, *err;
		size_t outlen, errlen;
		FILE *o = open_memstream(&out, &outlen), *e = open_memstream(&err, &errlen);
		struct interp in;

		interp_init(&in, o, e);
		in.check = i == 0;
		assert_int_equal(interp_run_script(&in, "boot.mm", "machine ram=64M\n", 16), CLI_OK);
		NODE_DATA(in.m, 0)->node_zones[ZONE_DMA].vm_stat[NR_FREE_PAGES]++;
		assert_int_equal(interp_run_script(&in, "t.mm", scripts[i], strlen(scripts[i])), CLI_CHECK_FAILED);
		interp_release(&in);
		fclose(o);
		fclose(e);
		assert_string_equal(out, i == 0 ? "1\n" : "");
		assert_true(!strncmp(err, "t.mm:1:1: error: machine_check: ", 32));
		assert_non_null(strstr(err, " violations after this command\nmachine_check: DMA: NR_FREE_PAGES is "));
		free(out);
		free(err);
	}
}

static void test_stdin_stream(void **state)
{
	static char src[] = "echo \"from a stream\"\nexpect 1 == 2\n";
	FILE *f = fmemopen(src, strlen(src), "r");
	char *out, *err;
	size_t outlen, errlen;
	FILE *o = open_memstream(&out, &outlen), *e = open_memstream(&err, &errlen);
	struct interp in;

	(void)state;
	interp_init(&in, o, e);
	assert_int_equal(interp_run_stream(&in, "<stdin>", f), CLI_EXPECT_FAILED);
	interp_release(&in);
	fclose(f);
	fclose(o);
	fclose(e);
	assert_string_equal(out, "from a stream\n");
	assert_string_equal(err, "<stdin>:2: expect failed: 1 == 2 (left=1, right=2)\n");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_echo_formats),
		cmocka_unit_test(test_variables_and_blocks),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_syntax_error_runs_nothing),
		cmocka_unit_test(test_procfs_values),
		cmocka_unit_test(test_machine_command),
		cmocka_unit_test(test_machine_boot_error),
		cmocka_unit_test(test_page_commands),
		cmocka_unit_test(test_trace_lines),
		cmocka_unit_test(test_step_limit),
		cmocka_unit_test(test_check_violation),
		cmocka_unit_test(test_stdin_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
