import CapSimCore

/// The tables a run writes: projections (long format), closures and openings, as CSV.
///
/// Each table is streamed into a `CSVWriter` (bytes, a buffer at a time), so writing takes the
/// same memory whatever the run's size; the `String` forms are for tests and small runs.
public enum ProjectionTables {
    /// Header of `projections.csv`.
    public static let projectionHeader = ["scenario", "year", "sector", "region", "owner", "metric", "unit", "value"]
    /// Header of `closures.csv`.
    public static let closureHeader = ["scenario", "year", "facility_id", "name", "sector", "kind", "enterprise",
                                       "owner", "region", "capacity_10kt", "rule", "reason"]
    /// Header of `openings.csv`.
    public static let openingHeader = ["scenario", "year", "facility_id", "name", "sector", "enterprise",
                                       "capacity_10kt", "status", "replacement_ratio", "credit_needed_10kt",
                                       "credit_available_10kt"]
    /// Header of `enterprises.csv`.
    public static let enterpriseHeader = ["scenario", "year", "enterprise", "owner", "main_sector", "metric", "unit", "value"]

    /// `projections.csv` as text.
    public static func projections(_ result: BatchResult) -> String {
        inMemory { try writeProjections(result, to: $0) }
    }

    /// `enterprises.csv` as text; nil when the run does not model debt.
    public static func enterpriseAccounts(_ result: BatchResult) -> String? {
        guard result.finance != nil else { return nil }
        return inMemory { try writeEnterpriseAccounts(result, to: $0) }
    }

    /// `closures.csv` as text.
    public static func closures(_ result: BatchResult, facilities: [Facility]) -> String {
        inMemory { try writeClosures(result, facilities: facilities, to: $0) }
    }

    /// `openings.csv` as text.
    public static func openings(_ result: BatchResult, facilities: [Facility]) -> String {
        inMemory { try writeOpenings(result, facilities: facilities, to: $0) }
    }

    private static func inMemory(_ write: (CSVWriter) throws -> Void) -> String {
        let csv = CSVWriter()
        // An in-memory writer has no sink, so nothing in it can throw.
        try? write(csv)
        return csv.text
    }

    /// `text` escaped, with a comma after it: the start of a row's next field.
    private static func lead(_ texts: String...) -> [UInt8] {
        texts.flatMap { CSVWriter.escaped($0) + [UInt8(ascii: ",")] }
    }

