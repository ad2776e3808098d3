/*
 * `time COMMAND...` (services/terminal/time_cmd.c): runs one command and
 * prints how long it took, "time: N UNIT", by the clock the platform set
 * with shell_time_clock (the x86_64 terminal: the time-stamp counter,
 * which under QEMU -icount shift=0 counts guest instructions, so
 * bench/id_create.sh can compare an operation across processes with the
 * same one in a single process).  Without one: hal_clock_ns, in ns.
 */
#ifndef ZERO_SERVICES_TERMINAL_TIME_CMD_H
#define ZERO_SERVICES_TERMINAL_TIME_CMD_H

#include <stdint.h>

#include "services/terminal/terminal.h"

/* Sets the clock `time` reads and the unit it prints (NULL: hal_clock_ns, "ns"). */
void shell_time_clock(uint64_t (*now)(void), const char *unit);

int shell_cmd_time(struct term *t, int argc, char **argv);

#define SHELL_TIME_CMDS                                                                     \
    {                                                                                       \
        "time", "time COMMAND...", "run COMMAND and print how long it took", shell_cmd_time \
    }

#endif
