/* Key files of principals whose key lives outside the node (docs/formats.md). */
#ifndef ZERO_TOOLS_ZERO_KEY_FILE_H
#define ZERO_TOOLS_ZERO_KEY_FILE_H

#include <stdint.h>

#include "crypto/ed25519.h"

/* Writes seed as a new key file at path (mode 0600; never replaces a file).
 * Returns 0, ZERR_EXIST or ZERR_IO. */
int key_file_write(const char *path, const uint8_t seed[ED25519_SEED_LEN]);

/* Reads the seed of the key file at path.  Returns 0, ZERR_NOENT, ZERR_IO,
 * or ZERR_CORRUPT when it is not exactly 64 hex digits and a newline. */
int key_file_read(const char *path, uint8_t seed[ED25519_SEED_LEN]);

#endif
