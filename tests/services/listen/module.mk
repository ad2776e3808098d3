# Tests of services/listen: the framing of the signed-proposal protocol on a serial line.
TESTS += listen_framing
listen_framing_SRCS := tests/services/listen/frame_test.c
listen_framing_LIBS := listen base hal
