/*
 * Boot information from Multiboot 1 (QEMU -kernel) or Multiboot 2 (GRUB):
 * usable RAM, boot modules, command line, ACPI RSDP.  Everything needed is
 * copied into kernel memory, so the loader's structures may be reused as
 * free frames afterwards.
 */
#include "base/string.h"
#include "bootinfo.h"
#include "x86.h"

#define MB1_MAGIC 0x2BADB002u
#define MB2_MAGIC 0x36d76289u

struct boot_info boot_info;
struct mem_range boot_ram[MAX_RAM_RANGES];
uint32_t boot_nram;

/* Copy of the RSDP (Multiboot 2 hands over a copy inside its tags). */
static uint8_t rsdp_copy[64] __attribute__((aligned(16)));

static void add_ram(uint64_t base, uint64_t len)
{
    if (boot_nram < MAX_RAM_RANGES && len > 0) {
        boot_ram[boot_nram].base = base;
        boot_ram[boot_nram].end = base + len;
        boot_nram++;
        if (base + len > boot_info.mem_top) {
            boot_info.mem_top = base + len;
        }
    }
}

/* Copies the string at pa, reading at most max bytes of it, cut to cap - 1 bytes. */
static void copy_str(char *dst, size_t cap, uint64_t pa, size_t max)
{
    if (pa == 0) {
        dst[0] = 0;
        return;
    }
    const char *s = phys_to_virt(pa);
    size_t n = strnlen(s, cap - 1 < max ? cap - 1 : max);
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* Multiboot 1 strings have no stated length: a loader's NUL ends them. */
#define MB1_STR_MAX SIZE_MAX

static void add_module(uint64_t start, uint64_t end, uint64_t name_pa, size_t name_max)
{
    if (boot_info.nmodules >= MAX_MODULES || end < start) {
        return;
    }
    struct boot_module *m = &boot_info.modules[boot_info.nmodules++];
    m->start = start;
    m->end = end;
    copy_str(m->name, sizeof(m->name), name_pa, name_max);
}

/* Multiboot 1: command line, modules and the memory map from the info block. */
static void parse_mb1(uint64_t pa)
{
    const uint32_t *info = phys_to_virt(pa);
    uint32_t flags = info[0];
    boot_info.loader = "multiboot1";
    if (flags & (1u << 2)) {
        copy_str(boot_info.cmdline, sizeof(boot_info.cmdline), info[4], MB1_STR_MAX);
    }
    if (flags & (1u << 3)) {
        const uint32_t *mods = phys_to_virt(info[6]);
        for (uint32_t i = 0; i < info[5]; i++) {
            add_module(mods[i * 4], mods[i * 4 + 1], mods[i * 4 + 2], MB1_STR_MAX);
        }
    }
    if (flags & (1u << 6)) {
        const uint8_t *p = phys_to_virt(info[12]);
        const uint8_t *end = p + info[11];
        while (p < end) {
            uint32_t size;
            uint64_t base;
            uint64_t len;
            uint32_t type;
            memcpy(&size, p, 4);
            memcpy(&base, p + 4, 8);
            memcpy(&len, p + 12, 8);
            memcpy(&type, p + 20, 4);
            if (type == 1) {
                add_ram(base, len);
            }
            p += size + 4;
        }
    }
}

static void parse_mb2_mmap(const uint8_t *tag, uint32_t size)
{
    uint32_t esize;
    memcpy(&esize, tag + 8, 4);
    if (esize < 24) {
        return;
    }
    for (uint32_t off = 16; off + esize <= size; off += esize) {
        uint64_t base;
        uint64_t len;
        uint32_t type;
        memcpy(&base, tag + off, 8);
        memcpy(&len, tag + off + 8, 8);
        memcpy(&type, tag + off + 16, 4);
        if (type == 1) {
            add_ram(base, len);
        }
    }
}

/* Multiboot 2: walks the tags (command line, modules, memory map, ACPI RSDP). */
static void parse_mb2(uint64_t pa)
{
    const uint8_t *base = phys_to_virt(pa);
    uint32_t total;
    memcpy(&total, base, 4);
    boot_info.loader = "multiboot2";
    for (uint32_t off = 8; off + 8 <= total;) {
        uint32_t type;
        uint32_t size;
        memcpy(&type, base + off, 4);
        memcpy(&size, base + off + 4, 4);
        const uint8_t *tag = base + off;
        /* a tag that runs past the block (or is shorter than its fields) ends the walk */
        if (type == 0 || size < 8 || size > total - off || (type == 3 && size < 16) ||
            (type == 6 && size < 16)) {
            break;
        }
        if (type == 1) {
            copy_str(boot_info.cmdline, sizeof(boot_info.cmdline), pa + off + 8, size - 8);
        } else if (type == 3) {
            uint32_t s;
            uint32_t e;
            memcpy(&s, tag + 8, 4);
            memcpy(&e, tag + 12, 4);
            add_module(s, e, pa + off + 16, size - 16);
        } else if (type == 6) {
            parse_mb2_mmap(tag, size);
        } else if ((type == 14 || type == 15) && boot_info.rsdp == 0) {
            uint32_t n = size - 8 < sizeof(rsdp_copy) ? size - 8 : sizeof(rsdp_copy);
            memcpy(rsdp_copy, tag + 8, n);
            boot_info.rsdp = virt_to_phys(rsdp_copy);
        } else if (type == 15) {
            uint32_t n = size - 8 < sizeof(rsdp_copy) ? size - 8 : sizeof(rsdp_copy);
            memcpy(rsdp_copy, tag + 8, n);
        }
        off += (size + 7) & ~7u;
    }
}

/* Looks for "RSD PTR " on 16-byte boundaries in [start, end). */
static uint64_t scan_rsdp(uint64_t start, uint64_t end)
{
    for (uint64_t pa = start; pa + 20 <= end; pa += 16) {
        const uint8_t *p = phys_to_virt(pa);
        if (memcmp(p, "RSD PTR ", 8) != 0) {
            continue;
        }
        uint8_t sum = 0;
        for (int i = 0; i < 20; i++) {
            sum = (uint8_t)(sum + p[i]);
        }
        if (sum == 0) {
            return pa;
        }
    }
    return 0;
}

/*
 * Fills boot_info and boot_ram from the loader's information at info_pa
 * (through the direct map); scans the BIOS areas for the RSDP if none was given.
 */
void bootinfo_parse(uint32_t magic, uint64_t info_pa)
{
    if (magic == MB1_MAGIC) {
        parse_mb1(info_pa);
    } else if (magic == MB2_MAGIC) {
        parse_mb2(info_pa);
    } else {
        boot_info.loader = "unknown";
    }
    if (boot_info.rsdp == 0) {
        uint16_t ebda_seg;
        memcpy(&ebda_seg, phys_to_virt(0x40e), 2);
        uint64_t ebda = (uint64_t)ebda_seg << 4;
        if (ebda >= 0x80000 && ebda < 0xa0000) {
            boot_info.rsdp = scan_rsdp(ebda, ebda + 1024);
        }
        if (boot_info.rsdp == 0) {
            boot_info.rsdp = scan_rsdp(0xe0000, 0x100000);
        }
    }
}
