/* init's boot plan (see boot_plan.h). */
#include "services/init/x86_64/boot_plan.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/init/x86_64/init.h"
#include "release_key.h" /* BOOT_RELEASE_KEY: generated from build/release-dev.key */
#include "zero/zero.h"

/*
 * The boot record's frame, in init and in the node: the last page of the
 * 2 MiB the program image starts in (0x400000, lib/zero/user.ld), whose page
 * tables exist already, so the record costs init one frame, which comes
 * back at the end (tests/system/keystests.c counts them).
 */
#define BOOT_RECORD_VA 0x00000000005ff000ull
#define MODULE_NAME_MAX 64

static const uint8_t release_key[MF_PUB_LEN] = BOOT_RELEASE_KEY;
static uint8_t chunk[64 * 1024]; /* one SYS_MODULE_READ */

/* Copies a name that fits (checked by the manifest decoder or a literal). */
static void name_copy(char *dst, const char *src)
{
    memcpy(dst, src, strlen(src) + 1);
}

static void hex8(const uint8_t *h, char out[9])
{
    zfmt_hex(out, h, 4);
}

/* Boot module called name (its GRUB command line's last path part), or ZERR_NOENT. */
static int64_t module_find(const char *name, uint64_t *size)
{
    char mname[MODULE_NAME_MAX] = "";
    for (uint64_t i = 0;; i++) {
        struct zsys r = {SYS_MODULE_INFO, i, (uint64_t)(uintptr_t)mname, sizeof(mname), 0, 0, 0};
        zsys_raw(&r);
        if ((int64_t)r.rax != 0) {
            return ZERR_NOENT;
        }
        const char *base = mname;
        for (const char *c = mname; *c != '\0'; c++) {
            base = *c == '/' ? c + 1 : base;
        }
        if (strcmp(base, name) == 0) {
            *size = r.rdi;
            return (int64_t)i;
        }
    }
}

/* BLAKE3 of boot module mod (size bytes) into out; 0 or ZERR_*. */
static int module_hash(uint64_t mod, uint64_t size, uint8_t out[32])
{
    blake3_hasher h;
    uint64_t off = 0;
    blake3_init(&h);
    while (off < size) {
        int64_t n = zsys4(SYS_MODULE_READ, mod, off, (uint64_t)(uintptr_t)chunk, sizeof(chunk));
        if (n <= 0) {
            return n < 0 ? (int)n : ZERR_TRUNCATED;
        }
        blake3_update(&h, chunk, (size_t)n);
        off += (uint64_t)n;
    }
    blake3_finalize(&h, out, 32);
    return 0;
}

/* Reads the manifest module (size bytes) into buf and checks its signature. */
static int manifest_read(struct boot_plan *p, uint64_t mod, uint64_t size, uint8_t *buf)
{
    struct mf_signed s;
    uint64_t off = 0;
    if (size > MF_FILE_SIZE_MAX) {
        return ZERR_LIMIT;
    }
    while (off < size) {
        int64_t n = zsys4(SYS_MODULE_READ, mod, off, (uint64_t)(uintptr_t)(buf + off), size - off);
        if (n <= 0) {
            return n < 0 ? (int)n : ZERR_TRUNCATED;
        }
        off += (uint64_t)n;
    }
    blake3_hash(buf, (size_t)size, p->rec.manifest);
    int err = mf_signed_decode(buf, (size_t)size, &s);
    return err != 0 ? err : mf_signed_verify(&s, release_key, &p->m);
}

/* Adds program name (role arg, up to two dependencies) from module 0 to a development plan. */
static void plan_dev_add(struct boot_plan *p, const char *name, uint64_t arg, const char *dep1,
                         const char *dep2, bool restart)
{
    struct mf_program *q = &p->m.p[p->m.nprograms];
    name_copy(q->name, name);
    name_copy(q->image, "init");
    q->arg = arg;
    q->restartable = restart;
    if (dep1 != NULL) {
        name_copy(q->deps[q->ndeps++], dep1);
    }
    if (dep2 != NULL) {
        name_copy(q->deps[q->ndeps++], dep2);
    }
    p->module[p->m.nprograms++] = 0;
}

/*
 * A development boot: no manifest, every program from module 0, nothing
 * hashed.  What is restarted is init's own choice, as before manifests
 * declared it: the node's services, not the network processes, the COM2
 * listener or the jobs service (docs/boot.md "Restarts").
 */
