/* Reads what WASI pins: the clock, random bytes, the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("time %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    unsigned char r[16];
    if (getentropy(r, sizeof r) != 0) {
        perror("getentropy");
        return 1;
    }
    printf("random");
    for (size_t i = 0; i < sizeof r; i++) {
        printf(" %02x", r[i]);
    }
    printf("\n");
    for (char **e = environ; *e != NULL; e++) {
        printf("env %s\n", *e);
    }
    return 3;
}
