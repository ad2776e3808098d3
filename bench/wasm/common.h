/*
 * Shared by the WebAssembly benchmark programs: each program defines
 * run(), a fixed CPU-bound workload returning a checksum.  Built three ways
 * by bench/wasm/run.sh: wasm32 for Zero's engine and for wasm-interp, and
 * native with a main() that prints the same checksum.
 */
#ifndef ZERO_BENCH_WASM_COMMON_H
#define ZERO_BENCH_WASM_COMMON_H

#include <stdint.h>

uint32_t run(void);

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#include <stdio.h>
#define EXPORT
#ifndef REPS
#define REPS 1
#endif
/* Runs the workload REPS times (the script divides the time by REPS). */
int main(void)
{
    uint32_t r = 0;
    for (int i = 0; i < REPS; i++) {
        r = run();
    }
    printf("%u\n", (unsigned)r);
    return 0;
}
#endif

#endif
