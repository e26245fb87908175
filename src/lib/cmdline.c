/* Sizes, numbers and booleans from text (lib/cmdline.c memparse, lib/kstrtox.c kstrtoul, kstrtobool). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mmlab/cmdline.h>

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *end;
	unsigned long long ret = strtoull(ptr, &end, 0);
	int shift = 0;

	switch (*end) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10;
		end++;
		break;
	default:
		break;
	}
	if (retptr)
		*retptr = end;
	return ret << shift;
}

int sysfs_text_copy(const char *text, size_t len, char *buf, size_t size)
{
	if (len && text[len - 1] == '\n')
		len--;
	if (len >= size)
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return 0;
}

int kstrtoul_text(const char *text, size_t len, unsigned long *res)
{
	char buf[32], *end;

	if (sysfs_text_copy(text, len, buf, sizeof(buf)) || !isdigit((unsigned char)buf[0]))
		return -EINVAL;
	errno = 0;
	*res = strtoul(buf, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

int kstrtobool_text(const char *text, size_t len, bool *res)
{
	char buf[8];

	if (sysfs_text_copy(text, len, buf, sizeof(buf)) || !buf[0])
		return -EINVAL;
	if (strchr("yY1", buf[0]) || !strcasecmp(buf, "on"))
		*res = true;
	else if (strchr("nN0", buf[0]) || !strcasecmp(buf, "off"))
		*res = false;
	else
		return -EINVAL;
	return 0;
}
