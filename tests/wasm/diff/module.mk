# The differential test of lib/wasm against V8: a harness that runs every
# export of a module on Zero's engine (v8_run.js does the same on Node),
# the generators and the comparison (diff.sh), run by diff.t in make test
# and for longer by make soak.
PROGS += wasm_diff_zero
wasm_diff_zero_SRCS := tests/wasm/diff/zero_run.c
wasm_diff_zero_LIBS := wasm base hal
wasm_diff_zero_PLATFORMS := hosted
SCRIPT_TESTS += tests/wasm/diff/diff.t
SOAK_SCRIPTS += tests/wasm/diff/soak.sh
