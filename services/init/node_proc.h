/*
 * The hosted node's process manager (node_proc.c): on hosted and wasm, a
 * process is an instance inside the node, a WebAssembly program from the
 * store run by the jobs engine with the limits its proc.spawn recorded
 * (frames bound its memory: 16 frames per 64 KiB page; one thread).  It
 * runs to its end inside spawn, so ps shows processes that have ended;
 * the terminal commits proc.spawn before it runs and proc.exit after.
 */
#ifndef ZERO_SERVICES_INIT_NODE_PROC_H
#define ZERO_SERVICES_INIT_NODE_PROC_H

#include "services/init/node.h"
#include "services/terminal/proc.h"

#define NODE_PROC_FUEL 100000000u /* fuel each run may burn */

struct node_proc {
    struct node *n;
    struct shell_proc_backend backend;
    size_t nrows;
    struct shell_proc_row rows[SHELL_PROC_MAX]; /* the latest, oldest dropped first */
};

/* Attaches p, over the started node n, to the terminal's process commands
 * (does nothing where the node has no jobs engine). */
void node_proc_attach(struct node_proc *p, struct node *n);

#endif
