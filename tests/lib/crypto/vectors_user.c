/*
 * cryptotests: the freestanding crypto and CBOR vector tests as a Zero OS
 * user program on the x86_64 kernel.  Runs as init, prints TAP on the
 * console and ends the machine through isa-debug-exit with the status.
 */
#include "tests/lib/crypto/vectors_freestanding.h"
#include "tests/tap.h"
#include "zero/zero.h"

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

int zero_main(uint64_t arg)
{
    (void)arg;
    tap_no_plan();
    crypto_vector_tests();
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}
