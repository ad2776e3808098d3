/* Helpers the terminal's command files share (services/terminal/). */
#ifndef ZERO_SERVICES_TERMINAL_INTERNAL_SHELL_H
#define ZERO_SERVICES_TERMINAL_INTERNAL_SHELL_H

#include <stdbool.h>

#include "services/axiom/service.h"
#include "services/terminal/shell.h"

static inline struct shell *shell_of(struct term *t)
{
    return t->ctx;
}

/* Prints "usage: USAGE"; returns ZERR_INVAL. */
int shell_usage(struct term *t, const char *usage);

/* Prints "committed #SEQ HASH", "denied: WHY" or "error: WHY"; returns err. */
int shell_report(struct term *t, int err, const struct axiom_result *res);

/* Copies a valid principal name into dst; prints why and returns false otherwise. */
bool shell_copy_name(struct term *t, char *dst, const char *src);

/* The commands of services/terminal/login.c. */
int shell_cmd_as(struct term *t, int argc, char **argv);
int shell_cmd_login(struct term *t, int argc, char **argv);
int shell_cmd_logout(struct term *t, int argc, char **argv);
int shell_cmd_whoami(struct term *t, int argc, char **argv);

#endif
