/*
 * zero verify's boots (docs/axiom.md, "Boots"): the boot entries a replay
 * saw, printed after the summary, and with --image checked against the
 * signed boot manifest inside an ISO.
 */
#ifndef ZERO_TOOLS_ZERO_VERIFY_BOOT_H
#define ZERO_TOOLS_ZERO_VERIFY_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "services/axiom/axiom.h"

struct verify_boot {
    uint64_t seq;
    struct ax_boot b;
};

struct verify_boots {
    struct verify_boot *v; /* malloc'd */
    size_t n, cap;
    int oom;
};

/* An ax_entry_fn: keeps every boot entry of the replay (arg: struct verify_boots). */
void verify_boots_entry(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN]);

/* Prints one line per boot seen. */
void verify_boots_print(const struct verify_boots *vb);

/*
 * Checks every boot against the ISO at iso (its signed manifest, verified
 * under release_key, or under the key it names when NULL); prints one line
 * per boot.  Returns the exit status: 0, ZERO_EXIT_NO (a boot that did not
 * run the ISO's images, or a manifest that does not verify) or
 * ZERO_EXIT_USAGE (no manifest in iso).
 */
int verify_boots_image(const struct verify_boots *vb, const char *iso, const uint8_t *release_key);

void verify_boots_free(struct verify_boots *vb);

#endif
