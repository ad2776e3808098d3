/* `time COMMAND...` (see time_cmd.h). */
#include "services/terminal/time_cmd.h"

#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/terminal/shell.h"

static uint64_t (*time_now)(void) = hal_clock_ns;
static const char *time_unit = "ns";

void shell_time_clock(uint64_t (*now)(void), const char *unit)
{
    time_now = now != NULL ? now : hal_clock_ns;
    time_unit = now != NULL && unit != NULL ? unit : "ns";
}

int shell_cmd_time(struct term *t, int argc, char **argv)
{
    if (argc < 2) {
        term_printf(t, "usage: time COMMAND...\n");
        return ZERR_INVAL;
    }
    const struct term_cmd *cmd = NULL;
    for (size_t i = 0; i < shell_ncmds && cmd == NULL; i++) {
        cmd = strcmp(argv[1], shell_cmds[i].name) == 0 ? &shell_cmds[i] : NULL;
    }
    if (cmd == NULL || cmd->run == shell_cmd_time) {
        term_printf(t, "error: '%s' cannot be timed\n", argv[1]);
        return ZERR_NOENT;
    }
    uint64_t t0 = time_now();
    int err = cmd->run(t, argc - 1, argv + 1);
    uint64_t t1 = time_now();
    term_printf(t, "time: %llu %s\n", (unsigned long long)(t1 - t0), time_unit);
    return err;
}
