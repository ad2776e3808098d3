/*
 * zero-hosted: Zero OS as one Linux process, with its terminal on stdin and
 * stdout.  Works interactively and piped (scripts).
 */
#include <stdio.h>
#include <string.h>

#include "hal/hal.h"
#include "services/terminal/terminal.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: zero-hosted [--help]\n\n"
               "Starts Zero OS as a Linux process with its terminal on standard input and\n"
               "output. Type 'help' at the zero> prompt for the commands.\n");
}

int main(int argc, char **argv)
{
    static struct term term;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        fprintf(stderr, "zero-hosted: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        return 2;
    }
    printf("Zero OS %s (%s)\n", ZERO_VERSION, HAL_PLATFORM_NAME);
    fflush(stdout);
    term_init(&term, NULL, 0, NULL);
    return term_run(&term);
}
