/*
 * mmlab shell: the scenario language one line at a time, with line editing and history (libedit).
 * An error is reported and the session goes on; a repeat block runs when its `end` is typed.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli/cli.h"

/* The worse of two outcomes: an error outranks a failed expect. */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

int repl_run(struct interp *in)
{
	struct arena arena = { 0 };
	struct parser p;
	int lineno = 0, status = CLI_OK;
	char *line;

	in->file = "shell";
	parser_init(&p, &arena);
	using_history();
	while ((line = readline(p.depth ? "...> " : "mmlab> ")) != NULL) {
		if (*line)
			add_history(line);
		if (parser_feed(&p, line, strlen(line), ++lineno)) {
			status = worse(status, interp_parse_error(in, &p));
		} else if (p.depth == 0) {
			/* A complete statement (or block): run it, then forget its parse. */
			status = worse(status, interp_exec(in, parser_take(&p)));
			fflush(in->out);
			arena_release(&arena);
			parser_init(&p, &arena);
		}
		free(line);
	}
	if (isatty(STDIN_FILENO))
		fputc('\n', in->out);	/* end the prompt line that ^D left open */
	if (parser_finish(&p))
		status = worse(status, interp_parse_error(in, &p));
	arena_release(&arena);
	return worse(status, in->expect_failures ? CLI_EXPECT_FAILED : CLI_OK);
}
