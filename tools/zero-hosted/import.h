/* zero-hosted --import (tools/zero-hosted/import.c). */
#ifndef ZERO_TOOLS_ZERO_HOSTED_IMPORT_H
#define ZERO_TOOLS_ZERO_HOSTED_IMPORT_H

#include "services/init/node.h"

/* Imports HOSTPATH:ZEROPATH (a file, or a directory and everything below
 * it) into the started node n as proposals of its node principal; prints
 * one line per change.  0 or the first error. */
int import_run(struct node *n, const char *spec);

#endif
