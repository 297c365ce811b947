#!/usr/bin/env bash
# Charts a shared/bench/compare.sh run as a PNG and prints a Markdown table.
#   scripts/bench-chart.sh DIR [OUT.png] [TITLE]
# DIR is the folder compare.sh prints as "raw lines: DIR" (it holds tl.jsonl and
# peer.jsonl); OUT defaults to docs/bench.png in the repository.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: scripts/bench-chart.sh DIR [OUT.png] [TITLE]}
out=${2:-$root/docs/bench.png}
for f in tl.jsonl peer.jsonl; do
  [ -f "$dir/$f" ] || { echo "bench-chart: $dir/$f not found" >&2; exit 1; }
done
# shellcheck source=scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"
find_jdk || exit 1
mkdir -p "$(dirname "$out")"
"$TASKLANE_JAVA_HOME/bin/java" -Djava.awt.headless=true "$root/scripts/BenchChart.java" \
  "$dir/tl.jsonl" "$dir/peer.jsonl" "$out" "${@:3}"
echo "bench-chart: wrote $out" >&2
