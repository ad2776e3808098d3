/*
 * The terminal's process commands (services/terminal/proc.c): ps, spawn,
 * kill, caps, cpus and poweroff.  spawn commits proc.spawn to the Axiom as
 * the principal the terminal acts as before anything runs (a refusal
 * starts nothing and commits nothing); the process manager the platform
 * attached then starts it, and its end is committed as proc.exit by the
 * node (docs/axiom.md "Processes").  Without a process manager the
 * commands say so.
 */
#ifndef ZERO_SERVICES_TERMINAL_PROC_H
#define ZERO_SERVICES_TERMINAL_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "services/axiom/proc.h"
#include "services/terminal/shell.h"

#define SHELL_PROC_MAX 64

/* One line of ps. */
struct shell_proc_row {
    uint64_t pid; /* the Axiom's process number */
    char name[AX_IMAGE_NAME_MAX + 1];
    char as[ID_NAME_MAX + 1];
    uint8_t image[AX_HASH_LEN];
    char state[12];
    uint64_t frames, threads;
    uint64_t cpu; /* what the platform counts: fuel units on hosted */
};

struct shell_proc_backend {
    void *ctx;
    /* The principal that records exits (the node). */
    char node[ID_NAME_MAX + 1];
    /* IMAGE (a path in the namespace, or 64 hex digits) to its hash and name. */
    int (*resolve)(void *ctx, const char *image, uint8_t hash[AX_HASH_LEN],
                   char name[AX_IMAGE_NAME_MAX + 1], char *why, size_t cap);
    /* Runs committed spawn a (argv: its arguments after the image); *pid gets
     * its process number; when it has ended, *ended is 1 with how and code. */
    int (*run)(void *ctx, const struct ax_action *a, int argc, char **argv, uint64_t *pid,
               int *ended, uint8_t *how, uint32_t *code, char *out, size_t cap);
    int (*list)(void *ctx, struct shell_proc_row *rows, size_t cap, size_t *n);
    /* Stops a running process (the kill is then committed as its proc.exit). */
    int (*kill)(void *ctx, uint64_t pid, char *why, size_t cap);
};

/* Attaches the process manager (the platform's start-up; NULL detaches). */
void shell_proc_attach(const struct shell_proc_backend *b);

/* `caps` without a PID: the platform's listing of what every service process
 * holds (x86_64: init prints it from the kernel's records); NULL detaches. */
void shell_proc_caps_attach(int (*list)(struct term *t));

int shell_cmd_proc(struct term *t, int argc, char **argv);

#define SHELL_PROC_CMDS                                                                     \
    {"ps", "ps", "processes: pid, name, principal, image, state, frames, threads, CPU",     \
     shell_cmd_proc},                                                                       \
        {"spawn", "spawn IMAGE [--as P] [--frames N] [--threads N] [ARG...]",               \
         "start a process (a proc.spawn entry the policy allows, committed first)",         \
         shell_cmd_proc},                                                                   \
        {"kill", "kill PID", "stop a process (recorded as its proc.exit)", shell_cmd_proc}, \
        {"caps", "caps [PID]", "the capabilities a process (or every service) holds",       \
         shell_cmd_proc},                                                                   \
        {"cpus", "cpus", "the CPUs and their load", shell_cmd_proc},                        \
    {                                                                                       \
        "poweroff", "poweroff", "stop the node (like exit)", shell_cmd_proc                 \
    }

#endif
