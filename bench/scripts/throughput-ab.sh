#!/usr/bin/env bash
# Whole-process throughput, baseline against this build, interleaved in one run (issue 13).
# usage: throughput-ab.sh BASE_CLI_DLL NEW_CLI (dll or apphost) DATA_DIR ROUNDS [steps]
# DATA_DIR holds files-10000/ and corpus-10000.jsonl, corpus-100000.jsonl (bench: e2e --docs N --dir DATA_DIR --write files|jsonl).
# The datasketch step runs the peer (MinHash + LSH over the same 10k files) once per round, with the baseline.
# Prints one line per run: step, build, wall s, user s, sys s, max RSS KB (from /usr/bin/time).
# Each run waits SETTLE seconds first (default 10): on the benchmark VM memory a process freed moments ago is cheap to
# touch again and memory left free for seconds is not, so back-to-back runs would hand each the previous run's memory
# and time it by what ran before (`Stemma.Bench fresh-memory` measures a machine; docs/benchmarks.md, twenty-fourth pass).
set -u
PEERS=${PEERS:-/work/shared/peers}
SETTLE=${SETTLE:-10}
BASE=$1; NEW=$2; DATA=$3; ROUNDS=${4:-3}; STEPS=${5:-"version extract-files extract-jsonl analyze-100k ingest-files"}
run() { # step build command...
  local step=$1 build=$2; shift 2
  local out; out=$(mktemp)
  sleep "$SETTLE"
  /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" > "$out.stdout" 2>/dev/null
  echo "$step $build $(tail -1 "$out") $( [ "$step" = datasketch ] && cat "$out.stdout")"
  rm -f "$out" "$out.stdout"
}
cli() { case $1 in *.dll) echo "dotnet $1";; *) echo "$1";; esac; }
for round in $(seq 1 "$ROUNDS"); do
  for build in base new; do
    [ $build = base ] && C=$(cli "$BASE") || C=$(cli "$NEW")
    for step in $STEPS; do
      case $step in
        version) run version $build $C --version;;
        extract-files) run extract-files $build $C extract "$DATA/files-10000" --format json;;
        extract-jsonl) run extract-jsonl $build $C extract "$DATA/corpus-100000.jsonl" --format json;;
        analyze-10k) run analyze-10k $build $C analyze "$DATA/corpus-10000.jsonl" --format jsonl;;
        analyze-files) run analyze-files $build $C analyze "$DATA/files-10000" --format jsonl;;
        analyze-100k) run analyze-100k $build $C analyze "$DATA/corpus-100000.jsonl" --format jsonl;;
        ingest-files) rm -f "$DATA"/ab.db*; run ingest-files $build $C ingest "$DATA/files-10000" --db "$DATA/ab.db";;
        datasketch) [ $build = base ] && run datasketch peer env DATASKETCH_SRC="$PEERS/datasketch" /usr/bin/python3 "$PEERS/datasketch_bench.py" "$DATA/files-10000";;
        ingest-10k) rm -f "$DATA"/ab.db*; run ingest-10k $build $C ingest "$DATA/corpus-10000.jsonl" --db "$DATA/ab.db";;
      esac
    done
  done
done
rm -f "$DATA"/ab.db*
