/* Sorts the lines of file IN into file OUT (created), then reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sort IN OUT\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1024, n = 0;
    char **lines = malloc(cap * sizeof *lines);
    char buf[4096];
    while (fgets(buf, sizeof buf, in) != NULL) {
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof *lines);
        }
        lines[n++] = strdup(buf);
    }
    fclose(in);
    qsort(lines, n, sizeof *lines, cmp);
    FILE *out = fopen(argv[2], "w");
    if (out == NULL) {
        perror(argv[2]);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        fputs(lines[i], out);
    }
    fclose(out);
    printf("sorted %zu lines of %s into %s\n", n, argv[1], argv[2]);
    return 0;
}
