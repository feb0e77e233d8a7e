#!/usr/bin/env bash
# Fuzz for SECONDS (default 1800), restarting after a time-out or an out-of-memory stop.
# Findings go to fuzz/findings/ (one file per distinct exception plus its traceback);
# new interesting inputs are added to fuzz/corpus/. Run from the project root.
set -u
total=${1:-1800}
deadline=$(( $(date +%s) + total ))
mkdir -p fuzz/findings fuzz/corpus
while [ "$(date +%s)" -lt "$deadline" ]; do
  left=$(( deadline - $(date +%s) ))
  PUBLISHER_FUZZ_KEEP_GOING=fuzz/findings PUBLISHER_FUZZ_CHECKS=${PUBLISHER_FUZZ_CHECKS:-crash} \
    .venv/bin/python fuzz/fuzz_pipeline.py -dict=fuzz/record.dict -max_len=65536 -timeout=20 \
    -rss_limit_mb=4096 -max_total_time="$left" -print_final_stats=1 \
    -artifact_prefix=fuzz/findings/ fuzz/corpus
done
