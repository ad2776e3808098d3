/*
 * devtests: the driver and memory system calls (kernel/sysdev.c) with good
 * and hostile arguments.  Runs as init, prints TAP on the console and ends
 * the machine through isa-debug-exit with 0 when every test passed.
 */
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "tests/tap.h"
#include "zero/zero.h"

#define MAP_VA 0x0000200000001000ull /* one page into a fresh page table */
#define DMA_VA 0x0000210000000000ull
#define KERNEL_VA 0xffffffff80200000ull
#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

static int64_t io_in(uint64_t cap, uint64_t port, uint64_t width, uint64_t *v)
{
    struct zsys r = {SYS_IOPORT_IN_WIDE, cap, port, width, 0, 0, 0};
    zsys_raw(&r);
    *v = r.rdi;
    return (int64_t)r.rax;
}

static int64_t io_out(uint64_t cap, uint64_t port, uint64_t width, uint64_t v)
{
    return zsys4(SYS_IOPORT_OUT_WIDE, cap, port, width, v);
}

static int64_t mem_map(uint64_t as, uint64_t va, uint64_t n, uint64_t flags, uint64_t *pa)
{
    struct zsys r = {SYS_MEM_MAP, as, va, n, flags, 0, 0};
    zsys_raw(&r);
    if (pa != NULL) {
        *pa = r.rdi;
    }
    return (int64_t)r.rax;
}

static uint64_t free_frames(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rdi;
}

static void test_ports(void)
{
    uint64_t v = 0;
    /* The host bridge at 00:00.0 answers with a vendor ID on every PC. */
    is_int(io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_ADDR, 4, 0x80000000u), 0,
           "wide_out_writes_pci_config_address");
    is_int(io_in(ZERO_SLOT_PCI_CFG, PCI_CFG_DATA, 4, &v), 0, "wide_in_reads_pci_config_data");
    ok((v & 0xffff) != 0xffff && (v & 0xffff) != 0, "pci_host_bridge_has_a_vendor_id");
    is_int(io_in(ZERO_SLOT_PCI_CFG, PCI_CFG_DATA, 2, &v), 0, "wide_in_reads_16_bits");
    ok(v <= 0xffff, "wide_in_16_bits_fits_16_bits");
    is_int(io_in(ZERO_SLOT_PCI_CFG, PCI_CFG_DATA + 2, 4, &v), ZERR_PERM,
           "wide_in_refuses_a_word_that_crosses_the_capability_end");
    is_int(io_in(ZERO_SLOT_PCI_CFG, 0x60, 1, &v), ZERR_PERM, "wide_in_refuses_port_outside_range");
    is_int(io_out(ZERO_SLOT_PCI_CFG, 0xcf8, 3, 0), ZERR_INVAL, "wide_out_refuses_width_3");
    is_int(io_out(ZERO_SLOT_PCI_CFG, 0xcf8, 8, 0), ZERR_INVAL, "wide_out_refuses_width_8");
    is_int(io_in(ZERO_SLOT_ASPACE, 0xcf8, 4, &v), ZERR_BADCAP, "wide_in_refuses_non_port_cap");
    is_int(io_in(200, 0xcf8, 4, &v), ZERR_BADCAP, "wide_in_refuses_empty_slot");
    is_int(io_in(1ull << 40, 0xcf8, 4, &v), ZERR_BADCAP, "wide_in_refuses_huge_handle");
    is_int(io_in(ZERO_SLOT_PCI_IO, 0x10000, 1, &v), ZERR_PERM, "wide_in_refuses_port_above_64k");
    int64_t ro = zsys4(SYS_CAP_DERIVE, ZERO_SLOT_PCI_CFG, ZERO_SLOT_ANY, CAP_RIGHT_READ, 0);
    ok(ro >= 0, "pci_config_cap_derives_read_only");
    is_int(io_out((uint64_t)ro, PCI_CFG_ADDR, 4, 0x80000000u), ZERR_PERM,
           "wide_out_needs_write_right");
    is_int(io_in((uint64_t)ro, PCI_CFG_DATA, 4, &v), 0, "wide_in_with_read_right");
}

