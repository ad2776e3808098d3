# services/axiom: the Axiom sequencer, state machine, disk format and replay.
LIBS += axiom
axiom_SRCS := $(wildcard services/axiom/*.c)
AXIOM_LIBS := axiom policy identity keys block svcrt kcap crypto cbor base hal
zero_CMD_LIBS += axiom policy identity keys block svcrt kcap
