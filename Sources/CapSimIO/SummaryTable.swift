import CapSimCore

/// The short table `capsim run` prints: per sector, capacity at the base year, capacity closed and
/// opened each year, capacity at the end, and units at the start and end.
public enum SummaryTable {
    /// Renders the summary of scenario `scenario` of `result` as fixed-width text.
    public static func render(_ result: BatchResult, scenario: Int = 0) -> String {
        let years = Array(result.years.dropFirst())
        var header = ["sector", "cap \(result.years[0])"]
        header += years.map { "-\($0)" }
        header += ["opened", "cap \(result.years.last!)", "units"]
        var rows: [[String]] = [header]
        for group in result.groups where group.region == nil && group.owner == nil {
            var row = [group.sector.rawValue,
                       decimalText(result.value(.capacity, group: group, year: result.years[0], scenario: scenario))]
            var opened = 0.0
            for y in years {
                row.append(decimalText(result.value(.capacityClosed, group: group, year: y, scenario: scenario)))
                opened += result.value(.capacityOpened, group: group, year: y, scenario: scenario)
            }
            let first = result.value(.unitsOperating, group: group, year: result.years[0], scenario: scenario)
            let last = result.value(.unitsOperating, group: group, year: result.years.last!, scenario: scenario)
            row += [decimalText(opened),
                    decimalText(result.value(.capacity, group: group, year: result.years.last!, scenario: scenario)),
                    "\(decimalText(first))->\(decimalText(last))"]
            rows.append(row)
        }
        let lines = fixedWidth(rows, leftColumns: 1)
        return (["capacity in 10kt/yr (万吨/年); -YEAR = capacity closed that year"] + lines)
            .joined(separator: "\n")
    }

    /// Renders, per sector with displaced workers, where they were placed and what it cost by the
    /// end year; nil when the scenario does not model workers.
    public static func renderWorkers(_ result: BatchResult, scenario: Int = 0) -> String? {
        guard let w = result.resettlement, let last = w.years.last else { return nil }
        var rows: [[String]] = [["sector", "channel / state", "persons", "cost (10k yuan)"]]
        for sector in w.sectors {
            guard let displaced = w.value("workers_displaced_cumulative", sector: sector, year: last, scenario: scenario),
                  displaced > 0 else { continue }
            rows.append([sector.rawValue, "displaced \(w.years[1])-\(last)", decimalText(displaced, digits: 0), ""])
            for quantity in w.quantities where quantity.name.hasPrefix("workers_placed_cumulative.") {
                let id = String(quantity.name.dropFirst("workers_placed_cumulative.".count))
                let placed = w.value(quantity.name, sector: sector, year: last, scenario: scenario) ?? 0
                guard placed > 0 else { continue }
                let cost = w.years.reduce(0.0) { $0 + (w.value("cost.\(id)", sector: sector, year: $1, scenario: scenario) ?? 0) }
                rows.append(["", "placed: \(id)", decimalText(placed, digits: 0), decimalText(cost / 10_000, digits: 0)])
            }
            // Never placed and out of work again are told apart: the unemployed were "placed"
            // (contract termination, registered unemployment) but have no job.
            let waiting = w.value("workers_waiting", sector: sector, year: last, scenario: scenario) ?? 0
            let unemployed = w.value("workers_unemployed", sector: sector, year: last, scenario: scenario) ?? 0
            rows.append(["", "never placed (waiting) at end of \(last)", decimalText(waiting, digits: 0), ""])
            rows.append(["", "unemployed at end of \(last)", decimalText(unemployed, digits: 0), ""])
        }
        let lines = fixedWidth(rows, leftColumns: 2)
        return (["workers displaced and where they were placed (cumulative); cost over the run"] + lines)
            .joined(separator: "\n")
    }