static void test_mem_map(void)
{
    uint64_t before = free_frames();
    is_int(mem_map(ZERO_SLOT_ASPACE, MAP_VA, 300, ZERO_MAP_WRITE, NULL), 0,
           "mem_map_maps_300_pages_with_no_capability_each");
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)MAP_VA;
    ok(p[0] == 0 && p[300 * 512 - 1] == 0, "mem_map_pages_are_zeroed");
    p[300 * 512 - 1] = 42;
    ok(p[300 * 512 - 1] == 42, "mem_map_pages_are_writable");
    ok(before - free_frames() >= 300, "mem_map_takes_frames_from_the_kernel");
    uint64_t mid = free_frames();
    /* The page before MAP_VA (same page table) is free, the next one is not: one page is
     * mapped, then undone. */
    is_int(mem_map(ZERO_SLOT_ASPACE, MAP_VA - 4096ull, 2, ZERO_MAP_WRITE, NULL), ZERR_EXIST,
           "mem_map_refuses_a_range_already_mapped");
    is_int((int64_t)(mid - free_frames()), 0, "mem_map_failure_returns_its_frames");
    is_int(mem_map(ZERO_SLOT_ASPACE, MAP_VA + 1, 1, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_unaligned_address");
    is_int(mem_map(ZERO_SLOT_ASPACE, KERNEL_VA, 1, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_kernel_address");
    is_int(mem_map(ZERO_SLOT_ASPACE, 0x00007fffffffe000ull, 4, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_range_past_user_space");
    is_int(mem_map(ZERO_SLOT_ASPACE, 0, 1, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_page_zero");
    is_int(mem_map(ZERO_SLOT_ASPACE, MAP_VA, 0, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_zero_pages");
    is_int(mem_map(ZERO_SLOT_ASPACE, 0x10000000ull, 1ull << 40, ZERO_MAP_WRITE, NULL), ZERR_RANGE,
           "mem_map_refuses_huge_count");
    is_int(mem_map(ZERO_SLOT_ASPACE, 0x10000000ull, 1, ZERO_MAP_EXEC, NULL), ZERR_INVAL,
           "mem_map_refuses_executable_memory");
    is_int(mem_map(ZERO_SLOT_CONSOLE, 0x10000000ull, 1, ZERO_MAP_WRITE, NULL), ZERR_BADCAP,
           "mem_map_refuses_non_aspace_cap");
    uint64_t pre = free_frames();
    is_int(zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, MAP_VA, 301), ZERR_NOENT,
           "mem_unmap_refuses_a_range_with_a_hole");
    is_int(zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, MAP_VA, 300), 0, "mem_unmap_unmaps");
    is_int((int64_t)(free_frames() - pre), 300, "mem_unmap_returns_the_frames");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, MAP_VA, 1), ZERR_FAULT,
           "mem_unmap_leaves_no_mapping");
    int64_t fr = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    ok(fr >= 0 && zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)fr, MAP_VA, ZERO_MAP_WRITE) == 0,
       "frame_cap_maps_where_mem_map_was");
    is_int(zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, MAP_VA, 1), ZERR_NOENT,
           "mem_unmap_refuses_a_frame_capability_mapping");
    is_int(zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, KERNEL_VA, 1), ZERR_RANGE,
           "mem_unmap_refuses_kernel_address");
    uint64_t pa = 0;
    is_int(mem_map(ZERO_SLOT_ASPACE, DMA_VA, 3, ZERO_MAP_WRITE | ZERO_MAP_DMA, &pa), 0,
           "mem_map_dma_maps_contiguous_pages");
    ok(pa != 0 && (pa & 0xfff) == 0, "mem_map_dma_returns_page_aligned_physical_address");
    is_int(mem_map(ZERO_SLOT_ASPACE, DMA_VA + 0x10000, 17, ZERO_MAP_WRITE | ZERO_MAP_DMA, &pa),
           ZERR_RANGE, "mem_map_dma_refuses_more_than_16_pages");
    uint64_t ro =
        (uint64_t)zsys4(SYS_CAP_DERIVE, ZERO_SLOT_ASPACE, ZERO_SLOT_ANY, CAP_RIGHT_READ, 0);
    ok(mem_map(ro, 0x10000000ull, 1, ZERO_MAP_WRITE, NULL) < 0, "mem_map_needs_write_right");
}

/* devtests.t boots two CPUs. */
static void test_user_hal_cpus(void)
{
    is_int(hal_cpu_count(), 2, "hal_cpu_count_reports_the_cpus_online");
    ok(hal_cpu_id() < hal_cpu_count(), "hal_cpu_id_is_below_the_count");
}

/* The official BLAKE3 vector for 102400 bytes of i % 251 (tests/data/blake3),
 * hashed through the back end the user HAL's CPUID answer selects (SSE4.1
 * at most, the XMM state the kernel's FXSAVE switching keeps; portable under
 * QEMU's TCG, which emulates SSE slowly). */
static void test_blake3_simd(void)
{
    static const uint8_t want[32] = {0xbc, 0x3e, 0x3d, 0x41, 0xa1, 0x14, 0x6b, 0x06,
                                     0x9a, 0xbf, 0xfa, 0xd3, 0xc0, 0xd4, 0x48, 0x60,
                                     0xcf, 0x66, 0x43, 0x90, 0xaf, 0xce, 0x4d, 0x96,
                                     0x61, 0xf7, 0x90, 0x2e, 0x79, 0x43, 0xe0, 0x85};
    enum { LEN = 102400 };
    uint8_t *buf = hal_page_alloc(LEN / HAL_PAGE_SIZE);
    uint8_t got[32];

    unsigned f = hal_cpu_vector_features();
    ok((f & ~HAL_CPU_SSE41) == 0, "user_hal_reports_no_avx");
    ok(strcmp(blake3_backend(), f != 0 ? "sse41" : "portable") == 0,
       "blake3_uses_the_back_end_the_hal_reports");
    tap_diag("blake3 back end: %s", blake3_backend());
    ok(buf != NULL, "blake3_vector_buffer");
    if (buf == NULL) {
        return;
    }
    for (size_t i = 0; i < LEN; i++) {
        buf[i] = (uint8_t)(i % 251);
    }
    blake3_hash(buf, LEN, got);
    ok(memcmp(got, want, sizeof(want)) == 0, "blake3_matches_the_official_vector");
    hal_page_free(buf, LEN / HAL_PAGE_SIZE);
}

int zero_main(uint64_t arg)
{
    (void)arg;
    tap_no_plan();
    test_user_hal_cpus();
    test_ports();
    test_mem_map();
    test_blake3_simd();
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}
