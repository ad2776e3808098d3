# tests/tools: zero-forge, which forges logs and disks that break one
# documented rule each (and mutants of valid ones), for forged.t: both
# verifiers must reach the documents' verdict, and the same one.
PROGS += zero-forge
zero-forge_SRCS := tests/tools/forge.c tests/tools/forge_cases.c tests/tools/forge_fuzz.c
zero-forge_LIBS = $(AXIOM_LIBS)
zero-forge_PLATFORMS := hosted
SCRIPT_TESTS += tests/tools/forged.t
