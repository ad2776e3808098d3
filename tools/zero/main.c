/*
 * zero: the Zero OS host tool.  Each subcommand lives in its own
 * tools/zero/cmd_NAME.c, which defines zero_cmd_NAME() and zero_help_NAME[];
 * the build generates zero_cmds.h, the list of them.
 */
#include <stdio.h>
#include <string.h>

#include "tools/zero/zero.h"

#define ZERO_CMD(name)                          \
    int zero_cmd_##name(int argc, char **argv); \
    extern const char zero_help_##name[];
#include "zero_cmds.h"
#undef ZERO_CMD

struct zero_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct zero_cmd zero_cmds[] = {
#define ZERO_CMD(name) {#name, zero_cmd_##name, zero_help_##name},
#include "zero_cmds.h"
#undef ZERO_CMD
};

static void usage(FILE *f)
{
    fprintf(f, "usage: zero COMMAND [ARGS...]\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(zero_cmds) / sizeof(zero_cmds[0]); i++) {
        fprintf(f, "  %-10s %s\n", zero_cmds[i].name, zero_cmds[i].help);
    }
    fprintf(f, "\n'zero COMMAND --help' describes one command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(zero_cmds) / sizeof(zero_cmds[0]); i++) {
        if (strcmp(argv[1], zero_cmds[i].name) == 0) {
            return zero_cmds[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "zero: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return ZERO_EXIT_USAGE;
}
