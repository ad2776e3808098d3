/*
 * Key files: 64 lower-case hex digits of the Ed25519 seed and a newline,
 * mode 0600.
 */
#include "tools/zero/key_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/errors.h"
#include "crypto/ct.h"

#define KEY_FILE_LEN (2 * ED25519_SEED_LEN + 1)

int key_file_write(const char *path, const uint8_t seed[ED25519_SEED_LEN])
{
    static const char digits[] = "0123456789abcdef";
    char text[KEY_FILE_LEN];
    for (int i = 0; i < ED25519_SEED_LEN; i++) {
        text[2 * i] = digits[seed[i] >> 4];
        text[2 * i + 1] = digits[seed[i] & 15];
    }
    text[KEY_FILE_LEN - 1] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        return errno == EEXIST ? ZERR_EXIST : ZERR_IO;
    }
    ssize_t n = write(fd, text, sizeof(text));
    int err = n == (ssize_t)sizeof(text) && fsync(fd) == 0 ? 0 : ZERR_IO;
    secure_zero(text, sizeof(text));
    if (close(fd) != 0 && err == 0) {
        err = ZERR_IO;
    }
    return err;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int key_file_read(const char *path, uint8_t seed[ED25519_SEED_LEN])
{
    char text[KEY_FILE_LEN + 1];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return errno == ENOENT ? ZERR_NOENT : ZERR_IO;
    }
    ssize_t n = read(fd, text, sizeof(text));
    close(fd);
    int err = n == KEY_FILE_LEN && text[KEY_FILE_LEN - 1] == '\n' ? 0 : ZERR_CORRUPT;
    for (int i = 0; err == 0 && i < ED25519_SEED_LEN; i++) {
        int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            err = ZERR_CORRUPT;
        } else {
            seed[i] = (uint8_t)(hi << 4 | lo);
        }
    }
    secure_zero(text, sizeof(text));
    return n < 0 ? ZERR_IO : err;
}
