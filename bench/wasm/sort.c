/* Quicksort of pseudo-random integers, repeated. */
#include "common.h"

#define N 100000
static uint32_t a[N];

static void quicksort(uint32_t *v, int lo, int hi)
{
    while (lo < hi) {
        uint32_t p = v[lo + (hi - lo) / 2];
        int i = lo;
        int j = hi;
        while (i <= j) {
            while (v[i] < p) {
                i++;
            }
            while (v[j] > p) {
                j--;
            }
            if (i <= j) {
                uint32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

EXPORT uint32_t run(void)
{
    uint32_t x = 2463534242u;
    uint32_t sum = 0;
    for (int rep = 0; rep < 2; rep++) {
        for (int i = 0; i < N; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            a[i] = x;
        }
        quicksort(a, 0, N - 1);
        for (int i = 0; i < N; i += 1000) {
            sum = sum * 31 + a[i];
        }
    }
    return sum;
}
