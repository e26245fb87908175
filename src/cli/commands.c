/*
 * The command registry: each subsystem brings a table of its commands (cmd_core.c, cmd_page_alloc.c,
 * ...); adding a subsystem is one line here.
 */
#include <string.h>

#include "cli/cli.h"

static const struct command_table *const command_tables[] = {
	&cmd_core_table,
	&cmd_page_alloc_table,
	&cmd_slab_table,
	&cmd_swap_table,
	&cmd_zram_table,
	&cmd_process_table,
	&cmd_mmap_table,
	&cmd_mempolicy_table,
	&cmd_file_table,
	&cmd_malloc_table,
	&cmd_access_table,
	&cmd_pgtable_table,
	&cmd_procps_table,
};

#define USAGE_WIDTH 44
#define NR_TABLES (sizeof(command_tables) / sizeof(command_tables[0]))

const struct command *command_lookup(const char *name, size_t len, bool in_process)
{
	const struct command *found = NULL;

	for (size_t t = 0; t < NR_TABLES; t++) {
		const struct command_table *table = command_tables[t];

		for (size_t i = 0; i < table->n; i++) {
			const struct command *cmd = &table->cmds[i];

			if (strlen(cmd->name) != len || memcmp(cmd->name, name, len))
				continue;
			if (!(cmd->flags & CMD_PROCESS) == !in_process)
				return cmd;
			if (!found)
				found = cmd;
		}
	}
	return found;
}

void command_help(FILE *out)
{
	for (size_t t = 0; t < NR_TABLES; t++) {
		const struct command_table *table = command_tables[t];

		fprintf(out, "\n%s:\n", table->subsystem);
		for (size_t i = 0; i < table->n; i++) {
			const struct command *cmd = &table->cmds[i];

			/* A usage too wide for the column puts its help on the next line. */
			if (strlen(cmd->usage) > USAGE_WIDTH)
				fprintf(out, "  %s\n  %-*s %s\n", cmd->usage, USAGE_WIDTH, "", cmd->help);
			else
				fprintf(out, "  %-*s %s\n", USAGE_WIDTH, cmd->usage, cmd->help);
		}
	}
}