static void plan_dev(struct boot_plan *p, const struct init_roles *roles)
{
    zprintf("init: no boot manifest: a development boot, images not verified, no boot entry\n");
    plan_dev_add(p, "keys", roles->keys, NULL, NULL, true);
    if (roles->driver != 0) {
        plan_dev_add(p, "driver", roles->driver, NULL, NULL, true);
    }
    if (roles->netdrv != 0 && roles->net != 0) {
        plan_dev_add(p, "netdrv", roles->netdrv, NULL, NULL, false);
        plan_dev_add(p, "net", roles->net, "netdrv", NULL, false);
    }
    plan_dev_add(p, "node", roles->node, "keys", roles->driver != 0 ? "driver" : NULL, true);
    if (roles->terminal != 0) { /* one process per service (split.c) */
        plan_dev_add(p, "identity", roles->identity, "keys", "node", true);
        plan_dev_add(p, "policy", roles->policy, "node", NULL, true);
        if (roles->jobs != 0) {
            plan_dev_add(p, "jobs", roles->jobs, "node", NULL, false);
        }
        if (roles->com2 != 0) { /* before the terminal: its lines come before the prompt */
            plan_dev_add(p, "com2", roles->com2, "node", NULL, false);
        }
        plan_dev_add(p, "terminal", roles->terminal, "identity", "policy", true);
    }
    int bad = 0;
    (void)mf_order(&p->m, &bad); /* at most three programs, no cycle */
}

/* Checks image of program i against the manifest; stores its module or a refusal. */
static void plan_check_image(struct boot_plan *p, uint32_t i)
{
    const struct mf_program *q = &p->m.p[i];
    uint8_t h[32];
    char want[9], got[9];
    uint64_t size = 0;
    int64_t mod = module_find(q->image, &size);
    int err = mod < 0 ? (int)mod : module_hash((uint64_t)mod, size, h);
    if (err != 0) {
        zprintf("init: %s: no image %s in the boot image (%s): not started\n", q->name, q->image,
                zerr_name(err));
        p->module[i] = err;
    } else if (memcmp(h, q->hash, 32) != 0) {
        hex8(q->hash, want);
        hex8(h, got);
        zprintf("init: %s: image %s is b3:%s..., the manifest says b3:%s...: tampered, not "
                "started\n",
                q->name, q->image, got, want);
        p->module[i] = ZERR_BADSIG;
    } else {
        p->module[i] = (int32_t)mod;
    }
}

/* Checks the kernel image (a boot module of the same file GRUB loaded). */
static void plan_check_kernel(struct boot_plan *p)
{
    uint64_t size = 0;
    int64_t mod = module_find(p->m.kernel, &size);
    int err = mod < 0 ? (int)mod : module_hash((uint64_t)mod, size, p->rec.kernel);
    if (err != 0) {
        zprintf("init: kernel image %s not among the boot modules: not measured\n", p->m.kernel);
        memset(p->rec.kernel, 0, 32);
    } else if (memcmp(p->rec.kernel, p->m.kernel_hash, 32) != 0) {
        zprintf("init: kernel image %s differs from the manifest: starting nothing\n", p->m.kernel);
        for (uint32_t i = 0; i < p->m.nprograms; i++) {
            p->module[i] = ZERR_BADSIG;
        }
    }
}

int boot_plan_load(struct boot_plan *p, const struct init_roles *roles)
{
    static uint8_t buf[MF_FILE_SIZE_MAX];
    uint64_t size = 0;
    uint64_t t0 = zero_ticks();
    memset(p, 0, sizeof(*p));
    p->record_frame = ZERR_NOENT;
    struct zsys r = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    p->rec.cpus = (uint32_t)r.rsi;
    int64_t mod = module_find("manifest", &size);
    if (mod < 0) {
        plan_dev(p, roles);
        return 0;
    }
    p->measured = true;
    int err = manifest_read(p, (uint64_t)mod, size, buf);
    if (err != 0) {
        zprintf("init: boot manifest refused (%s): %s; starting nothing\n", zerr_name(err),
                err == ZERR_BADSIG ? "its signature does not verify under the release key"
                : err == ZERR_PERM ? "signed by another key than the release key"
                                   : "it does not decode");
        return err == ZERR_PERM ? ZERR_BADSIG : err;
    }
    p->trusted = true;
    char key[9];
    hex8(release_key, key);
    zprintf("init: boot manifest signature good (release key %s...), %u programs\n", key,
            (unsigned)p->m.nprograms);
    for (uint32_t i = 0; i < p->m.nprograms; i++) {
        plan_check_image(p, i);
    }
    plan_check_kernel(p);
    uint64_t ms = (zero_ticks() - t0) * 10; /* 10 ms ticks */
    zprintf("init: manifest and images checked in %llu ms\n", (unsigned long long)ms);
    return 0;
}

