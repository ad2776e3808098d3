/*
 * Path validation: the one place that says why a path is refused.
 */
#include "base/string.h"
#include "services/fs/fs.h"

bool fs_has_nul(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i] == 0) {
            return true;
        }
    }
    return false;
}

/* Why component p[0..n) is not acceptable, or NULL. */
static const char *component_problem(const char *p, size_t n)
{
    if (n == 0) {
        return "empty path component";
    }
    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
        return "'.' and '..' are not allowed in a path";
    }
    if (n > FS_NAME_MAX) {
        return "path component longer than 255 bytes";
    }
    return NULL;
}

const char *fs_path_problem(const char *path, size_t n)
{
    size_t start = 1;

    if (n == 0) {
        return "empty path";
    }
    if (fs_has_nul(path, n)) {
        return "NUL byte in path";
    }
    if (path[0] != '/') {
        return "path must start with /";
    }
    if (n > FS_PATH_MAX) {
        return "path longer than 511 bytes";
    }
    if (n == 1) {
        return NULL;
    }
    for (size_t i = 1; i <= n; i++) {
        if (i == n || path[i] == '/') {
            const char *why = component_problem(path + start, i - start);
            if (why != NULL) {
                return why;
            }
            start = i + 1;
        }
    }
    return NULL;
}
