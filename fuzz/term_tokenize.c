/* libFuzzer target: the terminal's command-line splitter on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/terminal/terminal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char line[TERM_MAX_LINE + 1];
    char *argv[TERM_MAX_ARGS];
    int argc = 0;

    if (size > TERM_MAX_LINE) {
        return 0;
    }
    memcpy(line, data, size);
    line[size] = '\0';
    if (term_tokenize(line, argv, TERM_MAX_ARGS, &argc) == 0) {
        ZASSERT(argc >= 0 && argc <= TERM_MAX_ARGS, "word count within the limit");
        for (int i = 0; i < argc; i++) {
            ZASSERT(argv[i] >= line && argv[i] + strlen(argv[i]) <= line + size,
                    "every word lies inside the input line");
        }
    }
    return 0;
}
