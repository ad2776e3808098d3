# web: Zero OS in a web page (docs/web.md).  zero-web is the node as a wasm
# reactor the page's worker drives line by line; `make web` assembles the
# site into build/web/.
PROGS += zero-web
zero-web_SRCS := web/zero-web.c
zero-web_LIBS = $(zero-hosted_SERVICE_LIBS) terminal base hal
zero-web_PLATFORMS := wasm
zero-web_LDLIBS := -mexec-model=reactor
SCRIPT_TESTS += tests/web/web.t
BENCH_SCRIPTS += web/bench.sh