    /// Writes `projections.csv`: one row per scenario, year, group and metric; `all` stands for
    /// every region or owner type. Resettlement quantities follow each year's capacity rows, per
    /// sector with `region=all,owner=all`; then the enterprise accounts per main sector.
    public static func writeProjections(_ result: BatchResult, to csv: CSVWriter) throws {
        try csv.row(projectionHeader)
        // Fields that repeat on many rows, escaped once.
        let groupFields = result.groups.map { lead($0.sector.rawValue, $0.region ?? "all", $0.owner?.rawValue ?? "all") }
        let metricFields = Metric.allCases.map { lead($0.rawValue, $0.unit) }
        let workerFields = result.resettlement.map { w in
            w.sectors.map { sector in w.quantities.map { lead(sector.rawValue, "all", "all", $0.name, $0.unit) } }
        }
        for s in result.scenarioNames.indices {
            let name = CSVWriter.escaped(result.scenarioNames[s])
            for (y, year) in result.years.enumerated() {
                for g in result.groups.indices {
                    for (m, metric) in Metric.allCases.enumerated() {
                        csv.raw(name)
                        csv.comma()
                        csv.integer(year)
                        csv.comma()
                        csv.raw(groupFields[g])
                        csv.raw(metricFields[m])
                        csv.decimal(result.value(metric, groupIndex: g, yearIndex: y, scenario: s), digits: 6)
                        try csv.endRow()
                    }
                }
                if let workers = result.resettlement, let workerFields {
                    for (σ, sector) in workers.sectors.enumerated() {
                        for (q, quantity) in workers.quantities.enumerated() where quantity.applies(to: sector) {
                            csv.raw(name)
                            csv.comma()
                            csv.integer(year)
                            csv.comma()
                            csv.raw(workerFields[σ][q])
                            csv.decimal(workers.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s), digits: 6)
                            try csv.endRow()
                        }
                    }
                }
                if let finance = result.finance {
                    try writeFinance(finance, scenario: s, name: name, yearIndex: y, to: csv)
                }
            }
        }
    }

    /// Enterprise accounts summed per main sector and owner type (and over both owner types), with
    /// the group's debt-to-assets ratio.
    static func writeFinance(_ finance: FinanceResult, scenario s: Int, name: [UInt8], yearIndex y: Int,
                             to csv: CSVWriter) throws {
        let totals = finance.groupTotals(yearIndex: y, scenario: s)
        for sector in Sector.allCases {
            guard let bySector = totals[sector] else { continue }
            for owner in [nil] + OwnerType.allCases.map(Optional.some) {
                guard let sums = bySector[owner] else { continue }
                let group = lead(sector.rawValue, "all", owner?.rawValue ?? "all")
                func row(_ metric: String, _ unit: String, _ value: Double, digits: Int) throws {
                    csv.raw(name)
                    csv.comma()
                    csv.integer(finance.years[y])
                    csv.comma()
                    csv.raw(group)
                    csv.raw(lead(metric, unit))
                    csv.decimal(value, digits: digits)
                    try csv.endRow()
                }
                for metric in FinanceMetric.allCases {
                    try row(metric.name, metric.unit, sums[metric.index], digits: 2)
                }
                let assets = sums[FinanceMetric.assets.index]
                try row("debt_to_assets", "ratio", assets > 0 ? sums[FinanceMetric.debt.index] / assets : 0, digits: 6)
            }
        }
    }

    /// Writes `enterprises.csv`, every enterprise's accounts, one value per row; only the header
    /// when the run does not model debt.
    public static func writeEnterpriseAccounts(_ result: BatchResult, to csv: CSVWriter) throws {
        try csv.row(enterpriseHeader)
        guard let finance = result.finance else { return }
        let enterpriseFields = finance.enterprises.indices.map { e in
            lead(finance.enterprises[e].id, finance.enterprises[e].owner.rawValue, finance.mainSector[e].rawValue)
        }
        let metricFields = FinanceMetric.allCases.map { lead($0.name, $0.unit) }
        for s in result.scenarioNames.indices {
            let name = CSVWriter.escaped(result.scenarioNames[s])
            for (y, year) in finance.years.enumerated() {
                for e in finance.enterprises.indices {
                    for (m, metric) in FinanceMetric.allCases.enumerated() {
                        csv.raw(name)
                        csv.comma()
                        csv.integer(year)
                        csv.comma()
                        csv.raw(enterpriseFields[e])
                        csv.raw(metricFields[m])
                        csv.decimal(finance.value(metric, yearIndex: y, enterprise: e, scenario: s), digits: 2)
                        try csv.endRow()
                    }
                }
            }
        }
    }

    /// Writes `closures.csv`: one row per closure, in the order closures happened.
    public static func writeClosures(_ result: BatchResult, facilities: [Facility], to csv: CSVWriter) throws {
        try csv.row(closureHeader)
        let names = result.scenarioNames.map(CSVWriter.escaped)
        for e in result.closures {
            let f = facilities[e.facility]
            csv.raw(names[e.scenario])
            csv.comma()
            csv.integer(e.year)
            csv.comma()
            csv.raw(lead(f.id, f.name, f.sector.rawValue, f.kind.rawValue, f.enterprise, f.owner.rawValue, f.region))
            csv.decimal(e.capacity10ktPerYear, digits: 6)
            csv.comma()
            csv.field(e.cause.ruleID)
            csv.comma()
            csv.field(e.cause.reason(facility: f))
            try csv.endRow()
        }
    }

    /// Writes `openings.csv`: one row per new unit, opened (with the year) or blocked for lack of
    /// replacement credit.
    public static func writeOpenings(_ result: BatchResult, facilities: [Facility], to csv: CSVWriter) throws {
        try csv.row(openingHeader)
        let names = result.scenarioNames.map(CSVWriter.escaped)
        func numbers(_ values: Double...) {
            for (i, v) in values.enumerated() {
                if i > 0 { csv.comma() }
                csv.decimal(v, digits: 6)
            }
        }
        for e in result.openings {
            let f = facilities[e.facility]
            csv.raw(names[e.scenario])
            csv.comma()
            csv.integer(e.year)
            csv.comma()
            csv.raw(lead(f.id, f.name, f.sector.rawValue, f.enterprise))
            numbers(e.capacity10ktPerYear)
            csv.raw(Array(",opened,".utf8))
            numbers(e.ratio, e.creditUsed10kt, e.creditAvailable10kt)
            try csv.endRow()
        }
        for b in result.blockedOpenings {
            let f = facilities[b.facility]
            csv.raw(names[b.scenario])
            csv.raw(Array(",,".utf8))
            csv.raw(lead(f.id, f.name, f.sector.rawValue, f.enterprise))
            numbers(f.capacity10ktPerYear)
            csv.raw(Array(",blocked,".utf8))
            numbers(b.ratio, b.creditNeeded10kt, b.creditAvailable10kt)
            try csv.endRow()
        }
    }
}
