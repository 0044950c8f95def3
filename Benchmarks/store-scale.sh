#!/usr/bin/env bash
# Sweeps at scale through the real binary: wall time, throughput, peak memory (GNU time) and
# bytes per experiment of `capsim sweep` on
#   - the bundled Jilin sweep (Scenarios/jilin-2016/sweeps/threshold-price.yaml), its Latin
#     hypercube scaled to JILIN experiments (samples = JILIN / 2 policies), outcomes only and
#     (up to SERIES_MAX experiments) with series;
#   - the generated national scenario (`capsim generate --preset national --seed 1`), NATIONAL
#     experiments of a 2-parameter Latin hypercube, outcomes only.
# Prints a Markdown table (docs/PERFORMANCE.md, "Store at scale").
#
# Usage: Benchmarks/store-scale.sh [JILIN] [NATIONAL] [SERIES_MAX]
#   defaults 1000000 10000 100000; build first: swift build -c release --product capsim
# Needs GNU time at /usr/bin/time (the peak of a child process run by posix_spawn is not the
# child's own in getrusage of the parent). Everything is written under a temporary folder that is
# removed at the end (a 1M sweep with series would need about 22 GB, hence SERIES_MAX).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CAPSIM:-$root/.build/release/capsim}
jilin=${1:-1000000}
national=${2:-10000}
series_max=${3:-100000}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product capsim" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) not found; apt-get install time" >&2; exit 1; }
[ $((jilin % 2)) -eq 0 ] || { echo "error: JILIN must be even (2 policies)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/capsim-store-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The bundled sweep with its design scaled; everything else as shipped.
jilin_sweep() {
    sed -e "s|^  samples: 5000 |  samples: $1 |" -e "s|^scenario: ../scenario.yaml|scenario: $root/Scenarios/jilin-2016/scenario.yaml|" \
        "$root/Scenarios/jilin-2016/sweeps/threshold-price.yaml" > "$work/jilin-$1.yaml"
    grep -q "samples: $1 " "$work/jilin-$1.yaml" || { echo "error: could not scale the Jilin sweep's samples" >&2; exit 1; }
    echo "$work/jilin-$1.yaml"
}

echo "| Sweep | Store | Experiments | Wall time (s) | Experiments/s | Peak memory (MiB) | Store (MiB) | Bytes per experiment |"
echo "|---|---|---|---|---|---|---|---|"
# run LABEL MODE SWEEP [capsim sweep options…]
run() {
    local label=$1 mode=$2 sweep=$3
    shift 3
    local store="$work/store.sqlite"
    rm -f "$store"
    /usr/bin/time -v -o "$work/time.txt" "$bin" sweep "$sweep" --store "$store" "$@" > "$work/out.txt" 2> "$work/err.txt" \
        || { cat "$work/err.txt" >&2; exit 1; }
    local wall rss line experiments bytes
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
    line=$(grep '^store: ' "$work/out.txt")
    experiments=$(echo "$line" | sed -E 's/.*\(([0-9]+) experiments.*/\1/')
    bytes=$(echo "$line" | sed -E 's/.*, ([0-9]+) bytes per experiment.*/\1/')
    local mib
    mib=$(awk -v b="$(stat -c %s "$store")" 'BEGIN {printf "%.1f", b / 1048576}')
    awk -v l="$label" -v m="$mode" -v n="$experiments" -v w="$wall" -v r="$rss" -v s="$mib" -v b="$bytes" \
        'BEGIN {printf "| %s | %s | %d | %.1f | %.0f | %s | %s | %s |\n", l, m, n, w, n / w, r, s, b}'
    rm -f "$store"
}

sweep=$(jilin_sweep $((jilin / 2)))
run "Jilin threshold-price, scaled" "outcomes only" "$sweep" --outcomes-only
if [ "$jilin" -le "$series_max" ]; then
    run "Jilin threshold-price, scaled" "series kept" "$sweep"
else
    run "Jilin threshold-price, scaled" "series kept" "$(jilin_sweep $((series_max / 2)))"
fi

if [ "$national" -gt 0 ]; then
    "$bin" generate --preset national --seed 1 --out "$work/national" > /dev/null
    cat > "$work/national-sweep.yaml" <<YAML
scenario: $work/national/scenario.yaml
seed: 1
design: {kind: latin_hypercube, samples: $national}
parameters:
  - name: coal_price
    path: sectors.coal.priceIndexByYear
    scale: true
    distribution: {kind: uniform, min: 0.7, max: 1.0}
  - name: steel_price
    path: sectors.steel.priceIndexByYear
    scale: true
    distribution: {kind: uniform, min: 0.8, max: 1.2}
outcomes:
  - {name: coal_closed, metric: capacity_closed, sector: coal, aggregate: sum}
  - {name: peak_unemployed, metric: workers_unemployed, aggregate: max}
YAML
    run "National (generated, 15,000 units)" "outcomes only" "$work/national-sweep.yaml" --outcomes-only
fi
