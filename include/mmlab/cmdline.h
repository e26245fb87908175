/* Parsing sizes and numbers as kernel parameters and sysfs files take them (lib/cmdline.c,
 * lib/kstrtox.c). */
#ifndef MMLAB_CMDLINE_H
#define MMLAB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* memparse: "64M" -> 67108864: a number in any base strtoull takes, then an optional K, M, G, T, P or
 * E (binary). *retptr points past what was parsed. */
unsigned long long memparse(const char *ptr, char **retptr);
/* sysfs_text_copy: a sysfs write's text without its one trailing newline, NUL-terminated into buf
 * (size bytes); -EINVAL if it does not fit. */
int sysfs_text_copy(const char *text, size_t len, char *buf, size_t size);
/* kstrtoul_text: the whole of len bytes of text (one trailing newline allowed) as an unsigned
 * number in base 0; 0 or -EINVAL. */
int kstrtoul_text(const char *text, size_t len, unsigned long *res);
/* kstrtobool_text: a sysfs write as a boolean: y, Y, 1 or on; n, N, 0 or off (lib/kstrtox.c
 * kstrtobool); 0 or -EINVAL. */
int kstrtobool_text(const char *text, size_t len, bool *res);

#endif
