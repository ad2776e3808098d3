# services/listen: the signed-proposal protocol on a stream without
# connections (frame.c, portable), and on x86_64 its server on COM2, a
# process of its own (x86_64/com2.c; docs/formats.md "Over a serial port").
LIBS += listen
listen_SRCS := services/listen/frame.c
listen_LIBS := base

ifeq ($(PLATFORM),x86_64)
LIBS += listen_com2
listen_com2_SRCS := $(wildcard services/listen/x86_64/*.c)
listen_com2_LIBS := listen axiom crypto svcrt_x86 svcrt zuser base hal
endif

FUZZERS += listen_frame
listen_frame_SRCS := fuzz/listen_frame.c
listen_frame_LIBS := listen base hal
listen_frame_CORPUS := fuzz/corpus/listen_frame
