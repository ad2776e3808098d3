/* Superblock and key slot encoders (docs/formats.md). */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_DISK_H
#define ZERO_SERVICES_AXIOM_INTERNAL_DISK_H

#include <stdint.h>

#include "services/axiom/log.h"

void ax_super_encode(const struct ax_layout *lay, uint8_t blk[AX_BLOCK]);
void ax_keyslot_encode(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[ID_PUB_LEN],
                       uint8_t blk[AX_BLOCK]);

#endif
