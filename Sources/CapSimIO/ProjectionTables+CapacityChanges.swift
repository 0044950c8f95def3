import CapSimCore

/// The tables of capacity changes and output targets (docs/SCENARIO-FORMAT.md, "Outputs"): written
/// only by runs whose scenarios list them, so other runs' files are unchanged.
extension ProjectionTables {
    /// Header of `capacity-changes.csv`.
    public static let capacityChangeHeader = [
        "scenario", "year", "change_id", "facility_id", "name", "sector", "enterprise", "status", "reason",
        "capacity_before_10kt", "capacity_change_10kt", "workers_change", "investment_yuan",
        "replacement_ratio", "credit_used_10kt", "credit_available_10kt"]
    /// Header of `output-shortfalls.csv`.
    public static let outputShortfallHeader = ["scenario", "year", "target", "goal_10kt", "output_10kt",
                                               "capacity_10kt", "utilisation_ceiling"]

    /// `capacity-changes.csv` as text.
    public static func capacityChanges(_ result: BatchResult, facilities: [Facility]) -> String {
        let csv = CSVWriter()
        try? writeCapacityChanges(result, facilities: facilities, to: csv)  // in memory: cannot throw
        return csv.text
    }

    /// Writes `capacity-changes.csv`: the changes that applied (status `applied`, their year), then
    /// those given up (status `blocked`, their due year and reason; credit used = credit needed).
    public static func writeCapacityChanges(_ result: BatchResult, facilities: [Facility], to csv: CSVWriter) throws {
        try csv.row(capacityChangeHeader)
        let names = result.scenarioNames
        func unit(_ f: Facility) -> [String] { [f.id, f.name, f.sector.rawValue, f.enterprise] }
        func number(_ x: Double) -> String { decimalText(x, digits: 6) }
        for e in result.capacityChanges {
            let f = facilities[e.facility]
            try csv.row([names[e.scenario], String(e.year), e.change] + unit(f)
                        + ["applied", "", number(e.capacityBefore10kt), number(e.capacityChange10kt), number(e.workersChange),
                           number(e.investmentYuan), number(e.ratio), number(e.creditUsed10kt), number(e.creditAvailable10kt)])
        }
        for b in result.blockedCapacityChanges {
            let f = facilities[b.facility]
            try csv.row([names[b.scenario], String(b.year), b.change] + unit(f)
                        + ["blocked", b.reason.rawValue, "", number(b.capacityChange10kt), "", "",
                           number(b.ratio), number(b.creditNeeded10kt), number(b.creditAvailable10kt)])
        }
    }

    /// Writes `output-shortfalls.csv`: the years an output target was out of reach at its ceiling.
    public static func writeOutputShortfalls(_ result: BatchResult, to csv: CSVWriter) throws {
        try csv.row(outputShortfallHeader)
        for s in result.outputShortfalls {
            try csv.row([result.scenarioNames[s.scenario], String(s.year), s.target, decimalText(s.goal10kt, digits: 6),
                         decimalText(s.output10kt, digits: 6), decimalText(s.capacity10ktPerYear, digits: 6),
                         decimalText(s.ceiling, digits: 6)])
        }
    }
}
