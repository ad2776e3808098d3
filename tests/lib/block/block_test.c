/*
 * The block layer: bounds and alignment of every request, the memory
 * device's volatile cache (writes reach the durable image only at a flush),
 * the three injected faults, and a file device through the HAL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/errors.h"
#include "block/block.h"
#include "tap.h"

#define SECTORS 8u
#define SIZE (SECTORS * BLK_SECTOR)

static uint8_t mem[SIZE], durable[SIZE];
static uint8_t buf[4 * BLK_SECTOR];

/* A fresh memory device over zeroed images, its cache and durable image both. */
static void fresh(struct blk *b)
{
    memset(mem, 0, sizeof(mem));
    memset(durable, 0, sizeof(durable));
    blk_open_mem(b, mem, durable, SIZE);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static void test_bounds(void)
{
    struct blk b;

    fresh(&b);
    is_int((int64_t)blk_size(&b), SIZE, "block_memory_device_has_the_given_size");
    is_int(blk_read(&b, 1, buf, BLK_SECTOR), ZERR_INVAL, "block_rejects_unaligned_offset");
    is_int(blk_read(&b, 0, buf, 100), ZERR_INVAL, "block_rejects_partial_sector_length");
    is_int(blk_write(&b, BLK_SECTOR / 2, buf, BLK_SECTOR), ZERR_INVAL,
           "block_rejects_unaligned_write");
    is_int(blk_read(&b, SIZE, buf, BLK_SECTOR), ZERR_RANGE, "block_rejects_read_past_the_end");
    is_int(blk_write(&b, SIZE - BLK_SECTOR, buf, 2 * BLK_SECTOR), ZERR_RANGE,
           "block_rejects_write_that_crosses_the_end");
    is_int(blk_read(&b, UINT64_MAX - BLK_SECTOR + 1, buf, BLK_SECTOR), ZERR_RANGE,
           "block_rejects_offset_that_would_wrap");
    is_int(blk_read(&b, SIZE, buf, 0), 0, "block_empty_read_at_the_end_is_allowed");
    is_int((int64_t)b.ops, 0, "block_refused_requests_are_not_counted");

    blk_open_mem(&b, mem, NULL, SIZE + 100);
    is_int((int64_t)blk_size(&b), SIZE, "block_memory_device_rounds_down_to_whole_sectors");
}

static void test_volatile_cache(void)
{
    struct blk b;

    fresh(&b);
    memset(buf, 0xab, BLK_SECTOR);
    is_int(blk_write(&b, BLK_SECTOR, buf, BLK_SECTOR), 0, "block_write_succeeds");
    memset(buf, 0, BLK_SECTOR);
    is_int(blk_read(&b, BLK_SECTOR, buf, BLK_SECTOR), 0, "block_read_succeeds");
    ok(all_bytes(buf, BLK_SECTOR, 0xab), "block_read_sees_an_unflushed_write");
    ok(all_bytes(durable, SIZE, 0), "block_unflushed_write_is_not_durable");
    is_int(blk_flush(&b), 0, "block_flush_succeeds");
    ok(all_bytes(durable + BLK_SECTOR, BLK_SECTOR, 0xab) && all_bytes(durable, BLK_SECTOR, 0),
       "block_flush_makes_exactly_the_written_sector_durable");
}

static void test_fault_fail(void)
{
    struct blk b;

    fresh(&b);
    memset(buf, 0x11, BLK_SECTOR);
    blk_set_fault(&b, 2, BLK_FAULT_FAIL);
    is_int(blk_write(&b, 0, buf, BLK_SECTOR), 0, "block_fault_spares_operations_before_it");
    is_int(blk_write(&b, BLK_SECTOR, buf, BLK_SECTOR), ZERR_IO, "block_fault_fail_is_an_io_error");
    ok(all_bytes(mem + BLK_SECTOR, BLK_SECTOR, 0), "block_failed_write_writes_nothing");
    is_int(blk_write(&b, BLK_SECTOR, buf, BLK_SECTOR), 0,
           "block_device_works_after_a_failed_write");
    blk_set_fault(&b, 1, BLK_FAULT_FAIL);
    is_int(blk_flush(&b), ZERR_IO, "block_fault_fail_hits_a_flush_too");
    ok(all_bytes(durable, SIZE, 0), "block_failed_flush_makes_nothing_durable");
    is_int(blk_flush(&b), 0, "block_flush_works_after_a_failed_flush");
}

static void test_fault_cut(uint8_t mode, const char *name)
{
    struct blk b;
    char label[96];

    fresh(&b);
    memset(buf, 0x22, sizeof(buf));
    blk_set_fault(&b, 1, mode);
    is_int(blk_write(&b, 0, buf, sizeof(buf)), ZERR_IO, name);
    bool first =
        all_bytes(mem, 2 * BLK_SECTOR, 0x22) && all_bytes(mem + 2 * BLK_SECTOR, 2 * BLK_SECTOR, 0);
    bool second =
        all_bytes(mem, 2 * BLK_SECTOR, 0) && all_bytes(mem + 2 * BLK_SECTOR, 2 * BLK_SECTOR, 0x22);
    snprintf(label, sizeof(label), "%s_lands_one_half_of_the_sectors", name);
    ok(mode == BLK_FAULT_CUT ? first : second, "%s", label);
    snprintf(label, sizeof(label), "%s_leaves_the_device_dead", name);
    ok(blk_read(&b, 0, buf, BLK_SECTOR) == ZERR_IO &&
           blk_write(&b, 0, buf, BLK_SECTOR) == ZERR_IO && blk_flush(&b) == ZERR_IO,
       "%s", label);
}

static void test_fault_cut_single_sector(void)
{
    struct blk b;

    fresh(&b);
    memset(buf, 0x33, BLK_SECTOR);
    blk_set_fault(&b, 1, BLK_FAULT_CUT_REORDER);
    is_int(blk_write(&b, 0, buf, BLK_SECTOR), ZERR_IO, "block_cut_of_one_sector_fails");
    ok(all_bytes(mem, BLK_SECTOR, 0), "block_reordered_cut_of_one_sector_writes_nothing");
    fresh(&b);
    blk_set_fault(&b, 1, BLK_FAULT_CUT);
    is_int(blk_flush(&b), ZERR_IO, "block_cut_at_a_flush_fails_it");
    is_int(blk_write(&b, 0, buf, BLK_SECTOR), ZERR_IO, "block_cut_at_a_flush_kills_the_device");
    fresh(&b);
    blk_set_fault(&b, 0, BLK_FAULT_FAIL);
    is_int(blk_write(&b, 0, buf, BLK_SECTOR), 0, "block_fault_at_zero_means_no_fault");
}

static void test_file_device(void)
{
    char path[] = "/tmp/zero-block-test-XXXXXX";
    int fd = mkstemp(path);
    struct blk b;

    if (fd < 0) {
        tap_skip(5, "no temporary file");
        return;
    }
    close(fd);
    unlink(path);
    is_int(blk_open(&b, path, SIZE), 0, "block_file_device_is_created_with_its_size");
    is_int((int64_t)blk_size(&b), SIZE, "block_file_device_reports_its_size");
    memset(buf, 0x44, BLK_SECTOR);
    ok(blk_write(&b, 3 * BLK_SECTOR, buf, BLK_SECTOR) == 0 && blk_flush(&b) == 0,
       "block_file_device_writes_and_flushes");
    blk_close(&b);
    memset(buf, 0, BLK_SECTOR);
    ok(blk_open(&b, path, 0) == 0 && blk_read(&b, 3 * BLK_SECTOR, buf, BLK_SECTOR) == 0 &&
           all_bytes(buf, BLK_SECTOR, 0x44),
       "block_file_device_keeps_its_data_after_reopening");
    is_int(blk_read(&b, SIZE, buf, BLK_SECTOR), ZERR_RANGE, "block_file_device_checks_bounds");
    blk_close(&b);
    unlink(path);
}

int main(void)
{
    tap_no_plan();
    test_bounds();
    test_volatile_cache();
    test_fault_fail();
    test_fault_cut(BLK_FAULT_CUT, "block_cut");
    test_fault_cut(BLK_FAULT_CUT_REORDER, "block_reordered_cut");
    test_fault_cut_single_sector();
    test_file_device();
    return tap_done();
}
