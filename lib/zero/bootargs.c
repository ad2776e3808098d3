/* Words of the kernel's command line (see zero.h). */
#include "base/errors.h"
#include "base/string.h"
#include "zero/zero.h"

int zero_boot_arg(const char *key, char *out, uint64_t cap)
{
    char line[256] = "";
    size_t k = strlen(key);
    if (zsys3(SYS_BOOT_ARGS, (uint64_t)(uintptr_t)line, sizeof(line), 0) < 0) {
        return ZERR_NOENT;
    }
    for (const char *p = line; *p != '\0';) {
        while (*p == ' ') {
            p++;
        }
        const char *end = p;
        while (*end != '\0' && *end != ' ') {
            end++;
        }
        if ((size_t)(end - p) > k && strncmp(p, key, k) == 0 && p[k] == '=') {
            size_t n = (size_t)(end - p) - k - 1;
            if (n + 1 > cap) {
                return ZERR_RANGE;
            }
            memcpy(out, p + k + 1, n);
            out[n] = '\0';
            return (int)n;
        }
        p = end;
    }
    return ZERR_NOENT;
}
