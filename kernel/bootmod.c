/*
 * Boot modules as read-only data (lib/zero/abi.h): SYS_MODULE_INFO gives a
 * module's size and name, SYS_MODULE_READ copies bytes of it out.  init
 * reads the boot manifest and hashes every image with them before it
 * starts anything (docs/boot.md).  Boot modules are the files of the boot
 * image, no secret: any process may read them, as any may spawn them.
 * SYS_BOOT_ARGS gives the kernel's own command line the same way (the
 * network's test settings read it, docs/net.md).
 */
#include "base/errors.h"
#include "base/string.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/syscall.h"

/* (module, name buffer, its size) -> rdi size in bytes; the name NUL-terminated, cut to fit. */
int64_t sys_module_info(struct thread *t, struct trap_frame *f)
{
    (void)t;
    uint64_t module = frame_arg(f, 0);
    uint64_t cap = frame_arg(f, 2);
    if (module >= boot_info.nmodules) {
        return ZERR_NOENT;
    }
    const struct boot_module *m = &boot_info.modules[module];
    size_t n = strnlen(m->name, sizeof(m->name));
    if (cap != 0) {
        char name[sizeof(m->name) + 1];
        n = n < cap - 1 ? n : (size_t)(cap - 1);
        memcpy(name, m->name, n);
        name[n] = '\0';
        if (copy_to_user(frame_arg(f, 1), name, n + 1) != 0) {
            return ZERR_FAULT;
        }
    }
    frame_set_result(f, 0, m->end - m->start);
    return 0;
}

/* (module, offset, buffer, length) -> bytes copied (at most MODULE_READ_MAX; 0 at the end). */
int64_t sys_module_read(struct thread *t, struct trap_frame *f)
{
    (void)t;
    uint64_t module = frame_arg(f, 0);
    uint64_t off = frame_arg(f, 1);
    uint64_t len = frame_arg(f, 3);
    if (module >= boot_info.nmodules) {
        return ZERR_NOENT;
    }
    const struct boot_module *m = &boot_info.modules[module];
    uint64_t size = m->end - m->start;
    if (off > size) {
        return ZERR_RANGE;
    }
    uint64_t n = size - off < len ? size - off : len;
    n = n < MODULE_READ_MAX ? n : MODULE_READ_MAX;
    if (n != 0 && copy_to_user(frame_arg(f, 2), phys_to_virt(m->start + off), n) != 0) {
        return ZERR_FAULT;
    }
    return (int64_t)n;
}

/* (buffer, size) -> rdi the command line's length; the line NUL-terminated, cut to fit. */
int64_t sys_boot_args(struct thread *t, struct trap_frame *f)
{
    (void)t;
    uint64_t cap = frame_arg(f, 1);
    size_t n = strnlen(boot_info.cmdline, sizeof(boot_info.cmdline));
    if (cap != 0) {
        char line[sizeof(boot_info.cmdline) + 1];
        size_t k = n < cap - 1 ? n : (size_t)(cap - 1);
        memcpy(line, boot_info.cmdline, k);
        line[k] = '\0';
        if (copy_to_user(frame_arg(f, 0), line, k + 1) != 0) {
            return ZERR_FAULT;
        }
    }
    frame_set_result(f, 0, n);
    return 0;
}
