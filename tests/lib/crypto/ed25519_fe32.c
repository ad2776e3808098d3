/*
 * Ed25519 built with the radix 2^25.5 field, the representation wasm32
 * uses, so that the hosted test checks it against the RFC vectors and
 * libsodium.  Linked ahead of libcrypto, these definitions of
 * ed25519_pubkey/sign/verify replace the library's.
 */
#define ZERO_ED25519_FE32 1
#include "lib/crypto/ed25519.c"
