#!/bin/sh
# Derives Scenarios/jilin-2020/facilities/{coal-mines,steel,cement,replacement-credit}.csv from the
# end state of the jilin-2016 run (README.md, "How the tables are derived"). Run from the repository
# root after `swift build`:  sh Scenarios/jilin-2020/derive.sh
set -e
out=Scenarios/jilin-2020/facilities
.build/debug/capsim end-state Scenarios/jilin-2016/scenario.yaml --out "$out"
# Keep only the credit of pools that still have a unit: an enterprise whose units all closed can
# never use its credit, and the loader refuses such rows. A pool is (enterprise, sector).
tail -q -n +2 "$out/coal-mines.csv" "$out/steel.csv" "$out/cement.csv" | awk -F, '
    NR == FNR {
        k = $3
        s = (k == "coal_mine") ? "coal" : (k == "blast_furnace") ? "iron" : \
            (k == "converter" || k == "electric_furnace") ? "steel" : (k == "clinker_line") ? "clinker" : "grinding"
        pool[$4 "," s] = 1
        next
    }
    FNR == 1 || (($1 "," $2) in pool)' - "$out/replacement-credit.csv" > "$out/replacement-credit.csv.tmp"
mv "$out/replacement-credit.csv.tmp" "$out/replacement-credit.csv"
