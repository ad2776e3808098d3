#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/block/block.h"
#include "tools/zero/zero.h"

int zero_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            return 0;
        }
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return 1;
        }
    }
    return 0;
}

/* True if the file at path starts with a disk's or an export's magic. */
static bool zero_has_magic(const char *path)
{
    static const uint8_t disk_magic[8] = {'Z', 'E', 'R', 'O', 'O', 'S', 0, 1};
    uint8_t m[8];
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(m, 1, sizeof(m), f) : 0;

    if (f != NULL) {
        fclose(f);
    }
    return n == sizeof(m) && (memcmp(m, AX_EXPORT_MAGIC, 8) == 0 || memcmp(m, disk_magic, 8) == 0);
}

int zero_open_image(const char *path, struct blk *dev)
{
    struct stat st;
    int err = blk_open(dev, path, HAL_BLK_READ_ONLY);

    if (err != 0) {
        return err;
    }
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size % HAL_BLK_SECTOR != 0 &&
        zero_has_magic(path)) {
        blk_close(dev);
        return ZERR_TRUNCATED;
    }
    return 0;
}
