#!/usr/bin/env bash
# Instructions per facility-scenario-year (fsy) of the capacity engine on 1,000 capacity-only Jilin
# scenarios, from callgrind (docs/PERFORMANCE.md, "Capacity step"). Usage, from Benchmarks/:
#   swift build -c release --product CapacityReport && ./capacity-callgrind.sh .build/release/CapacityReport
# Further arguments go to CapacityReport (`--markets`: the coal market on, docs/MODEL.md §2.7).
# Valgrind 3.19 cannot read the DWARF Swift 6.3 writes, so the binary is copied without its debug
# sections first (symbols stay, so functions are still attributed).
set -euo pipefail
binary=${1:?usage: capacity-callgrind.sh path/to/CapacityReport [--markets]}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/CapacityReport" "$binary"
fsy=$("$work/CapacityReport" --once "$@" | sed -n 's/.* fsy \([0-9]*\),.*/\1/p')
valgrind --tool=callgrind --callgrind-out-file="$work/out" "$work/CapacityReport" --once "$@" >/dev/null 2>&1
callgrind_annotate --inclusive=yes "$work/out" 2>/dev/null | swift demangle --simplified \
  | grep -E 'specialized static Engine.run\(|YearStep\.|Aggregator\.|CompiledPolicy.init|closureEvents|MarketModel\.' \
  | sed 's/([ 0-9.]*%)//' \
  | awk -v fsy="$fsy" '{ n = $1; gsub(",", "", n); $1 = ""; printf "%8.1f instr/fsy %s\n", n / fsy, $0 }' \
  | sed 's/\[[^]]*\]$//' | cut -c1-150
echo "fsy = $fsy"
