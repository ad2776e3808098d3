#include "world.h"

#include <stdlib.h>

#include "base/errors.h"

int ax_world_make(struct ax_world *w, const uint8_t secret[KEYS_SECRET_LEN],
                  const uint8_t disk_id[16])
{
    w->mem = calloc(1, AX_WORLD_DISK);
    if (w->mem == NULL) {
        return ZERR_NOMEM;
    }
    blk_open_mem(&w->dev, w->mem, NULL, AX_WORLD_DISK);
    return ax_format(&w->dev, secret, disk_id, "root");
}

int ax_world_open(struct ax_world *w)
{
    uint8_t secret[KEYS_SECRET_LEN];
    struct ax_layout lay;

    blk_open_mem(&w->dev, w->mem, NULL, AX_WORLD_DISK);
    if (ax_read_super(&w->dev, &lay, secret, NULL, 0) != 0) {
        return -1;
    }
    keys_init(&w->keys, secret);
    return axiom_open(&w->ax, &w->dev, axiom_sign_with_keys, &w->keys, &w->rec);
}
