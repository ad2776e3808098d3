/*
 * Hosted tests of the kernel's ELF64 loader (kernel/elf.c) against hostile
 * images.  Frames and mappings are stubbed: a "physical address" is a host
 * pointer minus PHYS_MAP, so the loader's phys_to_virt lands in our pages.
 */
#include <string.h>

#include "base/errors.h"
#include "kernel/kernel.h"
#include "tap.h"

#define NPAGES 16

static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));
static int pages_used;
static int alloc_limit = NPAGES;

struct mapping {
    uint64_t va;
    uint8_t *page;
    uint32_t flags;
};

static struct mapping maps[NPAGES];
static int nmaps;

uint64_t frame_alloc(void)
{
    if (pages_used >= alloc_limit) {
        return 0;
    }
    memset(pages[pages_used], 0xaa, sizeof(pages[0])); /* the kernel zeroes; check we rely on it */
    memset(pages[pages_used], 0, sizeof(pages[0]));
    return (uint64_t)(uintptr_t)pages[pages_used++] - PHYS_MAP;
}

/* The loader charges its frames to a quota; these tests have none. */
int quota_frame_alloc(struct quota *q, uint64_t *pa)
{
    (void)q;
    *pa = frame_alloc();
    return *pa == 0 ? ZERR_NOMEM : 0;
}

void frame_put(uint64_t pa)
{
    (void)pa;
}

int as_map(struct aspace *as, uint64_t va, uint64_t pa, uint32_t flags)
{
    (void)as;
    for (int i = 0; i < nmaps; i++) {
        if (maps[i].va == va) {
            return ZERR_EXIST;
        }
    }
    maps[nmaps].va = va;
    maps[nmaps].page = phys_to_virt(pa);
    maps[nmaps].flags = flags;
    nmaps++;
    return 0;
}

struct image {
    uint8_t ehdr[64];
    uint8_t phdr[2][56];
    uint8_t text[100];
    uint8_t data[10];
};

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void phdr(uint8_t *p, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
                 uint64_t memsz)
{
    put32(p, 1);
    put32(p + 4, flags);
    put64(p + 8, off);
    put64(p + 16, va);
    put64(p + 24, va);
    put64(p + 32, filesz);
    put64(p + 40, memsz);
    put64(p + 48, 4096);
}

/* A valid image: text RX at 4 MiB (100 bytes), data RW at 4 MiB + 4 KiB (10 of 8192). */
static void make_image(struct image *im)
{
    memset(im, 0, sizeof(*im));
    static const uint8_t ident[8] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    memcpy(im->ehdr, ident, sizeof(ident));
    put16(im->ehdr + 16, 2);
    put16(im->ehdr + 18, 62);
    put32(im->ehdr + 20, 1);
    put64(im->ehdr + 24, 0x400010);
    put64(im->ehdr + 32, 64);
    put16(im->ehdr + 52, 64);
    put16(im->ehdr + 54, 56);
    put16(im->ehdr + 56, 2);
    phdr(im->phdr[0], 5, offsetof(struct image, text), 0x400000, 100, 100);
    phdr(im->phdr[1], 6, offsetof(struct image, data), 0x401000, 10, 8192);
    memset(im->text, 0x90, sizeof(im->text));
    memset(im->data, 0x42, sizeof(im->data));
}

static int load(const struct image *im, uint64_t size, uint64_t *entry)
{
    pages_used = 0;
    nmaps = 0;
    struct aspace as = {0};
    return elf_load(&as, NULL, (const uint8_t *)im, size, entry);
}

static void test_valid(void)
{
    struct image im;
    make_image(&im);
    uint64_t entry = 0;
    is_int(load(&im, sizeof(im), &entry), 0, "elf_loads_valid_image");
    is_int(entry, 0x400010, "elf_returns_entry");
    is_int(nmaps, 3, "elf_maps_every_page_of_each_segment");
    ok(maps[0].va == 0x400000 && maps[0].flags == MAP_EXEC, "elf_maps_text_execute_only");
    ok(maps[1].va == 0x401000 && maps[1].flags == MAP_WRITE, "elf_maps_data_writable_no_exec");
    ok(maps[0].page[99] == 0x90 && maps[0].page[100] == 0, "elf_copies_text_and_zero_fills");
    ok(maps[1].page[9] == 0x42 && maps[1].page[10] == 0 && maps[2].page[0] == 0,
       "elf_zero_fills_bss");
}

/* Loads a corrupted copy of the valid image; expects err and nothing mapped. */
static void expect_reject(void (*corrupt)(struct image *), uint64_t size, int err, const char *name)
{
    struct image im;
    make_image(&im);
    corrupt(&im);
    uint64_t entry = 0;
    int r = load(&im, size, &entry);
    ok(r == err && nmaps == 0, "%s (got %d, %d mapped)", name, r, nmaps);
}