bool boot_plan_restartable(const struct boot_plan *p, uint64_t role)
{
    for (uint32_t i = 0; i < p->m.nprograms; i++) {
        if (p->m.p[i].arg == role && role != 0) {
            return p->m.p[i].restartable;
        }
    }
    return false;
}

const struct mf_program *boot_plan_next(const struct boot_plan *p, uint32_t k)
{
    return k < p->m.nprograms ? &p->m.p[p->m.order[k]] : NULL;
}

int64_t boot_plan_module(const struct boot_plan *p, const struct mf_program *prog)
{
    int i = mf_find(&p->m, prog->name);
    if (i < 0 || p->module[i] < 0) {
        return ZERR_PERM; /* plan_check_image said why */
    }
    for (uint32_t d = 0; d < prog->ndeps; d++) {
        if (!p->started[mf_find(&p->m, prog->deps[d])]) {
            zprintf("init: %s: needs %s, which did not start: not started\n", prog->name,
                    prog->deps[d]);
            return ZERR_PERM;
        }
    }
    return p->module[i];
}

void boot_plan_started(struct boot_plan *p, const struct mf_program *prog, uint64_t th)
{
    int i = mf_find(&p->m, prog->name);
    struct zsys r = {SYS_CAP_INFO, th, 0, 0, 0, 0, 1};
    char h[9];
    if (th != ZERO_CAP_NONE) {
        zsys_raw(&r);
    }
    hex8(prog->hash, h);
    if (p->measured) {
        zprintf("init: started %s, pid %llu, image %s b3:%s...\n", prog->name,
                (unsigned long long)r.r9, prog->image, h);
    } else {
        zprintf("init: started %s, pid %llu, image %s (unverified)\n", prog->name,
                (unsigned long long)r.r9, prog->image);
    }
    p->started[i] = true;
    if (p->record_frame < 0 && p->rec.nimages < AX_BOOT_IMAGES_MAX) {
        struct ax_boot_image *im = &p->rec.images[p->rec.nimages++];
        name_copy(im->name, prog->name);
        memcpy(im->hash, prog->hash, 32);
    }
}

int64_t boot_plan_record_cap(struct boot_plan *p, const struct mf_program *prog)
{
    if (!p->measured) {
        return ZERR_NOENT; /* a development boot records no boot */
    }
    if (p->rec.nimages < AX_BOOT_IMAGES_MAX) { /* the node's own image, about to start */
        struct ax_boot_image *im = &p->rec.images[p->rec.nimages++];
        name_copy(im->name, prog->name);
        memcpy(im->hash, prog->hash, 32);
    }
    int64_t fr = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    p->record_frame = fr;
    int64_t r =
        fr < 0 ? fr
               : zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)fr, BOOT_RECORD_VA, ZERO_MAP_WRITE);
    if (r != 0) {
        return r;
    }
    _Static_assert(sizeof(struct ax_boot) <= 4096, "the boot record fits one frame");
    memcpy((void *)(uintptr_t)BOOT_RECORD_VA, &p->rec, sizeof(p->rec));
    return zsys4(SYS_CAP_DERIVE, (uint64_t)fr, ZERO_SLOT_ANY, CAP_RIGHT_READ, 0);
}

void boot_plan_end(struct boot_plan *p)
{
    if (p->record_frame >= 0) {
        zsys3(SYS_UNMAP, (uint64_t)p->record_frame, 0, 0);
        zsys3(SYS_CAP_REVOKE, (uint64_t)p->record_frame, 0, 0);
        zsys3(SYS_CAP_DELETE, (uint64_t)p->record_frame, 0, 0);
        p->record_frame = ZERR_NOENT;
    }
}

int boot_record_take(uint64_t cap, struct ax_boot *out)
{
    int64_t r = zsys4(SYS_MAP, ZERO_SLOT_ASPACE, cap, BOOT_RECORD_VA, 0);
    if (r != 0) {
        return (int)r;
    }
    memcpy(out, (const void *)(uintptr_t)BOOT_RECORD_VA, sizeof(*out));
    if (out->nimages > AX_BOOT_IMAGES_MAX || out->cpus == 0) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < out->nimages; i++) {
        out->images[i].name[AX_BOOT_NAME_MAX] = '\0';
    }
    return 0;
}
