/* Runs the freestanding crypto and CBOR vector tests as a program. */
#include "tests/tap.h"
#include "tests/lib/crypto/vectors_freestanding.h"

int main(void)
{
    tap_no_plan();
    crypto_vector_tests();
    return tap_done();
}
