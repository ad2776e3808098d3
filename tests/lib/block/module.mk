# Tests of lib/block: bounds, the memory device's cache, injected faults.
TESTS += block_layer
block_layer_SRCS := tests/lib/block/block_test.c
block_layer_LIBS := block base hal
