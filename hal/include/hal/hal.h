/*
 * The Zero OS platform contract (HAL).
 *
 * Portable code reaches the machine only through these functions.  Exactly
 * one platform is compiled in (hosted, x86_64 or wasm), chosen by the build;
 * calls resolve at link time, and hot paths are static inline functions in
 * the platform's own hal/arch.h.  No function-pointer tables.
 *
 * Which platform provides what is tabled in docs/hal.md.  Authority code (the
 * Axiom's apply, the Policy Engine) must never read the clock or the entropy
 * source: those are for execution, scheduling and key generation only.
 */
#ifndef ZERO_HAL_H
#define ZERO_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/arch.h" /* per-platform inline helpers: hal_cpu_relax() ... */

/* ---- console ---------------------------------------------------------- */

/* Writes n bytes to the system console.  Never fails visibly. */
void hal_console_write(const char *s, size_t n);

/*
 * Reads up to n bytes of console input, blocking until at least one byte is
 * there.  Returns the count, 0 at end of input, or a negative ZERR_* code.
 */
long hal_console_read(char *buf, size_t n);

/* ---- memory ------------------------------------------------------------ */

#define HAL_PAGE_SIZE 4096u

/*
 * Returns npages zeroed, page-aligned pages of memory, or NULL when none are
 * left.  Release them with hal_page_free with the same count.
 */
void *hal_page_alloc(size_t npages);
void hal_page_free(void *p, size_t npages);

/* ---- time (execution only; never read from authority code) -------------- */

/* Nanoseconds on a monotonic clock since an arbitrary origin. */
uint64_t hal_clock_ns(void);

/*
 * Blocks until the monotonic clock reaches deadline_ns or an event arrives
 * (console input, an interrupt).  Returns immediately if the deadline passed.
 */
void hal_wait_until(uint64_t deadline_ns);

/* ---- entropy ------------------------------------------------------------ */

/*
 * Fills buf with n bytes from the platform's cryptographic random source.
 * Returns 0, or ZERR_UNSUPPORTED / ZERR_IO when no good source exists: the
 * caller must then refuse to make keys rather than use weak randomness.
 */
int hal_entropy(void *buf, size_t n);

/* ---- block device -------------------------------------------------------- */

#define HAL_BLK_SECTOR 512u

struct hal_blk;

/*
 * Opens the block device named name (hosted and wasm: a file path; x86_64:
 * "disk0" and so on).  If the device does not exist and create_bytes is
 * non-zero, it is created with that size (a multiple of HAL_BLK_SECTOR).
 * create_bytes HAL_BLK_READ_ONLY (hosted and wasm) opens an existing device
 * for reading only: writes to it fail.  A file's last partial sector is not
 * part of the device.  Returns 0 or ZERR_NOENT / ZERR_IO / ZERR_INVAL /
 * ZERR_NOMEM / ZERR_PERM.
 */
#define HAL_BLK_READ_ONLY UINT64_MAX
int hal_blk_open(const char *name, uint64_t create_bytes, struct hal_blk **out);

/* Size of the device in bytes (a multiple of HAL_BLK_SECTOR). */
uint64_t hal_blk_size(const struct hal_blk *b);

/*
 * Reads or writes n bytes at byte offset off; off and n must be multiples of
 * HAL_BLK_SECTOR and lie inside the device.  Writes are not durable until
 * hal_blk_flush returns 0.  Returns 0 or ZERR_INVAL / ZERR_RANGE / ZERR_IO.
 */
int hal_blk_read(struct hal_blk *b, uint64_t off, void *buf, size_t n);
int hal_blk_write(struct hal_blk *b, uint64_t off, const void *buf, size_t n);

/* Makes every completed write durable.  Returns 0 or ZERR_IO. */
int hal_blk_flush(struct hal_blk *b);

void hal_blk_close(struct hal_blk *b);

/* ---- CPU ----------------------------------------------------------------- */

/* Index of the calling CPU (0 .. hal_cpu_count() - 1). */
unsigned hal_cpu_id(void);
unsigned hal_cpu_count(void);

/* ---- stopping ------------------------------------------------------------ */

/* Ends the system (kernel platforms) or the process (hosted, wasm). */
_Noreturn void hal_exit(int status);

/* Reports msg as a fatal internal error and stops; used by zpanic(). */
_Noreturn void hal_panic(const char *msg);

#endif
