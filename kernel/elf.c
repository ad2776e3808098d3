/*
 * ELF64 loader for boot modules.  Decode first: the header, every program
 * header and every segment range are checked against the image and the user
 * half before anything is mapped.  Loadable segments must start on a page
 * boundary, must not be both writable and executable (W^X), and must not
 * share pages.
 */
#include "base/check.h"
#include "base/errors.h"
#include "base/string.h"
#include "kernel/kernel.h"

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};

struct elf64_phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

/* Checks the ELF header and that the program headers lie in the image. */
static int check_header(const struct elf64_ehdr *h, uint64_t size)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    uint64_t ph_end;
    if (size < sizeof(*h) || memcmp(h->ident, magic, 4) != 0) {
        return ZERR_CORRUPT;
    }
    if (h->ident[4] != 2 || h->ident[5] != 1 || h->type != 2 || h->machine != 62) {
        return ZERR_UNSUPPORTED;
    }
    if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > 16 ||
        h->phoff % 8 != 0) {
        return ZERR_CORRUPT;
    }
    if (zck_add_u64(h->phoff, (uint64_t)h->phnum * sizeof(struct elf64_phdr), &ph_end) ||
        ph_end > size) {
        return ZERR_TRUNCATED;
    }
    if (h->entry < USER_MIN || h->entry >= USER_MAX) {
        return ZERR_RANGE;
    }
    return 0;
}

/* Checks one loadable segment against the image, the user half and W^X. */
static int check_segment(const struct elf64_phdr *ph, uint64_t size)
{
    uint64_t file_end;
    uint64_t mem_end;
    if (ph->memsz == 0 && ph->filesz == 0) {
        return 0; /* empty segment: nothing to load */
    }
    if (ph->filesz > ph->memsz || (ph->vaddr & (PAGE_SIZE - 1)) != 0) {
        return ZERR_CORRUPT;
    }
    if (zck_add_u64(ph->offset, ph->filesz, &file_end) || file_end > size) {
        return ZERR_TRUNCATED;
    }
    if (zck_add_u64(ph->vaddr, ph->memsz, &mem_end) || ph->vaddr < USER_MIN ||
        mem_end > USER_MAP_MAX) {
        return ZERR_RANGE;
    }
    if ((ph->flags & PF_W) && (ph->flags & PF_X)) {
        return ZERR_PERM;
    }
    return 0;
}

/* Copies one checked segment into fresh frames and maps them. */
static int load_segment(struct aspace *as, struct quota *q, const uint8_t *image,
                        const struct elf64_phdr *ph)
{
    uint32_t flags = ((ph->flags & PF_W) ? MAP_WRITE : 0) | ((ph->flags & PF_X) ? MAP_EXEC : 0);
    for (uint64_t off = 0; off < ph->memsz; off += PAGE_SIZE) {
        uint64_t pa = 0;
        int fr = quota_frame_alloc(q, &pa);
        if (fr != 0) {
            return fr;
        }
        if (off < ph->filesz) {
            uint64_t n = ph->filesz - off < PAGE_SIZE ? ph->filesz - off : PAGE_SIZE;
            memcpy(phys_to_virt(pa), image + ph->offset + off, n);
        }
        int r = as_map(as, ph->vaddr + off, pa, flags);
        frame_put(pa);
        if (r != 0) {
            return r;
        }
    }
    return 0;
}

int elf_load(struct aspace *as, struct quota *q, const uint8_t *image, uint64_t size,
             uint64_t *entry)
{
    const struct elf64_ehdr *h = (const struct elf64_ehdr *)image;
    int r = check_header(h, size);
    if (r != 0) {
        return r;
    }
    const struct elf64_phdr *ph = (const struct elf64_phdr *)(image + h->phoff);
    for (uint16_t i = 0; i < h->phnum; i++) {
        if (ph[i].type == PT_LOAD && (r = check_segment(&ph[i], size)) != 0) {
            return r;
        }
    }
    for (uint16_t i = 0; i < h->phnum; i++) {
        if (ph[i].type == PT_LOAD && (r = load_segment(as, q, image, &ph[i])) != 0) {
            return r;
        }
    }
    *entry = h->entry;
    return 0;
}
