import CapSimCore

/// The tables a run writes: projections (long format), closures and openings, as CSV text.
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

    /// One row per scenario, year, group and metric; `all` stands for every region or owner type.
    /// Resettlement quantities follow each year's capacity rows, per sector with `region=all,owner=all`.
    public static func projections(_ result: BatchResult) -> String {
        var csv = CSVText(header: projectionHeader)
        for s in result.scenarioNames.indices {
            for (y, year) in result.years.enumerated() {
                for (g, group) in result.groups.enumerated() {
                    for metric in Metric.allCases {
                        let value = result.value(metric, groupIndex: g, yearIndex: y, scenario: s)
                        csv.append([result.scenarioNames[s], String(year), group.sector.rawValue,
                                    group.region ?? "all", group.owner?.rawValue ?? "all", metric.rawValue,
                                    metric.unit, decimalText(value, digits: 6)])
                    }
                }
                if let workers = result.resettlement {
                    for (σ, sector) in workers.sectors.enumerated() {
                        for (q, quantity) in workers.quantities.enumerated() where quantity.applies(to: sector) {
                            let value = workers.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s)
                            csv.append([result.scenarioNames[s], String(year), sector.rawValue, "all", "all",
                                        quantity.name, quantity.unit, decimalText(value, digits: 6)])
                        }
                    }
                }
                if let finance = result.finance {
                    appendFinance(finance, scenario: s, name: result.scenarioNames[s], yearIndex: y, to: &csv)
                }
            }
        }
        return csv.text
    }

    /// Enterprise accounts summed per main sector and owner type (and over both owner types), with
    /// the group's debt-to-assets ratio.
    static func appendFinance(_ finance: FinanceResult, scenario s: Int, name: String, yearIndex y: Int,
                              to csv: inout CSVText) {
        let year = String(finance.years[y])
        let totals = finance.groupTotals(yearIndex: y, scenario: s)
        for sector in Sector.allCases {
            guard let bySector = totals[sector] else { continue }
            for owner in [nil] + OwnerType.allCases.map(Optional.some) {
                guard let sums = bySector[owner] else { continue }
                let ownerText = owner?.rawValue ?? "all"
                for metric in FinanceMetric.allCases {
                    csv.append([name, year, sector.rawValue, "all", ownerText, metric.name, metric.unit,
                                decimalText(sums[metric.index], digits: 2)])
                }
                let assets = sums[FinanceMetric.assets.index]
                let ratio = assets > 0 ? sums[FinanceMetric.debt.index] / assets : 0
                csv.append([name, year, sector.rawValue, "all", ownerText, "debt_to_assets", "ratio",
                            decimalText(ratio, digits: 6)])
            }
        }
    }

    /// Header of `enterprises.csv`.
    public static let enterpriseHeader = ["scenario", "year", "enterprise", "owner", "main_sector", "metric", "unit", "value"]

    /// Every enterprise's accounts, one value per row.
    public static func enterpriseAccounts(_ result: BatchResult) -> String? {
        guard let finance = result.finance else { return nil }
        var csv = CSVText(header: enterpriseHeader)
        for s in result.scenarioNames.indices {
            for (y, year) in finance.years.enumerated() {
                for (e, enterprise) in finance.enterprises.enumerated() {
                    for metric in FinanceMetric.allCases {
                        csv.append([result.scenarioNames[s], String(year), enterprise.id, enterprise.owner.rawValue,
                                    finance.mainSector[e].rawValue, metric.name, metric.unit,
                                    decimalText(finance.value(metric, yearIndex: y, enterprise: e, scenario: s), digits: 2)])
                    }
                }
            }
        }
        return csv.text
    }

    /// One row per closure, in the order closures happened.
    public static func closures(_ result: BatchResult, facilities: [Facility]) -> String {
        var csv = CSVText(header: closureHeader)
        for e in result.closures {
            let f = facilities[e.facility]
            csv.append([result.scenarioNames[e.scenario], String(e.year), f.id, f.name, f.sector.rawValue,
                        f.kind.rawValue, f.enterprise, f.owner.rawValue, f.region,
                        decimalText(e.capacity10ktPerYear, digits: 6), e.cause.ruleID, e.cause.reason(facility: f)])
        }
        return csv.text
    }

    /// One row per new unit: opened (with the year) or blocked for lack of replacement credit.
    public static func openings(_ result: BatchResult, facilities: [Facility]) -> String {
        var csv = CSVText(header: openingHeader)
        for e in result.openings {
            let f = facilities[e.facility]
            csv.append([result.scenarioNames[e.scenario], String(e.year), f.id, f.name, f.sector.rawValue,
                        f.enterprise, decimalText(e.capacity10ktPerYear, digits: 6), "opened",
                        decimalText(e.ratio, digits: 6), decimalText(e.creditUsed10kt, digits: 6),
                        decimalText(e.creditAvailable10kt, digits: 6)])
        }
        for b in result.blockedOpenings {
            let f = facilities[b.facility]
            csv.append([result.scenarioNames[b.scenario], "", f.id, f.name, f.sector.rawValue, f.enterprise,
                        decimalText(f.capacity10ktPerYear, digits: 6), "blocked",
                        decimalText(b.ratio, digits: 6),
                        decimalText(b.creditNeeded10kt, digits: 6), decimalText(b.creditAvailable10kt, digits: 6)])
        }
        return csv.text
    }
}
