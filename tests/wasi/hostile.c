/* Tries what a job may not do: leave its sandbox, call unsupported WASI, spin. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "escape") == 0) {
        FILE *f = fopen("../outside.txt", "r");
        printf("escape %s\n", f == NULL ? strerror(errno) : "opened");
        f = fopen("/sub/../../outside.txt", "r");
        printf("escape2 %s\n", f == NULL ? strerror(errno) : "opened");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "sleep") == 0) {
        int r = usleep(1000);
        printf("usleep %d %s\n", r, r != 0 ? strerror(errno) : "ok");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "trap") == 0) {
        volatile int *p = (int *)0xfffffff0;
        return *p;
    }
    volatile unsigned long n = 0;
    for (;;) {
        n++;
    }
}
