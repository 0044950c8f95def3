import CapSimCore
import CapSimScenario
import Foundation

/// A sanity warning: something in a scenario that is allowed but most likely not what the planner
/// meant (a rule that never acts, a unit typed in tonnes, money never spent), with the reason.
/// `capsim run` and `capsim validate` print them; `--strict` makes them errors. The kinds and
/// their tests are listed in docs/WARNINGS.md.
public struct ScenarioWarning: Codable, Sendable, Equatable {
    /// What is warned about.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A closure rule (named closures included) that closes no unit in the run.
        case ruleNeverActs = "rule_never_acts"
        /// A closure target that picks no unit in the run.
        case targetNeverActs = "target_never_acts"
        /// A resettlement channel that places nobody in the run.
        case channelReceivesNobody = "channel_receives_nobody"
        /// A debt lever that no enterprise is eligible for in its years.
        case leverNeverActs = "lever_never_acts"
        /// An enterprise flagged as a zombie that no zombie action matches.
        case zombieWithoutAction = "zombie_without_action"
        /// A fund (central award, job-retention refund) of which most money is never spent.
        case fundUnspent = "fund_unspent"
        /// A region only one unit names (often a typo of another region).
        case regionWithOneUnit = "region_with_one_unit"
        /// A unit's capacity or size far outside its sector's other units (typed in tonnes?).
        case valueOutOfRange = "value_out_of_range"
        /// A variant whose changes leave every output of its base as it was.
        case variantWithoutEffect = "variant_without_effect"
    }

    /// What is warned about.
    public var kind: Kind
    /// The id it is about (a rule, channel, enterprise, region, facility or fund).
    public var subject: String
    /// Why, in the planner's words, with the numbers (`unit coal-new01 closed by target coal-programme in 2018`).
    public var reason: String

    /// Creates a warning.
    public init(kind: Kind, subject: String, reason: String) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
    }

    /// One line: `subject: reason`.
    public var text: String { "\(subject): \(reason)" }
}

/// Computes the sanity warnings of a scenario (`beforeRun`, what `validate` can know) and of its
/// run (`afterRun`, which includes `beforeRun`).
public enum ScenarioWarnings {
    /// A unit's capacity or size this many times its sector's median (or below the median divided
    /// by it) is out of range.
    public static let outOfRangeFactor = 100.0
    /// A fund is warned about when at least this share of its money is unspent at the end.
    public static let unspentShare = 0.5

    /// The warnings the scenario alone gives: single-unit regions, out-of-range capacities and
    /// sizes, rules and targets no unit can match, debt levers no enterprise is eligible for.
    public static func beforeRun(_ scenario: Scenario) -> [ScenarioWarning] {
        var warnings = regions(scenario) + outOfRange(scenario)
        let simulated = (scenario.baseYear + 1)...scenario.endYear
        let ids = Set(scenario.facilities.map(\.id))
        for rule in scenario.policy.rules {
            if let reason = staticReason(rule, scenario, simulated, ids) {
                warnings.append(.init(kind: .ruleNeverActs, subject: rule.id, reason: reason))
            }
        }
        for target in scenario.policy.targets {
            let asked = simulated.filter { (target.capacityClosedByYear[$0] ?? 0) > 0 }
            let matching = scenario.facilities.filter {
                $0.sector == target.sector && (target.owner == nil || $0.owner == target.owner)
                    && (target.region == nil || $0.region == target.region)
            }
            if asked.isEmpty {
                warnings.append(.init(kind: .targetNeverActs, subject: target.id,
                                      reason: "asks for no capacity in \(simulated.lowerBound)-\(simulated.upperBound)"))
            } else if matching.isEmpty {
                warnings.append(.init(kind: .targetNeverActs, subject: target.id,
                                      reason: "no unit is of " + filterText(target.sector, target.owner, target.region)))
            }
        }
        warnings += levers(scenario, zombieYears: nil)
        return warnings
    }

