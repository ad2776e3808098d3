/*
 * Private to services/cas: index lookups and verified loads shared by the
 * store and the scrub.
 */
#ifndef ZERO_SERVICES_CAS_INTERNAL_H
#define ZERO_SERVICES_CAS_INTERNAL_H

#include "services/cas/cas.h"

/* The index slot holding hash, or the empty slot where it would go. */
struct cas_obj *cas_slot(const struct cas *c, const uint8_t hash[CAS_HASH]);

/* The index slot holding hash, or NULL. */
struct cas_obj *cas_find(const struct cas *c, const uint8_t hash[CAS_HASH]);

/* Reads data object o into buf (room for o->len bytes) and checks its hash;
 * on failure marks o damaged.  Returns 0, ZERR_CORRUPT or the space's error. */
int cas_load(struct cas *c, struct cas_obj *o, uint8_t *buf);

/* The buffer a data object of len bytes is loaded into, or NULL if none is
 * large enough. */
uint8_t *cas_buf_for(const struct cas *c, uint32_t len);

/* Loads, verifies and decodes the chunk list of file object o into
 * c->list_buf; on failure *f (may be NULL) names the list. */
int cas_load_list(struct cas *c, const struct cas_obj *o, struct cas_list *l, struct cas_fault *f);

#endif
