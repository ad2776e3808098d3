/*
 * Zero OS error codes.
 *
 * Every fallible function in Zero returns 0 on success or a negative ZERR_*
 * code.  Codes are stable: they cross the syscall boundary and appear in
 * logs, so a code is never renumbered, only added.  zerr_name() is the one
 * place that turns a code into text.
 */
#ifndef ZERO_BASE_ERRORS_H
#define ZERO_BASE_ERRORS_H

/* X(name, value, description) */
#define ZERR_LIST(X)                                       \
    X(ZERR_OK, 0, "success")                               \
    X(ZERR_INVAL, -1, "invalid argument")                  \
    X(ZERR_NOMEM, -2, "out of memory")                     \
    X(ZERR_RANGE, -3, "value out of range")                \
    X(ZERR_IO, -4, "input/output error")                   \
    X(ZERR_CORRUPT, -5, "data is corrupted")               \
    X(ZERR_DENIED, -6, "denied by policy")                 \
    X(ZERR_NOENT, -7, "no such entry")                     \
    X(ZERR_EXIST, -8, "already exists")                    \
    X(ZERR_FULL, -9, "no space left")                      \
    X(ZERR_BADSIG, -10, "bad signature")                   \
    X(ZERR_NONCANONICAL, -11, "encoding is not canonical") \
    X(ZERR_TRUNCATED, -12, "input is truncated")           \
    X(ZERR_BADCAP, -13, "invalid capability")              \
    X(ZERR_FAULT, -14, "bad address")                      \
    X(ZERR_UNSUPPORTED, -15, "not supported")              \
    X(ZERR_AGAIN, -16, "try again")                        \
    X(ZERR_BUSY, -17, "resource busy")                     \
    X(ZERR_TIMEOUT, -18, "timed out")                      \
    X(ZERR_TRAP, -19, "execution trapped")                 \
    X(ZERR_LIMIT, -20, "limit exceeded")                   \
    X(ZERR_OVERFLOW, -21, "arithmetic overflow")           \
    X(ZERR_PERM, -22, "operation not permitted")           \
    X(ZERR_NOPRINCIPAL, -23, "unknown principal")

enum zerr {
#define ZERR_ENUM(name, value, text) name = (value),
    ZERR_LIST(ZERR_ENUM)
#undef ZERR_ENUM
};

/* The smallest (most negative) defined code. */
#define ZERR_MIN ZERR_NOPRINCIPAL

/* Returns the symbolic name of code ("ZERR_IO"), or "ZERR_UNKNOWN". */
const char *zerr_name(int code);

/* Returns a short lower-case description of code ("input/output error"). */
const char *zerr_text(int code);

#endif
