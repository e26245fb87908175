/* Large blocks under a preloaded libmmalloc.so, whatever vm.overcommit_memory says: blocks of
 * 100 KB to 20 MB filled, grown and shrunk by realloc, calloc'ed, each checked, and freed.
 * Prints "region N blocks ok|bad": N is 1 when the process has the span region (a mapping of
 * 4 GiB or more), which under strict overcommit it must not (tests/alloc/run shows the library
 * a vm.overcommit_memory of 2 through a bind mount). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A mapping of 4 GiB or more in /proc/self/maps. */
static int has_region(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	uintmax_t a, b;
	int found = 0;
	char line[512];
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%jx-%jx", &a, &b) == 2 && b - a >= ((uintmax_t)4 << 30))
			found = 1;
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	static const size_t sizes[] = { 100000, (1u << 20) + 3, 20u << 20 };
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
	printf("region %d blocks %s\n", has_region(), good ? "ok" : "bad");
	return 0;
}
