/* mmlab: the command line. `mmlab run FILE` runs a scenario, `mmlab shell` is interactive. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out)
{
	fputs("usage: mmlab run [--check] FILE   run a scenario script (FILE '-': standard input)\n"
	      "       mmlab shell [--check]      type scenario commands one at a time\n"
	      "       mmlab help                 this text and the scenario commands\n"
	      "\n"
	      "--check runs the machine's invariant checker after every command.\n"
	      "run exits 0 when all went well, 1 when an expect failed, 2 on bad input (FILE:LINE:COL: error:),\n"
	      "3 when the invariant checker found a violation.\n",
	      out);
}

/* Read all of f into a malloc'ed buffer; NULL on a read error (errno says why). */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *buf = xmalloc(cap);

	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = xmalloc(cap * 2);

			memcpy(bigger, buf, n);
			free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Leading --check; the remaining arguments move to the front. */
static bool take_check(int *argc, char ***argv)
{
	if (*argc > 0 && !strcmp((*argv)[0], "--check")) {
		(*argc)--;
		(*argv)++;
		return true;
	}
	return false;
}

static int cmd_run(int argc, char **argv)
{
	bool check = take_check(&argc, &argv);
	bool use_stdin = argc == 1 && !strcmp(argv[0], "-");
	const char *file = argc == 1 ? argv[0] : NULL;
	struct interp in;
	size_t len = 0;
	char *buf;
	FILE *f;
	int status;

	if (!file) {
		usage(stderr);
		return CLI_ERROR;
	}
	f = use_stdin ? stdin : fopen(file, "rb");
	buf = f ? read_all(f, &len) : NULL;
	if (!buf) {
		fprintf(stderr, "mmlab: %s: %s\n", file, strerror(errno));
		if (f && !use_stdin)
			fclose(f);
		return CLI_ERROR;
	}
	if (!use_stdin)
		fclose(f);
	interp_init(&in, stdout, stderr);
	in.check = check;
	status = interp_run_script(&in, use_stdin ? "<stdin>" : file, buf, len);
	interp_release(&in);
	free(buf);
	return status;
}

static int cmd_shell(int argc, char **argv)
{
	bool check = take_check(&argc, &argv);
	struct interp in;
	int status;

	if (argc) {
		usage(stderr);
		return CLI_ERROR;
	}
	interp_init(&in, stdout, stderr);
	in.check = check;
	status = repl_run(&in);
	interp_release(&in);
	return status;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	fputs("\nScenario commands (one per line; `#` starts a comment; docs/scenario-language.md):\n", stdout);
	command_help(stdout);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "run", cmd_run },
	{ "shell", cmd_shell },
	{ "help", cmd_help },
	{ "--help", cmd_help },
	{ "-h", cmd_help },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_ERROR;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "mmlab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_ERROR;
}
