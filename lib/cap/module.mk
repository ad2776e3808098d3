# lib/cap: capability spaces, rights, badges and the derivation tree (the
# rules of docs/kernel.md), used by the kernel and by the hosted service
# runtime, which makes the same checks before dispatching a message.
LIBS += cap
cap_SRCS := lib/cap/cap.c
cap_LIBS := base