    /// Renders debt per main sector at the base year and the end year, with the levers' totals
    /// over the run, in 100 million yuan (亿元); nil when the scenario does not model debt.
    public static func renderDebt(_ result: BatchResult, scenario: Int = 0) -> String? {
        guard let f = result.finance else { return nil }
        let last = f.years.count - 1
        let flows: [(String, FinanceMetric)] = [("swapped", .swapped), ("stripped", .strippedDebt),
                                                ("written off", .writtenOff), ("repaid", .repaid)]
        var rows: [[String]] = [["sector", "debt \(f.years[0])"] + flows.map(\.0) + ["debt \(f.years[last])", "zombies", "bankrupt"]]
        for sector in Sector.allCases where f.mainSector.contains(sector) {
            var row = [sector.rawValue, decimalText(f.total(.debt, sector: sector, owner: nil, yearIndex: 0, scenario: scenario) / 1e8, digits: 2)]
            for (_, metric) in flows {
                let total = (1...last).reduce(0.0) { $0 + f.total(metric, sector: sector, owner: nil, yearIndex: $1, scenario: scenario) }
                row.append(decimalText(total / 1e8, digits: 2))
            }
            let zombies = (1...last).reduce(0.0) { $0 + f.total(.zombies, sector: sector, owner: nil, yearIndex: $1, scenario: scenario) }
            let bankrupt = (1...last).reduce(0.0) { $0 + f.total(.bankruptcies, sector: sector, owner: nil, yearIndex: $1, scenario: scenario) }
            row += [decimalText(f.total(.debt, sector: sector, owner: nil, yearIndex: last, scenario: scenario) / 1e8, digits: 2),
                    decimalText(zombies), decimalText(bankrupt)]
            rows.append(row)
        }
        var lines = fixedWidth(rows, leftColumns: 1)
        lines += renderHoldings(f, scenario: scenario)
        return (["enterprise debt by main sector, 100 million yuan (亿元); levers summed over the run; zombie flags are enterprise-years"] + lines)
            .joined(separator: "\n")
    }

    /// Where stripped debt went and what became of it (docs/MODEL.md §8.7): one row per holding
    /// entity, flows summed over the run, and the stripped debt no entity received; no lines when
    /// the scenario has no entity and strips nothing.
    static func renderHoldings(_ f: FinanceResult, scenario: Int) -> [String] {
        let last = f.years.count - 1
        let holdings = f.enterprises.indices.filter { f.enterprises[$0].holding != nil }
        func sum(_ m: FinanceMetric, _ e: Int) -> Double {
            (1...last).reduce(0.0) { $0 + f.value(m, yearIndex: $1, enterprise: e, scenario: scenario) }
        }
        func yi(_ x: Double) -> String { decimalText(x / 1e8, digits: 2) }
        var unheld = 0.0
        for y in 1...last { unheld += f.provinceDebtFlows(yearIndex: y, scenario: scenario).strippedToNoHolder }
        guard !holdings.isEmpty || abs(unheld) >= 0.005e8 else { return [] }
        var rows: [[String]] = [["entity", "kind", "assets in", "debt in", "assets sold", "repaid", "written off",
                                 "debt \(f.years[last])", "assets \(f.years[last])"]]
        for e in holdings {
            rows.append([f.enterprises[e].id, f.enterprises[e].holding?.kind.rawValue ?? "",
                         yi(sum(.assetsReceived, e)), yi(sum(.debtReceived, e)), yi(sum(.assetsSold, e)),
                         yi(sum(.repaid, e)), yi(sum(.writtenOff, e)),
                         yi(f.value(.debt, yearIndex: last, enterprise: e, scenario: scenario)),
                         yi(f.value(.assets, yearIndex: last, enterprise: e, scenario: scenario))])
        }
        return ["", "holding and disposal entities: what they received and what became of it, 100 million yuan (亿元)"]
            + fixedWidth(rows, leftColumns: 2)
            + ["stripped debt no entity received (left the books untracked): \(yi(unheld))"]
    }

    /// Rows as fixed-width lines: the first `leftColumns` columns left-aligned, the rest right-aligned
    /// (numbers), columns two spaces apart.
    public static func fixedWidth(_ rows: [[String]], leftColumns: Int) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? displayWidth($0[c]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - displayWidth(cell))
                return c < leftColumns ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }

    /// Terminal columns `text` takes: Chinese characters and full-width forms take two, so that
    /// columns after facility and enterprise names line up.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: return width + 2
            default: return width + 1
            }
        }
    }
}
