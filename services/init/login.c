/* The operator's passphrase check behind the terminal's login (node.h). */
#include "base/errors.h"
#include "crypto/ct.h"
#include "services/init/node.h"
#include "services/keys/slot.h"

int node_check_passphrase(void *ctx, const char *pass, size_t len)
{
    struct node *n = ctx;
    uint8_t slot[KEYSLOT_LEN];
    uint8_t root[KEYS_SECRET_LEN];
    int err = ax_read_keyslot(n->dev, &n->axiom.ax.lay, slot);

    if (err == 0 && keyslot_check(slot, n->axiom.ax.lay.node_pub) != KEYSLOT_PASSPHRASE) {
        err = ZERR_UNSUPPORTED;
    }
    if (err == 0) {
        err = keyslot_open(slot, pass, len, root);
    }
    secure_zero(root, sizeof(root));
    secure_zero(slot, sizeof(slot));
    return err;
}
