/* Double-precision matrix multiply, repeated. */
#include "common.h"

#define N 96
static double a[N][N];
static double b[N][N];
static double c[N][N];

EXPORT uint32_t run(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(i * N + j) / (N * N);
            b[i][j] = (double)(j * N + i) / (N * N) - 0.5;
        }
    }
    for (int rep = 0; rep < 6; rep++) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        a[rep][rep] += c[N - 1 - rep][rep];
    }
    double t = 0;
    for (int i = 0; i < N; i++) {
        t += c[i][i];
    }
    return (uint32_t)(int64_t)(t * 1000.0);
}
