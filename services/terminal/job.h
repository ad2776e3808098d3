/* The terminal's job commands (services/terminal/job.c). */
#ifndef ZERO_SERVICES_TERMINAL_JOB_H
#define ZERO_SERVICES_TERMINAL_JOB_H

#include "services/terminal/shell.h"

int shell_cmd_job(struct term *t, int argc, char **argv);
int shell_cmd_receipt(struct term *t, int argc, char **argv);

#endif
