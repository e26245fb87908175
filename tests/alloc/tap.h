/* Minimal TAP output for the allocator tests, and a death test: run a function in a child
 * process that must abort with a given message on stderr. */
#ifndef ALLOC_TAP_H
#define ALLOC_TAP_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

static int tap_n, tap_failed;

static void ok(bool cond, const char *name)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, name);
	fflush(stdout);
	tap_failed += !cond;
}

/* Runs fn(arg) in a child; passes when the child dies by SIGABRT having printed `want`. */
static inline void expect_abort(void (*fn)(void *), void *arg, const char *want, const char *name)
{
	int fd[2];
	char buf[512] = "";
	if (pipe(fd)) {
		ok(false, name);
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn(arg);
		_exit(0);                               /* no abort: the test fails */
	}
	close(fd[1]);
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) - 1 && (r = read(fd[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
	close(fd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	bool died = WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
	ok(died && strstr(buf, want), name);
	if (!died || !strstr(buf, want))
		printf("#   child status %d, stderr: %s\n", st, buf);
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* How many of n iterations to run: a tenth under valgrind, which is some 30 times slower. */
static inline unsigned long tap_scaled(unsigned long n)
{
	return RUNNING_ON_VALGRIND ? n / 10 : n;
}

/* xorshift64*: the tests' deterministic random numbers. */
static inline uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Fills a block with bytes derived from its address and a tag; check_fill verifies them. */
static inline void fill(unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((uintptr_t)(p + i) * 31u + tag);
}

static inline bool check_fill(const unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)((uintptr_t)(p + i) * 31u + tag))
			return false;
	return true;
}
#endif
