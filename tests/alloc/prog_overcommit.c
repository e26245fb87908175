/* Large blocks under a preloaded libmmalloc.so, whatever vm.overcommit_memory says: blocks of
 * 100 KB to 20 MB filled, grown and shrunk by realloc, calloc'ed, each checked, and freed.
 * Prints "region rw|reserved|none blocks ok|bad": the span region (a mapping of 1 GiB or more)
 * writable, reserved inaccessible, or not there. Under strict overcommit it must be reserved
 * (tests/alloc/run shows the library a vm.overcommit_memory of 2 through a bind mount), and
 * with the argument "strict" the program then checks that the pages of a span are charged
 * (VmData, which counts writable private memory) while it lives and not after it is purged,
 * and that a span the kernel refuses to charge (RLIMIT_DATA set 64 MiB above VmData) is a
 * NULL with ENOMEM, after which smaller blocks still work, and that the pages of a span the
 * kernel charges in part go back: "... charged ok|bad limit ok|bad partial ok|bad". */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void fill(unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + tag);
}

static bool check(const unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 31 + tag))
			return false;
	return true;
}

/* The span region's state in /proc/self/maps: a writable mapping of 1 GiB or more, else an
 * inaccessible one, else none. */
static const char *region(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	uintmax_t a, b;
	char line[512], perm[8];
	const char *state = "none";
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%jx-%jx %7s", &a, &b, perm) != 3 || b - a < ((uintmax_t)1 << 30))
			continue;
		if (!strcmp(perm, "rw-p"))
			state = "rw";
		else if (!strcmp(perm, "---p") && strcmp(state, "rw"))
			state = "reserved";
	}
	if (f)
		fclose(f);
	return state;
}

/* VmData of /proc/self/status, in bytes. */
static size_t vm_data(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t kib = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmData: %zu", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib << 10;
}

/* A span's pages charged while it lives, not once it is purged: a span above 32 MiB is at its
 * free (span.c's threshold for keeping freed spans stops there). */
static bool charged(void)
{
	size_t n = 96u << 20, before = vm_data();
	unsigned char *p = malloc(n);
	if (!p)
		return false;
	fill(p, n, 3);
	size_t during = vm_data();
	bool good = check(p, n, 3);
	free(p);
	size_t after = vm_data();
	return good && during >= before + n && after < before + (1u << 20);
}

/* A span the kernel charges in part: the pages it made writable before it refused go back.
 * Spans of 1, 8 and 1 MiB side by side at the start of a fresh region; the 8 MiB one freed
 * first (purged at once, larger than any freed before), then the others (kept committed). A
 * malloc of 64 MiB is placed over the three and beyond, and under an RLIMIT_DATA 16 MiB above
 * VmData the kernel makes the middle 8 MiB writable, then refuses the rest: NULL, and VmData
 * as before. */
static bool partial(void)
{
	size_t mib = 1u << 20;
	unsigned char *a = malloc(mib), *b = malloc(8 * mib), *c = malloc(mib);
	bool side_by_side = a && b == a + mib && c == b + 8 * mib;
	free(b);
	free(a);
	free(c);
	struct rlimit old, rl;
	if (getrlimit(RLIMIT_DATA, &old))
		return false;
	size_t before = vm_data();
	rl = old;
	rl.rlim_cur = before + 16 * mib;
	if (setrlimit(RLIMIT_DATA, &rl))
		return false;
	errno = 0;
	void *big = malloc(64 * mib);
	bool refused = !big && errno == ENOMEM;
	size_t after = vm_data();
	free(big);
	setrlimit(RLIMIT_DATA, &old);
	return side_by_side && refused && after == before;
}

/* Past RLIMIT_DATA: NULL and ENOMEM; below it, blocks as before. */
static bool limited(void)
{
	size_t data = vm_data();
	struct rlimit rl = { data + (64u << 20), RLIM_INFINITY };
	if (getrlimit(RLIMIT_DATA, &rl) || (rl.rlim_cur = data + (64u << 20), setrlimit(RLIMIT_DATA, &rl)))
		return false;
	errno = 0;
	void *big = malloc(256u << 20);
	bool refused = !big && errno == ENOMEM;
	free(big);
	size_t n = 16u << 20;
	unsigned char *p = malloc(n);
	bool good = p != NULL;
	if (p) {
		fill(p, n, 5);
		good = check(p, n, 5);
	}
	free(p);
	return refused && good;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 100000, (1u << 20) + 3, 20u << 20 };
	bool strict = argc > 1 && !strcmp(argv[1], "strict");
	bool part = strict && partial();                /* first: on a fresh region */
	bool good = true;
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		unsigned char *p = malloc(n);
		if (!p)
			return 1;
		fill(p, n, k);
		unsigned char *q = realloc(p, 3 * n);       /* grown: the first n bytes kept */
		good &= q && check(q, n, k);
		if (!q)
			return 1;
		fill(q, 3 * n, k + 7);
		p = realloc(q, n / 2);                       /* shrunk */
		good &= p && check(p, n / 2, k + 7);
		free(p ? p : q);
		unsigned char *z = calloc(n, 5);
		for (size_t i = 0; z && i < 5 * n; i++)
			good &= z[i] == 0;
		good &= z != NULL;
		free(z);
	}
	printf("region %s blocks %s", region(), good ? "ok" : "bad");
	if (strict) {
		bool c = charged(), l = limited();      /* in this order: the limit stays */
		printf(" charged %s limit %s partial %s", c ? "ok" : "bad", l ? "ok" : "bad",
		       part ? "ok" : "bad");
	}
	printf("\n");
	return 0;
}