    /// Every warning of `scenario`'s run `result` (a batch of one), `beforeRun`'s included: rules,
    /// targets and channels that never act with why, zombies no action matches, unspent funds.
    public static func afterRun(_ scenario: Scenario, result: BatchResult) -> [ScenarioWarning] {
        var warnings = beforeRun(scenario)
        let reported = Set(warnings.filter { $0.kind == .ruleNeverActs || $0.kind == .targetNeverActs }.map(\.subject))
        let simulated = (scenario.baseYear + 1)...scenario.endYear
        var firingRules = Set<String>()
        var closureOf: [Int: ClosureEvent] = [:]
        for c in result.closures where c.scenario == 0 {
            firingRules.insert(c.cause.ruleID)
            closureOf[c.facility] = c
        }
        let index = Dictionary(scenario.facilities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let opened = Dictionary(result.openings.filter { $0.scenario == 0 }.map { ($0.facility, $0.year) },
                                uniquingKeysWith: min)
        func closedText(_ c: ClosureEvent) -> String {
            switch c.cause {
            case let .target(id, _, _, _): return "closed by target \(id) in \(c.year)"
            case let .rule(id, _, _, _): return "closed by rule \(id) in \(c.year)"
            case .reserveExhausted: return "closed in \(c.year) when its reserve ran out"
            case let .enterpriseExit(e): return "closed in \(c.year) when its enterprise \(e) went bankrupt"
            }
        }
        for rule in scenario.policy.rules where !firingRules.contains(rule.id) && !reported.contains(rule.id) {
            let active = simulated.filter { rule.isActive(in: $0) }
            var reasons: [String] = []
            if rule.criterion == .named {
                for id in rule.namedFacilities {
                    guard let f = index[id] else { continue }
                    let facility = scenario.facilities[f]
                    if let c = closureOf[f] {
                        reasons.append("unit \(id) \(closedText(c))")
                    } else if facility.startYear > scenario.baseYear, opened[f] == nil {
                        reasons.append("unit \(id) never opened (planned for \(facility.startYear))")
                    } else if let year = opened[f], let last = active.last, year > last {
                        reasons.append("unit \(id) opens in \(year), after the rule's last year \(last)")
                    }
                }
            } else {
                let matching = scenario.facilities.indices.filter { matches(rule, scenario.facilities[$0]) }
                let meeting = matching.filter { meetsStatically(rule, scenario.facilities[$0], active) }
                let preempted = meeting.filter { f in closureOf[f].map { $0.year <= active[0] } ?? false }
                if !meeting.isEmpty, preempted.count == meeting.count {
                    var causes: [String] = []
                    for f in preempted {
                        let c = closureOf[f]!
                        let by = closedText(c).replacingOccurrences(of: " in \(c.year)", with: "")
                            .replacingOccurrences(of: "closed by ", with: "")
                        if !causes.contains(by) { causes.append(by) }
                    }
                    reasons.append("the \(meeting.count) unit\(meeting.count == 1 ? "" : "s") meeting it (\(meeting.count == 1 ? scenario.facilities[meeting[0]].id : "e.g. " + scenario.facilities[meeting[0]].id))"
                                   + " were all closed by its first year \(active[0]), by " + causes.joined(separator: ", "))
                } else {
                    let left = matching.filter { f in closureOf[f].map { $0.year > active[0] } ?? true }
                    reasons.append("no unit of " + filterText(rule.sector, rule.owner, rule.region)
                                   + " met '\(rule.criterion.rawValue)' in \(yearsText(active))"
                                   + (criterionHint(rule, left.map { scenario.facilities[$0] }, active) ?? ""))
                }
            }
            warnings.append(.init(kind: .ruleNeverActs, subject: rule.id,
                                  reason: reasons.isEmpty ? "closes no unit in the run" : reasons.joined(separator: "; ")))
        }
        for target in scenario.policy.targets where !firingRules.contains(target.id) && !reported.contains(target.id) {
            let short = result.shortfalls.filter { $0.scenario == 0 && $0.target == target.id }
            let reason = short.isEmpty
                ? "the capacity closed by rules and earlier targets met it in every year it asks for"
                : "no candidate unit was left in \(yearsText(short.map(\.year)))"
            warnings.append(.init(kind: .targetNeverActs, subject: target.id, reason: reason))
        }
        if let w = result.resettlement, let policy = scenario.policy.resettlement {
            warnings += channels(policy, w, scenario.endYear)
            warnings += funds(policy, w, scenario.endYear)
        }
        if let f = result.finance {
            var zombieYears: [[Int]] = Array(repeating: [], count: f.enterprises.count)
            for e in f.enterprises.indices {
                zombieYears[e] = f.years.indices.dropFirst().filter { f.value(.zombies, yearIndex: $0, enterprise: e, scenario: 0) > 0 }
                    .map { f.years[$0] }
            }
            warnings = warnings.filter { $0.kind != .leverNeverActs } + levers(scenario, zombieYears: zombieYears)
            warnings += zombies(scenario, f, zombieYears)
        }
        return warnings
    }

    /// The warning for a variant whose run gives exactly its base's results, listing its changes;
    /// nil when the variant has no changes or they change something.
    public static func variantWithoutEffect(_ variant: Scenario, result: BatchResult, baseResult: BatchResult) -> ScenarioWarning? {
        guard !variant.overrides.isEmpty || variant.chain.count > 1 else { return nil }
        let same = result.years == baseResult.years && result.groups == baseResult.groups
            && zip(result.valuesByYear, baseResult.valuesByYear).allSatisfy { $0.elements == $1.elements }
            && result.closures.map(\.facility) == baseResult.closures.map(\.facility)
            && result.closures.map(\.year) == baseResult.closures.map(\.year)
            && result.resettlement?.values == baseResult.resettlement?.values
            && result.finance?.values == baseResult.finance?.values
        guard same else { return nil }
        // The variant's own name and title change no figure; they are not its levers.
        let changes = variant.overrides.map(\.path).filter { $0 != "name" && $0 != "title" }
        let base = variant.chain.count > 1 ? variant.chain[variant.chain.count - 2] : "its base"
        return .init(kind: .variantWithoutEffect, subject: variant.name,
                     reason: "its changes (\(changes.isEmpty ? "none recorded" : changes.joined(separator: ", "))) leave every "
                        + "output of \(base) as it was")
    }

    /// Whether `rule`'s filters (sector, owner, region) admit `f`, whatever its criterion.
    static func matches(_ rule: ClosureRule, _ f: Facility) -> Bool {
        (rule.sector == nil || f.sector == rule.sector) && (rule.owner == nil || f.owner == rule.owner)
            && (rule.region == nil || f.region == rule.region)
    }

    /// Whether `f` meets `rule`'s criterion in one of the `active` years on its table figures
    /// (size, distance, safety flag); true for criteria that change during the run (reserve, cost).
    static func meetsStatically(_ rule: ClosureRule, _ f: Facility, _ active: [Int]) -> Bool {
        active.contains { year in
            let t = rule.thresholdByYear[year] ?? 0
            switch rule.criterion {
            case .sizeBelow: return f.size < t
            case .sizeAtOrBelow: return f.size <= t
            case .logisticsAbove: return f.logisticsKm > t
            case .safetyFlag: return f.safetyFlag
            case .named: return rule.namedFacilities.contains(f.id)
            case .reserveBelow, .costAbovePrice: return true
            }
        }
    }

    /// Why `rule` cannot act whatever the run does, or nil.
    static func staticReason(_ rule: ClosureRule, _ scenario: Scenario, _ simulated: ClosedRange<Int>, _ ids: Set<String>) -> String? {
        let active = simulated.filter { rule.isActive(in: $0) }
        if active.isEmpty { return "active in none of the simulated years \(simulated.lowerBound)-\(simulated.upperBound)" }
        if rule.criterion == .named {
            let late = rule.namedFacilities.compactMap { id in scenario.facilities.first { $0.id == id } }
                .filter { $0.startYear > active.last! }
            if late.count == rule.namedFacilities.count, let f = late.first {
                return "unit \(f.id) starts in \(f.startYear), after the rule's last year \(active.last!)"
            }
            return nil
        }
        if !scenario.facilities.contains(where: { matches(rule, $0) }) {
            return "no unit is of " + filterText(rule.sector, rule.owner, rule.region)
        }
        return nil
    }

    /// The smallest (or largest) measured figure against the threshold, for size, reserve and
    /// distance rules: why no unit met it.
    static func criterionHint(_ rule: ClosureRule, _ units: [Facility], _ active: [Int]) -> String? {
        guard let year = active.first, let threshold = rule.thresholdByYear[year], !units.isEmpty else { return nil }
        switch rule.criterion {
        case .sizeBelow, .sizeAtOrBelow:
            let smallest = units.map(\.size).min()!
            return " (smallest size of the units still open \(decimalText(smallest)) \(units[0].kind.sizeUnit), threshold \(decimalText(threshold)) in \(year))"
        case .reserveBelow:
            let least = units.compactMap(\.reserveYears).min().map { decimalText($0) } ?? "none"
            return " (least reserve \(least) years, threshold \(decimalText(threshold)))"
        case .logisticsAbove:
            return " (longest distance \(decimalText(units.map(\.logisticsKm).max()!)) km, threshold \(decimalText(threshold)) km)"
        default: return nil
        }
    }

    static func filterText(_ sector: Sector?, _ owner: OwnerType?, _ region: String?) -> String {
        var parts = ["sector \(sector?.rawValue ?? "any")"]
        if let owner { parts.append("owner \(owner.rawValue)") }
        if let region { parts.append("region \(region)") }
        return parts.joined(separator: ", ")
    }

    /// `2016-2020` for consecutive years, else `2016, 2018`.
    static func yearsText(_ years: [Int]) -> String {
        guard let first = years.first, let last = years.last else { return "no year" }
        if years.count > 1, last - first == years.count - 1 { return "\(first)-\(last)" }
        return years.map(String.init).joined(separator: ", ")
    }

    /// Regions only one unit names, with the nearest other region as a likely meaning.
    static func regions(_ scenario: Scenario) -> [ScenarioWarning] {
        var count: [String: [String]] = [:]
        var order: [String] = []
        for f in scenario.facilities {
            if count[f.region] == nil { order.append(f.region) }
            count[f.region, default: []].append(f.id)
        }
        guard order.count > 1 else { return [] }
        return order.filter { count[$0]!.count == 1 }.map { region in
            let others = order.filter { $0 != region && count[$0]!.count > 1 }
            return ScenarioWarning(kind: .regionWithOneUnit, subject: region,
                                   reason: "used by one unit only (\(count[region]![0]))" + Suggestion.phrase(for: region, in: others))
        }
    }

    /// Capacities and sizes `outOfRangeFactor` times above or below their sector's (or kind's) median.
    static func outOfRange(_ scenario: Scenario) -> [ScenarioWarning] {
        var warnings: [ScenarioWarning] = []
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        for sector in Sector.allCases {
            let units = scenario.facilities.filter { $0.sector == sector }
            guard units.count >= 3 else { continue }
            let m = median(units.map(\.capacity10ktPerYear))
            for f in units where m > 0 && (f.capacity10ktPerYear > m * outOfRangeFactor || f.capacity10ktPerYear < m / outOfRangeFactor) {
                warnings.append(.init(kind: .valueOutOfRange, subject: f.id,
                                      reason: "capacity \(decimalText(f.capacity10ktPerYear)) 万吨/年 is far from the median "
                                          + "\(decimalText(m)) of the \(units.count) \(sector.rawValue) units (typed in tonnes?)"))
            }
        }
        for kind in FacilityKind.allCases {
            let units = scenario.facilities.filter { $0.kind == kind }
            guard units.count >= 3 else { continue }
            let m = median(units.map(\.size))
            for f in units where m > 0 && (f.size > m * outOfRangeFactor || f.size < m / outOfRangeFactor) {
                warnings.append(.init(kind: .valueOutOfRange, subject: f.id,
                                      reason: "size \(decimalText(f.size)) \(kind.sizeUnit) is far from the median "
                                          + "\(decimalText(m)) of the \(units.count) \(kind.rawValue) units"))
            }
        }
        return warnings
    }

    /// Debt levers no enterprise is eligible for in their years; with `zombieYears` (per enterprise,
    /// from the run) a zombies-only lever also needs an eligible zombie in its years.
    static func levers(_ scenario: Scenario, zombieYears: [[Int]]?) -> [ScenarioWarning] {
        guard let finance = scenario.policy.finance else { return [] }
        let simulated = (scenario.baseYear + 1)...scenario.endYear
        let mainSector = Enterprise.mainSectors(of: scenario.enterprises, facilities: scenario.facilities,
                                                baseYear: scenario.baseYear)
        var warnings: [ScenarioWarning] = []
        for lever in finance.instruments {
            let years = simulated.clamped(to: lever.years)
            guard simulated.overlaps(lever.years) else {
                warnings.append(.init(kind: .leverNeverActs, subject: lever.id,
                                      reason: "its years \(lever.years.lowerBound)-\(lever.years.upperBound) are outside the run"))
                continue
            }
            let eligible = scenario.enterprises.indices.filter { matches(lever.filter, scenario.enterprises[$0], mainSector[$0]) }
            if eligible.isEmpty {
                warnings.append(.init(kind: .leverNeverActs, subject: lever.id,
                                      reason: "no enterprise matches its filter (" + enterpriseFilterText(lever.filter) + ")"))
            } else if lever.share == 0 {
                warnings.append(.init(kind: .leverNeverActs, subject: lever.id, reason: "its share is 0"))
            } else if lever.filter.zombiesOnly, let zombieYears,
                      !eligible.contains(where: { e in zombieYears[e].contains { years.contains($0) } }) {
                warnings.append(.init(kind: .leverNeverActs, subject: lever.id,
                                      reason: "it is for zombies only and none of its \(eligible.count) eligible enterprises "
                                          + "is a zombie in \(years.lowerBound)-\(years.upperBound)"))
            }
        }
        return warnings
    }

    static func matches(_ filter: EnterpriseFilter, _ e: Enterprise, _ sector: Sector?) -> Bool {
        (filter.sectors.isEmpty || sector.map(filter.sectors.contains) == true)
            && (filter.owner == nil || e.owner == filter.owner)
            && (filter.enterprises.isEmpty || filter.enterprises.contains(e.id))
    }

    static func enterpriseFilterText(_ filter: EnterpriseFilter) -> String {
        var parts: [String] = []
        if !filter.sectors.isEmpty { parts.append("sectors " + filter.sectors.map(\.rawValue).joined(separator: ", ")) }
        if let owner = filter.owner { parts.append("owner \(owner.rawValue)") }
        if !filter.enterprises.isEmpty { parts.append("enterprises " + filter.enterprises.joined(separator: ", ")) }
        return parts.isEmpty ? "any enterprise" : parts.joined(separator: "; ")
    }

    /// Enterprises flagged as zombies in some year that no zombie action's filter matches.
    static func zombies(_ scenario: Scenario, _ f: FinanceResult, _ zombieYears: [[Int]]) -> [ScenarioWarning] {
        let actions = scenario.policy.finance?.zombies.actions ?? []
        return f.enterprises.indices.compactMap { e in
            let enterprise = f.enterprises[e]
            guard !zombieYears[e].isEmpty,
                  !actions.contains(where: { matches($0.filter, enterprise, f.mainSector[e]) }) else { return nil }
            let what = actions.isEmpty ? "the scenario has no zombie actions" : "none of the \(actions.count) zombie actions matches it"
            return ScenarioWarning(kind: .zombieWithoutAction, subject: enterprise.id,
                                   reason: "a zombie in \(yearsText(zombieYears[e])) (main sector \(f.mainSector[e].rawValue), "
                                       + "owner \(enterprise.owner.rawValue)) but \(what): it is only flagged")
        }
    }

    /// Channels whose cumulative placements are zero at the end, with the likeliest reason.
    static func channels(_ policy: ResettlementPolicy, _ w: ResettlementResult, _ endYear: Int) -> [ScenarioWarning] {
        func total(_ name: String, _ sectors: [Sector]) -> Double {
            sectors.reduce(0) { $0 + (w.value(name, sector: $1, year: endYear) ?? 0) }
        }
        var earlier: [String] = []
        var warnings: [ScenarioWarning] = []
        for channel in policy.channels {
            defer { earlier.append(channel.id) }
            let served = w.sectors.filter(channel.accepts)
            guard total("workers_placed_cumulative.\(channel.id)", served) <= 0 else { continue }
            let reason: String
            if total("workers_displaced_cumulative", served) <= 0 {
                reason = "no worker of its sectors (\(served.isEmpty ? channel.sectors.map(\.rawValue).joined(separator: ", ") : served.map(\.rawValue).joined(separator: ", "))) is displaced in the run"
            } else if channel.share == 0 {
                reason = "its share is 0"
            } else if channel.capacityTotalPersons == 0 || channel.capacityPerYearPersons == 0 {
                reason = "its capacity is 0"
            } else if let years = channel.withinYearsOfRetirement {
                reason = "no displaced worker left for it was within \(decimalText(years)) years of retirement"
            } else {
                reason = "the channels before it (\(earlier.joined(separator: ", "))) placed every displaced worker of its sectors"
            }
            warnings.append(.init(kind: .channelReceivesNobody, subject: channel.id, reason: reason))
        }
        return warnings
    }

    /// The central award fund and the job-retention refunds, when at least `unspentShare` of what
    /// they received is still unspent at the end.
    static func funds(_ policy: ResettlementPolicy, _ w: ResettlementResult, _ endYear: Int) -> [ScenarioWarning] {
        func sum(_ name: String, years: [Int]) -> Double {
            years.reduce(0) { acc, y in w.sectors.reduce(acc) { $0 + (w.value(name, sector: $1, year: y) ?? 0) } }
        }
        let simulated = Array(w.years.dropFirst())
        let funds: [(id: String, payer: Payer, received: String, balance: String)] = [
            ("central_award", .centralAward, "central_award_allocated", "central_award_balance"),
            ("job_retention_refund", .jobRetentionRefund, "job_retention_refund_accrued", "job_retention_refund_balance"),
        ]
        var warnings: [ScenarioWarning] = []
        for fund in funds {
            let received = sum(fund.received, years: simulated), left = sum(fund.balance, years: [endYear])
            guard received > 0, left >= unspentShare * received else { continue }
            let paying = policy.channels.filter { $0.payer == fund.payer }.map(\.id)
                + (policy.backWagesPayer == fund.payer ? ["back wages"] : [])
            let why = paying.isEmpty
                ? "nothing is paid by \(fund.id) (no channel or back wages name it as payer)"
                : "what it pays (\(paying.joined(separator: ", "))) came to \(yi(received - left)) 亿元"
            warnings.append(.init(kind: .fundUnspent, subject: fund.id,
                                  reason: "\(yi(left)) of \(yi(received)) 亿元 received "
                                      + "(\(decimalText((100 * left / received).rounded(), digits: 0)) %) is unspent at the end of \(endYear): \(why)"))
        }
        return warnings
    }

    /// Yuan as 亿元 with two decimals.
    static func yi(_ yuan: Double) -> String { decimalText(yuan / 1e8, digits: 2) }
}
