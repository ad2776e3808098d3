# tools/passphrase: reading the operator's passphrase on the host (zero-hosted, zero key).
LIBS += passphrase
passphrase_SRCS := tools/passphrase/passphrase.c
passphrase_PLATFORMS := hosted wasm
zero_CMD_LIBS += passphrase
passphrase_LIBS := base hal
