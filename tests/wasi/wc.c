/* A word counter: lines, words and bytes of each file named, or of stdin. */
#include <stdio.h>

static int count(FILE *f, const char *name)
{
    long lines = 0, words = 0, bytes = 0;
    int in_word = 0, c;
    while ((c = getc(f)) != EOF) {
        bytes++;
        lines += c == '\n';
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    printf("%7ld %7ld %7ld %s\n", lines, words, bytes, name);
    return ferror(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc < 2) {
        return count(stdin, "-");
    }
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            perror(argv[i]);
            status = 1;
            continue;
        }
        status |= count(f, argv[i]);
        fclose(f);
    }
    return status;
}
