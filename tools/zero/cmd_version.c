#include <stdio.h>

#include "hal/hal.h"
#include "tools/zero/zero.h"

const char zero_help_version[] = "print the version of this tool";

int zero_cmd_version(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        printf("usage: zero version\n\nPrints the Zero OS version and the platform this tool was "
               "built for.\n");
        return ZERO_EXIT_OK;
    }
    if (argc != 1) {
        fprintf(stderr, "zero version: takes no arguments\n");
        return ZERO_EXIT_USAGE;
    }
    printf("zero %s (%s)\n", ZERO_VERSION, HAL_PLATFORM_NAME);
    return ZERO_EXIT_OK;
}
