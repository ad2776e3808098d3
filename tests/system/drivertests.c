/*
 * drivertests: the virtio-blk driver process (drivers/virtio-blk/server.c)
 * with good and hostile requests, and the user HAL's block device through
 * it.  Runs as init with a 16 MiB virtio disk, spawns itself as the driver,
 * prints TAP and ends the machine through isa-debug-exit with 0 when every
 * test passed.
 */
#include "base/errors.h"
#include "base/string.h"
#include "drivers/virtio-blk/server.h"
#include "hal/hal.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "services/init/x86_64/init.h"
#include "svcrt/x86_64/rtx.h"
#include "tests/tap.h"
#include "zero/zero.h"

#define ROLE_DRIVER 1
#define BUF_VA 0x0000500000000000ull
#define HAL_BUF_VA 0x0000510000000000ull
#define DISK_BYTES (16ull << 20)

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

static int64_t give(uint64_t ep, uint64_t cap, uint64_t op, uint64_t arg)
{
    struct zmsg m = {.w = {op, arg, 0, 0}};
    int64_t r = zero_call(ep, cap, &m);
    return r != 0 ? r : (int64_t)m.w[0];
}

/*
 * Spawns a driver and hands it the PCI ports, as init does; its endpoint or
 * ZERR_*, its thread in *th.  A driver serves one client channel.
 */
static int64_t start_driver(int64_t *th)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    struct zsys r = {SYS_SPAWN, 0, ROLE_DRIVER, (uint64_t)ep, ZERO_CAP_NONE, 0, 0};
    zsys_raw(&r);
    *th = (int64_t)r.rax;
    if (ep < 0 || (int64_t)r.rax < 0) {
        return ep < 0 ? ep : (int64_t)r.rax;
    }
    int64_t e = give((uint64_t)ep, ZERO_SLOT_PCI_CFG, GIVE_SLOT, ZERO_SLOT_PCI_CFG);
    e = e != 0 ? e : give((uint64_t)ep, ZERO_SLOT_PCI_IO, GIVE_SLOT, ZERO_SLOT_PCI_IO);
    e = e != 0 ? e : give((uint64_t)ep, ZERO_CAP_NONE, GIVE_DONE, 0);
    return e != 0 ? e : ep;
}

static void test_driver_process(uint64_t ep)
{
    static struct rtx_chan c;
    size_t out = 0;
    uint64_t size = 0;
    is_int(rtx_call(&c, ep, VBLK_OP_SIZE, 0, 0, 0, &out), ZERR_INVAL,
           "channel_refuses_calls_before_it_is_open");
    is_int(rtx_open(&c, ep, BUF_VA), 0, "driver_channel_opens");
    is_int(rtx_call(&c, ep, VBLK_OP_SIZE, 0, 0, 0, &out), 0, "driver_reports_size");
    memcpy(&size, c.buf, sizeof(size));
    ok(out == 8 && size == DISK_BYTES, "driver_size_is_the_disk_size");
    for (size_t i = 0; i < 1024; i++) {
        c.buf[i] = (uint8_t)(i * 13 + 5);
    }
    is_int(rtx_call(&c, ep, VBLK_OP_WRITE, 4096, 0, 1024, &out), 0, "driver_writes_two_sectors");
    is_int(rtx_call(&c, ep, VBLK_OP_FLUSH, 0, 0, 0, &out), 0, "driver_flushes");
    memset(c.buf, 0, 1024);
    is_int(rtx_call(&c, ep, VBLK_OP_READ, 4096, 1024, 0, &out), 0, "driver_reads_them_back");
    ok(out == 1024 && c.buf[0] == 5 && c.buf[1023] == (uint8_t)(1023 * 13 + 5),
       "driver_read_returns_what_was_written");
    is_int(rtx_call(&c, ep, VBLK_OP_READ, 100, 512, 0, &out), ZERR_INVAL,
           "driver_refuses_an_unaligned_offset");
    is_int(rtx_call(&c, ep, VBLK_OP_READ, 0, 100, 0, &out), ZERR_INVAL,
           "driver_refuses_an_unaligned_length");
    is_int(rtx_call(&c, ep, VBLK_OP_READ, DISK_BYTES, 512, 0, &out), ZERR_RANGE,
           "driver_refuses_a_read_past_the_end");
    is_int(rtx_call(&c, ep, VBLK_OP_WRITE, DISK_BYTES - 512, 0, 1024, &out), ZERR_RANGE,
           "driver_refuses_a_write_across_the_end");
    is_int(rtx_call(&c, ep, VBLK_OP_READ, UINT64_MAX - 511, 512, 0, &out), ZERR_RANGE,
           "driver_refuses_an_offset_that_wraps");
    is_int(rtx_call(&c, ep, VBLK_OP_READ, 0, RTX_BUF_LEN + 512, 0, &out), ZERR_RANGE,
           "driver_refuses_a_read_larger_than_the_buffer");
    is_int(rtx_call(&c, ep, 99, 0, 0, 0, &out), ZERR_UNSUPPORTED,
           "driver_refuses_an_unknown_operation");
    struct zmsg raw = {.w = {VBLK_OP_WRITE, 1ull << 40, 0, 0}};
    ok(zero_call(ep, ZERO_CAP_NONE, &raw) == 0 && (int64_t)raw.w[0] == ZERR_INVAL,
       "driver_refuses_a_huge_request_length");
}

static void test_hal_through_driver(uint64_t ep)
{
    static uint8_t data[64 * 1024];
    static uint8_t back[64 * 1024];
    struct hal_blk *b = NULL;
    hal_blk_use_driver(ep, HAL_BUF_VA);
    is_int(hal_blk_open("disk1", 0, &b), ZERR_NOENT, "hal_remote_has_only_disk0");
    is_int(hal_blk_open("disk0", 0, &b), 0, "hal_opens_disk0_through_the_driver");
    if (b == NULL) {
        return;
    }
    ok(hal_blk_size(b) == DISK_BYTES, "hal_size_through_the_driver");
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i ^ (i >> 8));
    }
    is_int(hal_blk_write(b, 1 << 20, data, sizeof(data)), 0, "hal_writes_64k_in_several_calls");
    is_int(hal_blk_flush(b), 0, "hal_flushes_through_the_driver");
    is_int(hal_blk_read(b, 1 << 20, back, sizeof(back)), 0, "hal_reads_64k_back");
    is_mem(back, data, sizeof(data), "hal_read_matches_the_write");
    is_int(hal_blk_read(b, DISK_BYTES, back, 512), ZERR_RANGE, "hal_read_past_the_end_fails");
}

int zero_main(uint64_t arg)
{
    if (arg == ROLE_DRIVER) {
        struct init_given g;
        return node_take_boot_caps(&g) != 0 ? 2 : vblk_serve(0, ZERO_SLOT_EP, BUF_VA);
    }
    tap_no_plan();
    int64_t th = -1;
    int64_t ep = start_driver(&th);
    ok(ep >= 0, "driver_process_starts_with_the_pci_ports");
    if (ep >= 0) {
        test_driver_process((uint64_t)ep);
        zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
        ep = start_driver(&th); /* a fresh driver resets the device for the HAL's channel */
        ok(ep >= 0, "a_second_driver_takes_over_the_device");
        test_hal_through_driver((uint64_t)ep);
    }
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}
