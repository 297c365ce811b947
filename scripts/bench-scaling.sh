#!/usr/bin/env bash
# The scaling shape, from ./tasklane bench: end-to-end throughput with 1, 2 and 4
# worker processes around one gateway, and start latency at offered loads of 200,
# 1,000 and 5,000 tasks/s. Prints the JSON lines, then a Markdown table.
#   scripts/bench-scaling.sh [OUT.jsonl]       (env: N=10000, the bench's other knobs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp)}
: > "$out"
for workers in 1 2 4; do
  echo "[scaling] e2e with $workers worker process(es)" >&2
  (cd "$root" && CASES=tl_e2e_noop_c50 RUNS=1 N=${N:-10000} WORKER_PROCESSES=$workers ./tasklane bench) >> "$out"
done
for rate in 200 1000 5000; do
  echo "[scaling] light latency at $rate tasks/s" >&2
  (cd "$root" && CASES=tl_latency_light_c50 RUNS=1 LIGHT_RATE=$rate LIGHT_N=$((rate * 3)) ./tasklane bench) >> "$out"
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| run | jobs/s | start p50 ms | start p99 ms | done p99 ms |")
print("|---|---|---|---|---|")
for r in rows:
    m = r["median"]
    label = (f"e2e, {int(m['worker_processes'])} worker process(es)" if r["case"] == "tl_e2e_noop_c50"
             else f"light, {int(m['rate_per_s'])} tasks/s offered")
    print(f"| {label} | {m.get('jobs_per_s', '')} | {m['lat_start_p50_ms']} | {m['lat_start_p99_ms']} "
          f"| {m['lat_done_p99_ms']} |")
PY
echo "raw lines: $out" >&2
