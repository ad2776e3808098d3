# hal/hosted: the platform layer of Zero OS as a Linux process.
ifeq ($(PLATFORM),hosted)
LIBS += hal
hal_SRCS := $(wildcard hal/hosted/*.c)
hal_LIBS := base
endif
