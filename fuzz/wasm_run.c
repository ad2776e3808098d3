/*
 * libFuzzer target: loads a module and, when it imports nothing, runs its
 * start function and every exported function that takes no arguments under
 * a small fuel budget and tight limits.  Traps are fine; crashes, hangs and
 * sanitizer reports are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/errors.h"
#include "wasm/internal/wasm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t mod_mem[8 << 20];
    static uint8_t inst_mem[8 << 20];
    static uint8_t exec_mem[1 << 20];
    struct wasm_limits l = {16, 1024, 64, 16384};
    struct wasm_arena a;
    struct wasm_module *m;
    struct wasm_error err;
    wasm_arena_init(&a, mod_mem, sizeof mod_mem);
    if (wasm_module_load(data, size, &a, &l, &m, &err) < 0 || wasm_module_import_count(m) != 0) {
        return 0;
    }
    struct wasm_exec ex;
    wasm_arena_init(&a, exec_mem, sizeof exec_mem);
    if (wasm_exec_init(&ex, &a, &l) < 0) {
        abort();
    }
    if (wasm_instance_arena_size(m, &l) > sizeof inst_mem) {
        return 0;
    }
    struct wasm_instance *inst;
    wasm_arena_init(&a, inst_mem, sizeof inst_mem);
    ex.fuel = 100000;
    if (wasm_instantiate(m, NULL, 0, &a, &l, &ex, &inst, &err) < 0) {
        return 0;
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        struct wasm_extern e;
        if (m->exports[i].kind != WASM_EXTERN_FUNC ||
            wasm_instance_export(inst, m->exports[i].name, m->exports[i].name_len, &e) < 0) {
            continue;
        }
        uint64_t args[16] = {0};
        uint64_t results[64];
        if (e.u.func->type->nparams > 16 || e.u.func->type->nresults > 64) {
            continue;
        }
        ex.fuel = 100000;
        (void)wasm_invoke(&ex, e.u.func, args, results);
    }
    return 0;
}
