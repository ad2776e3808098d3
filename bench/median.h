/* The median of a handful of benchmark samples, shared by the bench
 * programs of every platform.  Sorts v in place (insertion sort: the
 * benches take five to a few dozen samples). */
#ifndef ZERO_BENCH_MEDIAN_H
#define ZERO_BENCH_MEDIAN_H

#include <stdint.h>

static inline uint64_t bench_median(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[n / 2];
}

#endif
