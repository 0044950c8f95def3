import CapSimCore
import CapSimScenario
import Foundation

/// What `capsim run` prints, for other programs: `summary.json`. Every figure is the one
/// `projections.csv` has (same rounding), or a sum of its rows over the run; the schema is in
/// docs/SUMMARY-JSON.md. Numbers are exact decimals (no binary noise, no exponent), keys sorted.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Schema version; raised when a field changes meaning or is removed.
    public var schemaVersion: Int
    /// The scenario's `name`.
    public var scenario: String
    /// The scenario's `title`.
    public var title: String
    /// The year before the programme (the starting state).
    public var baseYear: Int
    /// The last simulated year.
    public var endYear: Int
    /// Per sector with facilities, in sector order.
    public var sectors: [SectorSummary]
    /// Per sector with displaced workers; absent when the scenario does not model workers.
    public var workers: [WorkerSummary]?
    /// Per main sector of the enterprises; absent when the scenario does not model debt.
    public var debt: [DebtSummary]?
    /// Targets that ran out of candidates.
    public var shortfalls: [Shortfall]
    /// New units that never got enough replacement credit to open.
    public var blockedOpenings: [BlockedOpening]
    /// The headline figures in planner units (万吨/年, persons, 亿元), as `capsim run` prints them;
    /// optional so that a `summary.json` written before they existed still decodes.
    public var headline: HeadlineFigures?
    /// Sanity warnings of the run (docs/WARNINGS.md), in the order `capsim run` prints them;
    /// optional so that a `summary.json` written before they existed still decodes.
    public var warnings: [ScenarioWarning]?

    /// Capacity and units of one sector (`region=all,owner=all` in `projections.csv`).
    public struct SectorSummary: Codable, Sendable, Equatable {
        /// The sector.
        public var sector: String
        /// Operating capacity at the end of the base year, 10kt/yr.
        public var capacityBase10kt: Decimal
        /// Operating capacity at the end of the end year, 10kt/yr.
        public var capacityEnd10kt: Decimal
        /// Capacity closed in each simulated year (year as text), 10kt/yr.
        public var capacityClosed10ktByYear: [String: Decimal]
        /// Capacity closed over the run, 10kt/yr.
        public var capacityClosed10kt: Decimal
        /// Capacity opened over the run through replacement, 10kt/yr.
        public var capacityOpened10kt: Decimal
        /// Units operating at the end of the base year.
        public var unitsBase: Decimal
        /// Units operating at the end of the end year.
        public var unitsEnd: Decimal
        /// Units closed over the run.
        public var unitsClosed: Decimal
        /// Units opened over the run.
        public var unitsOpened: Decimal

        enum CodingKeys: String, CodingKey {
            case sector, capacityBase10kt = "capacity_base_10kt", capacityEnd10kt = "capacity_end_10kt"
            case capacityClosed10ktByYear = "capacity_closed_10kt_by_year", capacityClosed10kt = "capacity_closed_10kt"
            case capacityOpened10kt = "capacity_opened_10kt", unitsBase = "units_base", unitsEnd = "units_end"
            case unitsClosed = "units_closed", unitsOpened = "units_opened"
        }
    }

    /// Displaced workers of one sector by the end year, in persons (fractions of a person remain,
    /// as in `projections.csv`).
    public struct WorkerSummary: Codable, Sendable, Equatable {
        /// The sector.
        public var sector: String
        /// Workers displaced over the run (`workers_displaced_cumulative` at the end year).
        public var displacedPersons: Decimal
        /// Workers placed over the run per channel id (`workers_placed_cumulative.<channel>`),
        /// for the channels serving the sector.
        public var placedPersonsByChannel: [String: Decimal]
        /// Displaced and never placed at the end of the end year (`workers_waiting`): not the
        /// unemployed, who were placed (contract termination, registered unemployment) or lost a
        /// job since; those are in `headline` (`workers_unemployed_end`, `workers_without_job_end`).
        public var unresettledEndPersons: Decimal

        enum CodingKeys: String, CodingKey {
            case sector, displacedPersons = "displaced_persons", placedPersonsByChannel = "placed_persons_by_channel"
            case unresettledEndPersons = "unresettled_end_persons"
        }
    }

    /// Debt of the enterprises whose main sector is `sector`, in yuan, with the levers over the run.
    public struct DebtSummary: Codable, Sendable, Equatable {
        /// The main sector.
        public var sector: String
        /// Debt at the end of the base year.
        public var debtBaseYuan: Decimal
        /// Debt at the end of the end year.
        public var debtEndYuan: Decimal
        /// Debt swapped for equity or bonds over the run.
        public var debtSwappedYuan: Decimal
        /// Debt stripped to asset-management companies over the run.
        public var debtStrippedYuan: Decimal
        /// Debt written off over the run.
        public var debtWrittenOffYuan: Decimal
        /// Debt repaid over the run.
        public var debtRepaidYuan: Decimal
        /// Zombie flags over the run, in enterprise-years.
        public var zombieEnterpriseYears: Decimal
        /// Bankruptcies over the run.
        public var bankruptcies: Decimal

        enum CodingKeys: String, CodingKey {
            case sector, debtBaseYuan = "debt_base_yuan", debtEndYuan = "debt_end_yuan"
            case debtSwappedYuan = "debt_swapped_yuan", debtStrippedYuan = "debt_stripped_yuan"
            case debtWrittenOffYuan = "debt_written_off_yuan", debtRepaidYuan = "debt_repaid_yuan"
            case zombieEnterpriseYears = "zombie_enterprise_years", bankruptcies
        }
    }

    /// A target not met.
    public struct Shortfall: Codable, Sendable, Equatable {
        /// Target id.
        public var target: String
        /// Year of the shortfall.
        public var year: Int
        /// Capacity the target asked for, 10kt/yr.
        public var target10kt: Decimal
        /// Capacity actually closed in the sector that year, 10kt/yr.
        public var closed10kt: Decimal

        enum CodingKeys: String, CodingKey {
            case target, year, target10kt = "target_10kt", closed10kt = "closed_10kt"
        }
    }

    /// A new unit that could not open.
    public struct BlockedOpening: Codable, Sendable, Equatable {
        /// Facility id.
        public var facilityId: String
        /// Facility name.
        public var name: String
        /// The sector.
        public var sector: String
        /// The enterprise whose retired capacity would have been the credit.
        public var enterprise: String
        /// Nominal capacity, 10kt/yr.
        public var capacity10kt: Decimal
        /// Credit needed (replacement ratio × capacity), 10kt/yr.
        public var creditNeeded10kt: Decimal
        /// Credit the enterprise had at the end year, 10kt/yr.
        public var creditAvailable10kt: Decimal

        enum CodingKeys: String, CodingKey {
            case facilityId = "facility_id", name, sector, enterprise, capacity10kt = "capacity_10kt"
            case creditNeeded10kt = "credit_needed_10kt", creditAvailable10kt = "credit_available_10kt"
        }
    }

    /// The summary of `scenario`'s run `result` (a batch of one).
    public init(scenario: Scenario, result: BatchResult) {
        schemaVersion = 1
        self.scenario = scenario.name
        title = scenario.title
        baseYear = result.years[0]
        endYear = result.years.last!
        let simulated = Array(result.years.dropFirst())
        sectors = result.groups.filter { $0.region == nil && $0.owner == nil }.map { group in
            func value(_ m: Metric, _ year: Int) -> Double { result.value(m, group: group, year: year) }
            func overRun(_ m: Metric) -> Decimal { number(simulated.reduce(0) { $0 + value(m, $1) }, 6) }
            return SectorSummary(
                sector: group.sector.rawValue,
                capacityBase10kt: number(value(.capacity, result.years[0]), 6),
                capacityEnd10kt: number(value(.capacity, result.years.last!), 6),
                capacityClosed10ktByYear: Dictionary(uniqueKeysWithValues: simulated.map {
                    (String($0), number(value(.capacityClosed, $0), 6))
                }),
                capacityClosed10kt: overRun(.capacityClosed), capacityOpened10kt: overRun(.capacityOpened),
                unitsBase: number(value(.unitsOperating, result.years[0]), 6),
                unitsEnd: number(value(.unitsOperating, result.years.last!), 6),
                unitsClosed: overRun(.unitsClosed), unitsOpened: overRun(.unitsOpened))
        }
        workers = result.resettlement.map { w in
            let last = w.years.last!
            return w.sectors.compactMap { sector -> WorkerSummary? in
                guard let displaced = w.value("workers_displaced_cumulative", sector: sector, year: last),
                      displaced > 0 else { return nil }
                let prefix = "workers_placed_cumulative."
                var placed: [String: Decimal] = [:]
                for q in w.quantities where q.name.hasPrefix(prefix) && q.applies(to: sector) {
                    placed[String(q.name.dropFirst(prefix.count))] = number(w.value(q.name, sector: sector, year: last) ?? 0, 6)
                }
                return WorkerSummary(sector: sector.rawValue, displacedPersons: number(displaced, 6),
                                     placedPersonsByChannel: placed, unresettledEndPersons: number(w.value("workers_waiting", sector: sector, year: last) ?? 0, 6))
            }
        }
        debt = result.finance.map { f in
            let last = f.years.count - 1
            return Sector.allCases.filter { f.mainSector.contains($0) }.map { sector in
                func at(_ m: FinanceMetric, _ y: Int) -> Double { f.total(m, sector: sector, owner: nil, yearIndex: y, scenario: 0) }
                func overRun(_ m: FinanceMetric) -> Double { (1...last).reduce(0) { $0 + at(m, $1) } }
                return DebtSummary(sector: sector.rawValue, debtBaseYuan: number(at(.debt, 0), 2),
                                   debtEndYuan: number(at(.debt, last), 2), debtSwappedYuan: number(overRun(.swapped), 2),
                                   debtStrippedYuan: number(overRun(.strippedDebt), 2),
                                   debtWrittenOffYuan: number(overRun(.writtenOff), 2),
                                   debtRepaidYuan: number(overRun(.repaid), 2),
                                   zombieEnterpriseYears: number(overRun(.zombies), 0),
                                   bankruptcies: number(overRun(.bankruptcies), 0))
            }
        }
        shortfalls = result.shortfalls.map {
            Shortfall(target: $0.target, year: $0.year, target10kt: number($0.targetCapacity, 6),
                      closed10kt: number($0.closedCapacity, 6))
        }
        blockedOpenings = result.blockedOpenings.map { b in
            let f = scenario.facilities[b.facility]
            return BlockedOpening(facilityId: f.id, name: f.name, sector: f.sector.rawValue, enterprise: f.enterprise,
                                  capacity10kt: number(f.capacity10ktPerYear, 6),
                                  creditNeeded10kt: number(b.creditNeeded10kt, 6),
                                  creditAvailable10kt: number(b.creditAvailable10kt, 6))
        }
        headline = HeadlineFigures(result: result)
        warnings = ScenarioWarnings.afterRun(scenario, result: result)
    }

    /// The keys as written: snake_case with the unit, like the CSV columns. (Not a key strategy:
    /// it would write `capacity_base10kt` and rewrite channel ids used as dictionary keys.)
    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", scenario, title, baseYear = "base_year", endYear = "end_year"
        case sectors, workers, debt, shortfalls, blockedOpenings = "blocked_openings", headline, warnings
    }

    /// `summary.json`: pretty-printed, keys sorted, so the same run gives the same bytes.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain value types with Decimal numbers cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Decodes `summary.json` text.
    public static func decode(_ json: String) throws -> RunSummary {
        let decoder = JSONDecoder()
        return try decoder.decode(RunSummary.self, from: Data(json.utf8))
    }
}

/// `x` rounded to `digits` decimals as an exact Decimal, so JSON shows the figure
/// `projections.csv` shows (`25473.5464`, not `25473.546399999999`).
private func number(_ x: Double, _ digits: Int) -> Decimal {
    Decimal(string: decimalText(x, digits: digits)) ?? Decimal(x)
}
