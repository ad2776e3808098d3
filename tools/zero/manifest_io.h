/* Whole-file reads and writes of the manifest and image commands (zero manifest, zero verify
 * --image). */
#ifndef ZERO_TOOLS_ZERO_MANIFEST_IO_H
#define ZERO_TOOLS_ZERO_MANIFEST_IO_H

#include <stddef.h>
#include <stdint.h>

#define MIO_IMAGE_MAX (256u << 20) /* largest file read whole: an ISO image */

/* Reads all of path (at most max bytes) into a malloc'd buffer; NULL with a message. */
uint8_t *mio_read_file(const char *path, size_t max, size_t *len);

/* Writes len bytes to path (replacing it); 0 or -1 with a message. */
int mio_write_file(const char *path, const uint8_t *buf, size_t len);

#endif
