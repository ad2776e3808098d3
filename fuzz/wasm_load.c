/*
 * libFuzzer target: the WebAssembly decoder, validator and compiler.  Any
 * input must be accepted or refused with an error code, never crash, and
 * a refused module must say why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/errors.h"
#include "wasm/wasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t arena_mem[8 << 20];
    struct wasm_arena a;
    struct wasm_module *m;
    struct wasm_error err;
    size_t n = wasm_module_arena_size(data, size);
    wasm_arena_init(&a, arena_mem, n < sizeof arena_mem ? n : sizeof arena_mem);
    int rc = wasm_module_load(data, size, &a, NULL, &m, &err);
    if (rc < 0 && err.msg == NULL) {
        abort(); /* every refusal carries a reason */
    }
    if (rc == ZERR_NOMEM && n <= sizeof arena_mem) {
        abort(); /* wasm_module_arena_size covers every load */
    }
    return 0;
}
