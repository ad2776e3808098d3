# Jobs on a node: run, commit, show, re-verify (node and host), refusals, tampering.
SCRIPT_TESTS += tests/jobs/jobs.t
BENCH_SCRIPTS += bench/jobs_bench.sh bench/jobs_x86.sh
