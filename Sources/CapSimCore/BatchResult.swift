import LinearAlgebra

/// Everything a batch run produces: aggregated metrics per year and the event logs.
public struct BatchResult: Sendable {
    /// Scenario names, in batch order.
    public var scenarioNames: [String]
    /// Reported years, base year first.
    public var years: [Int]
    /// Groups results are summed over.
    public var groups: [AggregationGroup]
    /// Per year (same order as `years`), a matrix groups × (metrics × scenarios): column
    /// `metric.index + scenario × Metric.allCases.count`.
    public var valuesByYear: [Matrix]
    /// Closures, ordered by scenario, year, then the order they happened in.
    public var closures: [ClosureEvent]
    /// Openings through replacement, ordered like closures.
    public var openings: [OpeningEvent]
    /// Planned units still waiting for credit at the end year.
    public var blockedOpenings: [BlockedOpening]
    /// Targets that could not be met.
    public var shortfalls: [TargetShortfall]
    /// Where displaced workers are and what resettlement cost, when the policies model workers.
    public var resettlement: ResettlementResult?
    /// Enterprise accounts and debt, when the policies model debt.
    public var finance: FinanceResult?
    /// Prices, utilisation and cost-reduction investment of sector markets, when some scenario
    /// gives some sector a market (docs/MODEL.md §2.7); nil otherwise.
    public var market: MarketResult? = nil
    /// Capacity changes of existing units that applied, ordered like closures.
    public var capacityChanges: [CapacityChangeEvent] = []
    /// Capacity changes that did not apply, with their reason, by scenario.
    public var blockedCapacityChanges: [BlockedCapacityChange] = []
    /// Years whose output target was out of reach at the utilisation ceiling, by scenario and year.
    public var outputShortfalls: [OutputShortfall] = []

    /// The value of `metric` for `group` in `year` and `scenario`.
    public func value(_ metric: Metric, group: AggregationGroup, year: Int, scenario: Int = 0) -> Double {
        guard let y = years.firstIndex(of: year), let g = groups.firstIndex(of: group) else {
            preconditionFailure("no result for \(group) in \(year)")
        }
        return value(metric, groupIndex: g, yearIndex: y, scenario: scenario)
    }

    /// The value by indices, for writers that walk every cell.
    @inlinable
    public func value(_ metric: Metric, groupIndex: Int, yearIndex: Int, scenario: Int) -> Double {
        valuesByYear[yearIndex][groupIndex, metric.index + scenario * Metric.allCases.count]
    }
}
