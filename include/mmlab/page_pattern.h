/*
 * Page contents that can be made again from a few numbers (no kernel counterpart): what the zram
 * commands write and check, and what the zram benchmark compresses. The bytes of a page depend only
 * on the pattern, the page's index, a seed and (for a byte fill) the byte, so a reader checks a page
 * by making it again: nothing is stored beside the device.
 *
 *   seq    8-byte words counting up across the device (word n holds n + seed): compressible
 *   zero   all zeros; 0xNN: every byte NN (both same-filled: zram stores no data for them)
 *   text   English phrases in a seeded order, in lines: compresses like text, 2-4x
 *   rand   seeded random bytes: incompressible (zram stores them raw, as huge pages)
 */
#ifndef MMLAB_PAGE_PATTERN_H
#define MMLAB_PAGE_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

enum page_pattern {
	PATTERN_SEQ,
	PATTERN_ZERO,
	PATTERN_TEXT,
	PATTERN_RAND,
	PATTERN_BYTE,
};

/* page_pattern_parse: "seq", "zero", "text", "rand" or a byte ("0xNN", "171"); false if none. */
bool page_pattern_parse(const char *s, enum page_pattern *kind, unsigned char *byte);
/* page_pattern_fill: PAGE_SIZE bytes of the pattern for page index into page. */
void page_pattern_fill(void *page, enum page_pattern kind, uint64_t index, uint64_t seed, unsigned char byte);

#endif
