# tools/zero: the host tool.  Subcommands are tools/zero/cmd_*.c; a component
# that adds one also adds the libraries it needs to zero_CMD_LIBS.
PROGS += zero
zero_SRCS := $(wildcard tools/zero/*.c)
zero_LIBS = $(zero_CMD_LIBS) base hal
zero_PLATFORMS := hosted wasm

ZERO_CMDS := $(sort $(patsubst tools/zero/cmd_%.c,%,$(wildcard tools/zero/cmd_*.c)))
$(GEN)/zero_cmds.h: FORCE
	@mkdir -p $(@D)
	@printf 'ZERO_CMD(%s)\n' $(ZERO_CMDS) > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(O)/obj/tools/zero/main.o: $(GEN)/zero_cmds.h
ALL_TARGETS += $(if $(filter $(PLATFORM),hosted wasm),$(GEN)/zero_cmds.h)
