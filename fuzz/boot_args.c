/*
 * libFuzzer target: the boot command-line parser of user programs,
 * zero_boot_arg (lib/zero/bootargs.c), on any command line the kernel may
 * hand over (SYS_BOOT_ARGS, kernel/bootmod.c) and any key.  The system call
 * is replaced by a copy of what the kernel's handler does (the line cut to
 * the buffer, NUL-terminated), so the parser itself is what runs.
 *
 * Input: one byte n, then n bytes of key (NUL bytes end it as in C), then
 * the command line (cut at its first NUL, at most 127 bytes as the kernel
 * keeps).  Nothing may crash; the answer must be the one an independent
 * reading of the line gives: the value of the first space-separated word
 * that starts with KEY=, NUL-terminated within the output buffer, or
 * ZERR_NOENT when there is none, ZERR_RANGE when it does not fit.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "zero/zero.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CMDLINE_MAX 128 /* boot_info.cmdline in kernel/kernel.h */

static char fuzz_cmdline[CMDLINE_MAX];

/* SYS_BOOT_ARGS as kernel/bootmod.c answers it: (buffer, size) -> the line cut to fit. */
static int64_t fuzz_boot_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    (void)a2;
    ZASSERT(nr == SYS_BOOT_ARGS, "zero_boot_arg makes only SYS_BOOT_ARGS");
    size_t n = strnlen(fuzz_cmdline, sizeof(fuzz_cmdline));
    if (a1 != 0) {
        size_t k = n < a1 - 1 ? n : (size_t)(a1 - 1);
        memcpy((char *)(uintptr_t)a0, fuzz_cmdline, k);
        ((char *)(uintptr_t)a0)[k] = '\0';
    }
    return 0;
}

/* The parser under test, with its system call answered above. */
#define zsys3 fuzz_boot_syscall
#include "lib/zero/bootargs.c"
#undef zsys3

/* The value of the first word of line that starts with key and '=', or NULL; its length in *n. */
static const char *fuzz_reference(const char *line, const char *key, size_t *n)
{
    size_t k = strlen(key);
    const char *p = line;

    while (*p != '\0') {
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t w = 0;
        while (p[w] != '\0' && p[w] != ' ') {
            w++;
        }
        if (w > k && memcmp(p, key, k) == 0 && p[k] == '=') {
            *n = w - k - 1;
            return p + k + 1;
        }
        p += w;
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char key[256];
    char out[64];
    size_t klen, n = 0;

    if (size < 1 || size - 1 < data[0]) {
        return 0;
    }
    klen = data[0];
    memcpy(key, data + 1, klen);
    key[klen] = '\0';
    size_t rest = size - 1 - klen;
    rest = rest < sizeof(fuzz_cmdline) - 1 ? rest : sizeof(fuzz_cmdline) - 1;
    memcpy(fuzz_cmdline, data + 1 + klen, rest);
    fuzz_cmdline[rest] = '\0';

    /* a small buffer too, so the too-long answer is reached */
    size_t cap = (klen & 1) != 0 ? 8 : sizeof(out);
    memset(out, 0x55, sizeof(out));
    int got = zero_boot_arg(key, out, cap);
    const char *want = fuzz_reference(fuzz_cmdline, key, &n);
    if (want == NULL) {
        ZASSERT(got == ZERR_NOENT, "no KEY= word: ZERR_NOENT");
    } else if (n + 1 > cap) {
        ZASSERT(got == ZERR_RANGE, "a value longer than the buffer: ZERR_RANGE");
    } else {
        ZASSERT(got >= 0 && (size_t)got == n, "the value's length is returned");
        ZASSERT(memcmp(out, want, n) == 0 && out[n] == '\0', "the first KEY= word's value");
    }
    for (size_t i = cap; i < sizeof(out); i++) {
        ZASSERT((uint8_t)out[i] == 0x55, "nothing written past the buffer's size");
    }
    return 0;
}
