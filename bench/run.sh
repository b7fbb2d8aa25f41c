#!/usr/bin/env bash
# The side-by-side comparison in one command. Arguments go to org.aioloop.bench.SideBySide:
#   bench/run.sh                      all scenarios, all peers, 3 repeats (about 11 minutes)
#   bench/run.sh --smoke              tiny counts, a few seconds per scenario
#   bench/run.sh --scenarios S1,S4 --peers aioloop-epoll,netty-epoll --repeats 5
#   bench/run.sh --list               scenario ids and peer names
# Results: a table on stdout, bench/results/latest.md and bench/results/latest.png.
# Set BENCH_REBUILD=1 to rebuild bench/target/benchmarks.jar first (the reactor modules it uses
# must be installed in the local Maven repository).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "${BENCH_REBUILD:-}" ]; then
  mvn -B -q -f bench/pom.xml package -DskipTests
fi
exec java -Xms1g -Xmx3g -cp "$jar" org.aioloop.bench.SideBySide "$@"
