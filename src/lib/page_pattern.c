/* Page contents made again from (pattern, index, seed, byte): see include/mmlab/page_pattern.h. */
#include <stdlib.h>
#include <string.h>

#include <mmlab/mmzone.h>
#include <mmlab/page_pattern.h>

bool page_pattern_parse(const char *s, enum page_pattern *kind, unsigned char *byte)
{
	static const char *const names[] = { "seq", "zero", "text", "rand" };
	char *end;
	unsigned long v;

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (!strcmp(s, names[i])) {
			*kind = (enum page_pattern)i;
			return true;
		}
	}
	v = strtoul(s, &end, 0);
	*kind = PATTERN_BYTE;
	*byte = (unsigned char)v;
	return *s >= '0' && *s <= '9' && !*end && v <= 0xff;
}

/* splitmix64: the next number of a seeded sequence. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t page_seed(uint64_t index, uint64_t seed)
{
	uint64_t state = seed ^ (index * 0xd1342543de82ef95ULL);

	return splitmix64(&state);
}

static void fill_seq(uint64_t *words, uint64_t index, uint64_t seed)
{
	uint64_t first = index * (PAGE_SIZE / sizeof(*words)) + seed;

	for (size_t i = 0; i < PAGE_SIZE / sizeof(*words); i++)
		words[i] = first + i;
}

static void fill_rand(uint64_t *words, uint64_t index, uint64_t seed)
{
	uint64_t state = page_seed(index, seed);

	for (size_t i = 0; i < PAGE_SIZE / sizeof(*words); i++)
		words[i] = splitmix64(&state);
}

/* fill_text: phrases of a small repertoire in a seeded order, a full stop now and then, a newline
 * about every 70 bytes. */
static void fill_text(unsigned char *p, uint64_t index, uint64_t seed)
{
	static const char *const phrases[16] = {
		"the kernel keeps", "a list of free pages", "in every zone", "and the allocator",
		"takes the first block", "that is large enough", "when memory runs low", "kswapd wakes up",
		"to reclaim pages", "from the inactive list", "and writes them to swap", "which may be compressed",
		"by zram", "before the process", "touches them again", "so nothing is lost",
	};
	uint64_t state = page_seed(index, seed);
	size_t pos = 0, line = 0;

	while (pos < PAGE_SIZE) {
		uint64_t r = splitmix64(&state);
		const char *w = phrases[r & 15];

		for (size_t i = 0; w[i] && pos < PAGE_SIZE; i++, line++)
			p[pos++] = (unsigned char)w[i];
		if (pos < PAGE_SIZE && (r >> 8) % 5 == 0)
			p[pos++] = '.';
		if (pos < PAGE_SIZE) {
			p[pos++] = line > 70 ? '\n' : ' ';
			line = line > 70 ? 0 : line + 1;
		}
	}
}

void page_pattern_fill(void *page, enum page_pattern kind, uint64_t index, uint64_t seed, unsigned char byte)
{
	switch (kind) {
	case PATTERN_SEQ:
		fill_seq(page, index, seed);
		break;
	case PATTERN_ZERO:
		memset(page, 0, PAGE_SIZE);
		break;
	case PATTERN_TEXT:
		fill_text(page, index, seed);
		break;
	case PATTERN_RAND:
		fill_rand(page, index, seed);
		break;
	case PATTERN_BYTE:
		memset(page, byte, PAGE_SIZE);
		break;
	}
}
