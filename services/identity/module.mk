# services/identity: principals, their keys and hierarchy.
LIBS += identity
identity_SRCS := $(wildcard services/identity/*.c)
identity_LIBS := axiom keys svcrt cbor base
