# bench: benchmarks of the base library (others live beside their components).
BENCHES += bench_fmt
bench_fmt_SRCS := bench/fmt_bench.c
bench_fmt_LIBS := base hal
BENCH_SCRIPTS += bench/platforms.sh
