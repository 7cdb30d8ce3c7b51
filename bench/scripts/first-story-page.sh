#!/bin/bash
# First story page after `stemma serve` starts, with and without the warm-up; one fresh process per run.
# Run from the repository root after `dotnet build src/Stemma.Cli`.
S=${STEMMA:-src/Stemma.Cli/bin/Debug/net10.0/stemma}
D=$(mktemp -d); $S ingest samples --db $D/s.db > /dev/null
for run in 1 2 3; do
  for mode in warm cold; do
    flag=""; [ $mode = cold ] && flag="--no-warm-up"
    $S serve --db $D/s.db --urls http://127.0.0.1:5191 $flag > $D/log.txt 2>&1 &
    pid=$!
    # Wait until the server listens (log line), then a fixed 4 s so the warm-up (if any) is over; no request before.
    for i in $(seq 1 100); do grep -q "Now listening\|Application started" $D/log.txt && break; sleep 0.1; done
    # Warm: until the server logs that its warm-up is done. Cold: a fixed 6 s, so neither page competes with start-up.
    if [ $mode = warm ]; then for i in $(seq 1 300); do grep -q "Warm-up done" $D/log.txt && break; sleep 0.1; done; else sleep 6; fi
    first=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:5191/story?id=night-trains%2Fedited.txt")
    second=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:5191/story?id=ledger%2Fblog-repost.txt")
    echo "$mode run $run: first story page ${first}s, a second story ${second}s; $(grep -o 'Warm-up done in [0-9]* ms' $D/log.txt)"
    kill $pid; wait $pid 2>/dev/null
  done
done
rm -rf $D
