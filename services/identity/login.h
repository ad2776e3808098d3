/*
 * Terminal log-in by challenge (docs/identity.md, "Logging in at the
 * console"): the bytes a principal that holds its own key signs to prove
 * it is at the console.
 */
#ifndef ZERO_SERVICES_IDENTITY_LOGIN_H
#define ZERO_SERVICES_IDENTITY_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#define ID_CHALLENGE_LEN 32
#define ID_LOGIN_DOMAIN "Zero OS login v1"
/* The longest login message: domain, NUL, name, NUL, challenge. */
#define ID_LOGIN_MSG_MAX (sizeof(ID_LOGIN_DOMAIN) + 32 + 1 + ID_CHALLENGE_LEN)

/*
 * Writes "Zero OS login v1" NUL, name, NUL, the challenge into out (at
 * least ID_LOGIN_MSG_MAX bytes).  Returns its length, or 0 if name is not
 * a valid principal name.
 */
size_t id_login_message(const char *name, const uint8_t challenge[ID_CHALLENGE_LEN],
                        uint8_t out[ID_LOGIN_MSG_MAX]);

#endif
