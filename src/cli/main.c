/* mmlab: the command line. `mmlab run FILE` runs a scenario, `mmlab shell` is interactive. */
#include <errno.h>
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
	      "3 when the invariant checker found a violation, 4 when the machine panicked.\n",
	      out);
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
	struct interp in;
	FILE *f;
	int status;

	if (argc != 1) {
		usage(stderr);
		return CLI_ERROR;
	}
	f = use_stdin ? stdin : fopen(argv[0], "rb");
	if (!f) {
		fprintf(stderr, "mmlab: %s: %s\n", argv[0], strerror(errno));
		return CLI_ERROR;
	}
	interp_init(&in, stdout, stderr);
	in.check = check;
	status = interp_run_stream(&in, use_stdin ? "<stdin>" : argv[0], f);
	interp_release(&in);
	if (!use_stdin)
		fclose(f);
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
