#!/usr/bin/env bash
# The Jilin what-if round trip of the workbench, as a browser makes it: POST the form (2018 mine
# threshold 45: the server writes variants/web-NAME.yaml, runs base and variant, draws the chart,
# builds the workbook), follow the redirect and GET the job page until it shows the comparison.
# Prints each round trip and min/median/max (docs/PERFORMANCE.md, "Workbench"). Usage, from the
# repository root, after `swift build -c release --product capsim`:
#   bash Benchmarks/whatif-roundtrip.sh [RUNS] [path/to/capsim]
# The server serves a temporary copy of Scenarios/jilin-2016, removed at the end.
set -euo pipefail
runs=${1:-20}
capsim=${2:-.build/release/capsim}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/Scenarios"
cp -r Scenarios/jilin-2016 "$work/Scenarios/"
port=$(( 20000 + RANDOM % 20000 ))
"$capsim" serve --port "$port" --workspace "$work" >"$work/server.log" 2>&1 &
server=$!
site="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$site/" >/dev/null && break; sleep 0.1; done
field='lever%3Arules%5Bcoal-under-30%5D.threshold'
times=()
for i in $(seq 0 "$runs"); do
    start=$(date +%s%N)
    job=$(curl -sf -o /dev/null -w '%{redirect_url}' -X POST \
        -H 'Content-Type: application/x-www-form-urlencoded' \
        --data "name=bench$i&$field=45" "$site/whatif?path=Scenarios/jilin-2016/scenario.yaml")
    until page=$(curl -sf "$job") && grep -q '<p id="status">Done' <<<"$page"; do sleep 0.02; done
    end=$(date +%s%N)
    grep -q 'data-sector="coal" data-year="2020">-113<' <<<"$page" || { echo "run $i: no -113 in the comparison" >&2; exit 1; }
    # Run 0 warms the server up and is not counted.
    [ "$i" -gt 0 ] && times+=($(( (end - start) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END {
    printf "what-if round trip, %d runs: min %d ms, median %d ms, max %d ms\n", NR, t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[NR] }'
