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
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return (["capacity in 10kt/yr (万吨/年); -YEAR = capacity closed that year"] + lines)
            .joined(separator: "\n")
    }
}
