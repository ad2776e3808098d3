/*
 * The `boot` entry (docs/axiom.md, "Boots"; bytes in docs/formats.md): at
 * every start of a measured node the first entry records what ran: the
 * kernel image's hash, the boot manifest's hash, the hash of every image
 * init started (name and BLAKE3, in start order), the CPU count and the
 * boot number (1, 2, ...).  Only the node principal may record a boot, and
 * each boot number must be the next.  The state keeps the boot count and
 * the hash of the last boot's payload (state root key 8).
 */
#ifndef ZERO_SERVICES_AXIOM_BOOT_H
#define ZERO_SERVICES_AXIOM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AX_BOOT_IMAGES_MAX 16
#define AX_BOOT_NAME_MAX 15
#define AX_BOOT_PAYLOAD_MAX 1024 /* largest encoded boot payload */

struct ax_boot_image {
    char name[AX_BOOT_NAME_MAX + 1];
    uint8_t hash[32];
};

struct ax_boot {
    uint64_t number; /* 1 for the first boot of a log */
    uint32_t cpus;
    uint8_t kernel[32];   /* all zero: not measured (a development boot) */
    uint8_t manifest[32]; /* all zero: no boot manifest */
    uint32_t nimages;
    struct ax_boot_image images[AX_BOOT_IMAGES_MAX];
};

/* What the state keeps of boots (state root key 8 while count > 0). */
struct ax_boots {
    uint64_t count;
    uint8_t last[32]; /* BLAKE3 of the last boot entry's payload bytes */
};

struct ax_action;
struct ax_state;
struct cbor_enc;
struct cbor_dec;

/* Encodes b as a boot payload map.  0 with *len, or ZERR_FULL / ZERR_INVAL. */
int ax_boot_encode(const struct ax_boot *b, uint8_t *buf, size_t cap, size_t *len);

/* Decodes a boot payload of exactly len canonical bytes.  0 or ZERR_*. */
int ax_boot_decode(const uint8_t *buf, size_t len, struct ax_boot *b);

/*
 * Fills a as node's proposal to record boot b, its payload encoded into
 * buf (cap bytes; a->data points there).  0 or ZERR_*.
 */
int ax_boot_action(const struct ax_boot *b, const char *node, uint8_t *buf, size_t cap,
                   struct ax_action *a);

/* The structural checks of a boot action against s (decide); 0 or ZERR_* with why. */
int ax_boot_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap);

/* Applies a decided boot action (cannot fail). */
void ax_boot_perform(struct ax_state *s, const struct ax_action *a);

/* One line for zero log and the terminal: "boot #2, 2 cpus, 4 images". */
void ax_boot_describe(const struct ax_action *a, char *out, size_t cap);

/* State root keys this part adds (0 or 1), and writes them (key 8). */
unsigned ax_boot_root_keys(const struct ax_state *s);
void ax_boot_put_root(const struct ax_state *s, struct cbor_enc *e);

/* Reads a boot payload item at the decoder into a (a->data points into the input). */
int ax_boot_get_payload(struct cbor_dec *d, struct ax_action *a);

#endif
