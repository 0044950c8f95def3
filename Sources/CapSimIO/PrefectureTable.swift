import CapSimCore
import CapSimScenario

/// `prefectures.csv`: per year, sector and region (prefecture) what closed there and the workers
/// it displaced, with the region's Chinese name from the scenario's `regions` table. Displaced
/// workers are the workforce of the units closed (docs/MODEL.md §7.0), so they can be placed where
/// the unit was; placements and costs are modelled per sector pool and have no region.
public enum PrefectureTable {
    /// The header.
    public static let header = ["scenario", "year", "sector", "region", "region_name", "metric", "unit", "value"]
    /// The metrics, with their units, in row order.
    public static let metrics = [("capacity_closed", "10kt/yr"), ("units_closed", "units"), ("workers_displaced", "persons")]

    /// The figures of scenario 0 of `result`: `[year index][sector, region]` → capacity closed,
    /// units closed, workers displaced; with the (sector, region) pairs in output order (sector
    /// order, then the regions table's order, then first use in the facility tables).
    public static func figures(_ scenario: Scenario, _ result: BatchResult)
        -> (pairs: [(sector: Sector, region: String)], values: [[[Double]]])
    {
        var order = scenario.regions.map(\.id)
        for f in scenario.facilities where !order.contains(f.region) { order.append(f.region) }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<[Int]>()
        var pairs: [(sector: Sector, region: String)] = []
        for f in scenario.facilities where seen.insert([f.sector.index, rank[f.region]!]).inserted {
            pairs.append((f.sector, f.region))
        }
        pairs.sort { ($0.sector.index, rank[$0.region]!) < ($1.sector.index, rank[$1.region]!) }
        let slot = Dictionary(pairs.enumerated().map { ("\($1.sector.rawValue)|\($1.region)", $0) }, uniquingKeysWith: { a, _ in a })
        let years = Array(result.years.dropFirst())
        var values = Array(repeating: Array(repeating: [0.0, 0, 0], count: pairs.count), count: years.count)
        for c in result.closures where c.scenario == 0 {
            let f = scenario.facilities[c.facility]
            guard let y = years.firstIndex(of: c.year), let p = slot["\(f.sector.rawValue)|\(f.region)"] else { continue }
            values[y][p][0] += c.capacity10ktPerYear
            values[y][p][1] += 1
            values[y][p][2] += Double(f.workers)
        }
        return (pairs, values)
    }

    /// Writes `prefectures.csv` for `scenario`'s run `result` (a batch of one).
    public static func write(_ scenario: Scenario, _ result: BatchResult, to csv: CSVWriter) throws {
        try csv.row(header)
        let (pairs, values) = figures(scenario, result)
        let name = CSVWriter.escaped(result.scenarioNames[0])
        for (y, year) in result.years.dropFirst().enumerated() {
            for (p, pair) in pairs.enumerated() {
                for (m, metric) in metrics.enumerated() {
                    csv.raw(name)
                    csv.comma()
                    csv.integer(year)
                    csv.comma()
                    csv.field(pair.sector.rawValue)
                    csv.comma()
                    csv.field(pair.region)
                    csv.comma()
                    csv.field(scenario.regionName(pair.region) ?? "")
                    csv.comma()
                    csv.field(metric.0)
                    csv.comma()
                    csv.field(metric.1)
                    csv.comma()
                    csv.decimal(values[y][p][m], digits: 6)
                    try csv.endRow()
                }
            }
        }
    }
}
