# lib/block: the block layer under the disk format, with fault injection.
LIBS += block
block_SRCS := $(wildcard lib/block/*.c)
block_LIBS := base hal