static void bad_magic(struct image *im)
{
    im->ehdr[1] = 'X';
}
static void elf32(struct image *im)
{
    im->ehdr[4] = 1;
}
static void wrong_machine(struct image *im)
{
    put16(im->ehdr + 18, 3);
}
static void phoff_past_end(struct image *im)
{
    put64(im->ehdr + 32, 4000);
}
static void phoff_wraps(struct image *im)
{
    put64(im->ehdr + 32, UINT64_MAX - 15);
}
static void phoff_misaligned(struct image *im)
{
    put64(im->ehdr + 32, 60); /* program headers are read in place: 8-byte aligned */
}
static void too_many_phdrs(struct image *im)
{
    put16(im->ehdr + 56, 1000);
}
static void entry_in_kernel(struct image *im)
{
    put64(im->ehdr + 24, KERNEL_VMA);
}
static void segment_past_file(struct image *im)
{
    put64(im->phdr[1] + 32, 5000);
    put64(im->phdr[1] + 40, 8192);
}
static void segment_offset_wraps(struct image *im)
{
    put64(im->phdr[1] + 8, UINT64_MAX - 4);
}
static void filesz_over_memsz(struct image *im)
{
    put64(im->phdr[0] + 40, 50);
}
static void unaligned_vaddr(struct image *im)
{
    put64(im->phdr[0] + 16, 0x400010);
}
static void segment_in_kernel(struct image *im)
{
    put64(im->phdr[1] + 16, KERNEL_VMA);
}
static void segment_wraps(struct image *im)
{
    put64(im->phdr[1] + 40, UINT64_MAX - 0x1000);
}
static void segment_wx(struct image *im)
{
    put32(im->phdr[1] + 4, 7);
}
static void segment_at_null(struct image *im)
{
    put64(im->phdr[1] + 16, 0);
}
static void nothing(struct image *im)
{
    (void)im;
}

static void test_hostile(void)
{
    expect_reject(bad_magic, sizeof(struct image), ZERR_CORRUPT, "elf_rejects_bad_magic");
    expect_reject(elf32, sizeof(struct image), ZERR_UNSUPPORTED, "elf_rejects_32_bit");
    expect_reject(wrong_machine, sizeof(struct image), ZERR_UNSUPPORTED,
                  "elf_rejects_other_machine");
    expect_reject(nothing, 40, ZERR_CORRUPT, "elf_rejects_truncated_header");
    expect_reject(phoff_past_end, sizeof(struct image), ZERR_TRUNCATED,
                  "elf_rejects_program_headers_past_end");
    expect_reject(phoff_wraps, sizeof(struct image), ZERR_TRUNCATED,
                  "elf_rejects_wrapping_program_header_offset");
    expect_reject(phoff_misaligned, sizeof(struct image), ZERR_CORRUPT,
                  "elf_rejects_misaligned_program_headers");
    expect_reject(too_many_phdrs, sizeof(struct image), ZERR_CORRUPT,
                  "elf_rejects_too_many_program_headers");
    expect_reject(entry_in_kernel, sizeof(struct image), ZERR_RANGE, "elf_rejects_kernel_entry");
    expect_reject(segment_past_file, sizeof(struct image), ZERR_TRUNCATED,
                  "elf_rejects_segment_past_file_end");
    expect_reject(segment_offset_wraps, sizeof(struct image), ZERR_TRUNCATED,
                  "elf_rejects_wrapping_segment_offset");
    expect_reject(filesz_over_memsz, sizeof(struct image), ZERR_CORRUPT,
                  "elf_rejects_filesz_over_memsz");
    expect_reject(unaligned_vaddr, sizeof(struct image), ZERR_CORRUPT,
                  "elf_rejects_unaligned_segment");
    expect_reject(segment_in_kernel, sizeof(struct image), ZERR_RANGE,
                  "elf_rejects_segment_in_kernel_half");
    expect_reject(segment_wraps, sizeof(struct image), ZERR_RANGE, "elf_rejects_wrapping_segment");
    expect_reject(segment_wx, sizeof(struct image), ZERR_PERM,
                  "elf_rejects_writable_executable_segment");
    expect_reject(segment_at_null, sizeof(struct image), ZERR_RANGE,
                  "elf_rejects_segment_at_null_page");
}

static void test_out_of_frames(void)
{
    struct image im;
    make_image(&im);
    uint64_t entry = 0;
    alloc_limit = 2;
    is_int(load(&im, sizeof(im), &entry), ZERR_NOMEM, "elf_reports_out_of_frames");
    alloc_limit = NPAGES;
}

int main(void)
{
    tap_no_plan();
    test_valid();
    test_hostile();
    test_out_of_frames();
    return tap_done();
}
