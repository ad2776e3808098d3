# services/terminal: the command-line terminal service.
LIBS += terminal
terminal_SRCS := $(wildcard services/terminal/*.c)
terminal_LIBS := fs axiom identity policy svcrt jobsmsg job crypto net base hal

TESTS += terminal_tokenize
WASM_TESTS += terminal_tokenize
terminal_tokenize_SRCS := tests/services/terminal/tokenize_test.c
terminal_tokenize_LIBS := terminal base hal

FUZZERS += term_tokenize
term_tokenize_SRCS := fuzz/term_tokenize.c
term_tokenize_LIBS := terminal base hal
term_tokenize_CORPUS := fuzz/corpus/term_tokenize
SCRIPT_TESTS += tests/tools/zero_login.t
