# services/block: the block layer under the disk format, with fault injection.
LIBS += block
block_SRCS := $(wildcard services/block/*.c)
block_LIBS := base hal
