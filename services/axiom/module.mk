# services/axiom: the Axiom sequencer, state machine, disk format and replay.
LIBS += axiom
axiom_SRCS := $(wildcard services/axiom/*.c)
axiom_LIBS := fs policy identity keys block svcrt job crypto cbor base hal
zero_CMD_LIBS += axiom

TESTS += axiom_core
axiom_core_SRCS := tests/services/axiom/axiom_test.c
axiom_core_LIBS := axiom crypto base hal

TESTS += axiom_tamper axiom_crash
axiom_tamper_SRCS := tests/services/axiom/tamper_test.c
axiom_tamper_LIBS := axiom crypto base hal
axiom_crash_SRCS := tests/services/axiom/crash_test.c
axiom_crash_LIBS := axiom crypto base hal

SCRIPT_TESTS += tests/tools/zero_hosted.t tests/tools/zero_verify.t tests/tools/zero_hosted_wasm.t
SCRIPT_TESTS += tests/tools/zero_snapshot.t
# zero prune, and zero verify over an export plus a pruned disk.
SCRIPT_TESTS += tests/tools/zero_prune.t
# An independent verifier in JavaScript, written from docs/, agrees with zero verify.
SCRIPT_TESTS += tests/tools/verify_js.t

FUZZERS += axiom_entry disk_record
axiom_entry_SRCS := fuzz/axiom_entry.c
axiom_entry_LIBS := axiom crypto base hal
axiom_entry_CORPUS := fuzz/corpus/axiom_entry
disk_record_SRCS := fuzz/disk_record.c
disk_record_LIBS := axiom crypto base hal
disk_record_CORPUS := fuzz/corpus/disk_record
# zero verify's entry point over any export or disk (fuzz/axiom_image.c says how)
FUZZERS += axiom_image
axiom_image_SRCS := fuzz/axiom_image.c
axiom_image_LIBS := axiom crypto base hal
axiom_image_CORPUS := fuzz/corpus/axiom_image

BENCHES += bench_axiom
bench_axiom_SRCS := bench/axiom_bench.c
bench_axiom_LIBS := axiom crypto base hal
bench_axiom_LDLIBS := -lsqlite3 -lpthread

TESTS += axiom_merkle
axiom_merkle_SRCS := tests/services/axiom/merkle_test.c
axiom_merkle_LIBS := axiom crypto base hal

TESTS += axiom_group
axiom_group_SRCS := tests/services/axiom/group_test.c
axiom_group_LIBS := axiom crypto base hal
axiom_group_LDLIBS := -lpthread

TESTS += axiom_proof axiom_replay
axiom_proof_SRCS := tests/services/axiom/proof_test.c
axiom_proof_LIBS := axiom crypto base hal
axiom_replay_SRCS := tests/services/axiom/replay_test.c
axiom_replay_LIBS := axiom crypto base hal
SCRIPT_TESTS += tests/tools/zero_verify_proof.t

# The same state machine, codec, recovery and tamper tests as wasm32 under Node.
WASM_TESTS += axiom_core axiom_tamper axiom_crash axiom_merkle axiom_proof

TESTS += axiom_boot
axiom_boot_SRCS := tests/services/axiom/boot_test.c tests/services/axiom/world.c
axiom_boot_LIBS := axiom crypto base hal

# The filesystem's entries: commit, refusals, policy on paths, quotas, replay, proofs.
TESTS += axiom_fs
axiom_fs_SRCS := tests/services/axiom/fs_entries_test.c
axiom_fs_LIBS := axiom crypto base hal
WASM_TESTS += axiom_fs

# The file proof decoder and verifier (zero fs check).
FUZZERS += fs_proof
fs_proof_SRCS := fuzz/fs_proof.c
fs_proof_LIBS := axiom crypto base hal
fs_proof_CORPUS := fuzz/corpus/fs_proof

TESTS += axiom_svc
axiom_svc_SRCS := tests/services/axiom/svc_test.c tests/services/axiom/world.c
axiom_svc_LIBS := axiom crypto base hal
# Proposers bound to principals by their capability's badge.
FUZZERS += axiom_bind_req
axiom_bind_req_SRCS := fuzz/axiom_bind.c
axiom_bind_req_LIBS := axiom svcrt crypto base hal
axiom_bind_req_CORPUS := fuzz/corpus/axiom_bind
TESTS += axiom_bind
axiom_bind_SRCS := tests/services/axiom/bind_test.c tests/services/axiom/world.c
axiom_bind_LIBS := axiom svcrt crypto base hal

# State snapshots: a replay continues from any batch's snapshot file to the same root.
TESTS += axiom_snapshot
axiom_snapshot_SRCS := tests/services/axiom/snapshot_test.c
axiom_snapshot_LIBS := axiom crypto base hal
WASM_TESTS += axiom_snapshot
FUZZERS += axiom_snapshot_file
axiom_snapshot_file_SRCS := fuzz/axiom_snapshot.c
axiom_snapshot_file_LIBS := axiom crypto base hal
axiom_snapshot_file_CORPUS := fuzz/corpus/axiom_snapshot

# Start-up over a long log from genesis and from a snapshot.
BENCHES += bench_snapshot
bench_snapshot_SRCS := bench/snapshot_bench.c
bench_snapshot_LIBS := axiom crypto base hal

TESTS += axiom_proc
axiom_proc_SRCS := tests/services/axiom/proc_test.c tests/services/axiom/world.c
axiom_proc_LIBS := axiom crypto base hal

# Log segment headers and the segment scan of a format-2 disk.
FUZZERS += log_segments
log_segments_SRCS := fuzz/log_segments.c
log_segments_LIBS := axiom crypto base hal
log_segments_CORPUS := fuzz/corpus/log_segments
