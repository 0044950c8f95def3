import CapSimCore

// The scenario YAML of a generated scenario: rules, targets, sector paths, workforce,
// resettlement and finance. Every number carries the comment `assumption: synthetic (capsim
// generate, seed N)`, followed by what it is; docs/GENERATOR.md gives the figures it is anchored on.

/// Builds YAML text line by line, commenting every line whose value holds a number.
struct YAMLLines {
    let tag: String
    var lines: [String] = []

    /// A comment line.
    mutating func comment(_ indent: Int, _ text: String) {
        lines.append(String(repeating: " ", count: indent) + "# " + text)
    }

    mutating func blank() { lines.append("") }

    /// `text` at `indent`; when its value (after the first `:`) holds a digit, the comment is
    /// the synthetic tag followed by `note`; otherwise `note` alone, if any.
    mutating func line(_ indent: Int, _ text: String, _ note: String? = nil) {
        var s = String(repeating: " ", count: indent) + text
        let value = text.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? text
        let comment = value.contains(where: \.isNumber) ? tag + (note.map { "; " + $0 } ?? "") : note
        if let comment {
            if s.count < 44 { s += String(repeating: " ", count: 44 - s.count) }
            s += "  # " + comment
        }
        lines.append(s)
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}

/// Per-sector paths and policy figures (docs/GENERATOR.md, "Scenario YAML").
struct SectorPolicyModel: Sendable {
    var sector: Sector
    /// Utilisation in the base year, then programme years 1-5; later years hold the last value.
    var utilisation: [Double]
    /// Price index in programme years 1-5 (base year 1); later years hold the last value.
    var price: [Double]
    var replacementRatio: Double
    /// Yearly target as a share of the sector's base capacity, programme years 1-5 then every later year.
    var targetShares: [Double]
    var laterTargetShare: Double
    var priority: [String]
    /// Workforce profile.
    var femaleShare: Double
    var male: [Double]
    var female: [Double]
    var wage: Double
    var arrearsMonths: Double

    static let coalAge = (male: [0.04, 0.18, 0.32, 0.18, 0.16, 0.12], female: [0.10, 0.35, 0.40, 0.15, 0, 0])
    static let steelAge = (male: [0.06, 0.22, 0.31, 0.18, 0.14, 0.09], female: [0.12, 0.38, 0.38, 0.12, 0, 0])
    static let cementAge = (male: [0.08, 0.25, 0.30, 0.15, 0.12, 0.10], female: [0.15, 0.40, 0.35, 0.10, 0, 0])
    static let steelPrice = [1.06, 1.55, 1.67, 1.57, 1.52]
    static let cementPrice = [1.04, 1.36, 1.60, 1.64, 1.60]

    static let all: [SectorPolicyModel] = [
        SectorPolicyModel(sector: .coal, utilisation: [0.65, 0.60, 0.68, 0.72, 0.75, 0.77],
                          price: [1.05, 1.38, 1.36, 1.33, 1.31], replacementRatio: 1.0,
                          targetShares: [0.15, 0.05, 0.04, 0.02, 0.02], laterTargetShare: 0.01,
                          priority: ["shortest_reserve", "highest_cost", "smallest"],
                          femaleShare: 0.10, male: coalAge.male, female: coalAge.female, wage: 55_000, arrearsMonths: 3),
        SectorPolicyModel(sector: .iron, utilisation: [0.70, 0.72, 0.76, 0.79, 0.80, 0.79], price: steelPrice,
                          replacementRatio: 1.25, targetShares: [0.05, 0.04, 0.03, 0.02, 0.01], laterTargetShare: 0.01,
                          priority: ["smallest", "highest_cost"],
                          femaleShare: 0.15, male: steelAge.male, female: steelAge.female, wage: 58_000, arrearsMonths: 1),
        SectorPolicyModel(sector: .steel, utilisation: [0.70, 0.72, 0.76, 0.79, 0.80, 0.79], price: steelPrice,
                          replacementRatio: 1.25, targetShares: [0.05, 0.04, 0.03, 0.02, 0.01], laterTargetShare: 0.01,
                          priority: ["highest_cost", "smallest"],
                          femaleShare: 0.15, male: steelAge.male, female: steelAge.female, wage: 58_000, arrearsMonths: 1),
        SectorPolicyModel(sector: .clinker, utilisation: [0.69, 0.70, 0.72, 0.74, 0.76, 0.75], price: cementPrice,
                          replacementRatio: 1.25, targetShares: [0.20, 0.03, 0.03, 0.02, 0.02], laterTargetShare: 0.01,
                          priority: ["smallest", "highest_logistics"],
                          femaleShare: 0.18, male: cementAge.male, female: cementAge.female, wage: 50_000, arrearsMonths: 0),
        SectorPolicyModel(sector: .grinding, utilisation: [0.67, 0.68, 0.70, 0.72, 0.74, 0.73], price: cementPrice,
                          replacementRatio: 1.0, targetShares: [0.05, 0.04, 0.03, 0.02, 0.02], laterTargetShare: 0.01,
                          priority: ["highest_logistics", "smallest"],
                          femaleShare: 0.18, male: cementAge.male, female: cementAge.female, wage: 50_000, arrearsMonths: 0),
    ]

    static func model(_ sector: Sector) -> SectorPolicyModel { all.first { $0.sector == sector }! }

    /// The value of a 5-year path in programme year `k` (1-based), holding the last value after it.
    static func path(_ values: [Double], _ k: Int) -> Double { values[min(k, values.count) - 1] }
}

extension Generation {
    /// Capacity of coal, iron and steel the national preset expects (10kt/yr), to scale the award fund.
    static let nationalFundCapacity = 783_000.0
    /// The central award fund 2016-2020 (1000亿元) split by programme year, yuan.
    static let nationalFund = [30.0e9, 22.0e9, 18.0e9, 15.0e9, 15.0e9]

    func number(_ x: Double, _ digits: Int = 4) -> String { decimalText(x, digits: digits) }

    func list(_ xs: [Double]) -> String { "[" + xs.map { number($0) }.joined(separator: ", ") + "]" }

    func byYear(_ pairs: [(Int, Double)], digits: Int = 4) -> String {
        "{" + pairs.map { "\($0.0): \(number($0.1, digits))" }.joined(separator: ", ") + "}"
    }

    var programmeYears: [Int] { Array((spec.baseYear + 1)...spec.endYear) }

    func scenarioYAML() -> String {
        var y = YAMLLines(tag: source)
        let present = presentSectors
        let has = Set(present)
        let b = spec.baseYear, y1 = b + 1
        y.comment(0, "Synthetic scenario made by `capsim generate` (\(spec.scale.rawValue) region set, seed \(spec.seed)).")
        y.comment(0, "Every figure is synthetic: drawn from the distributions of docs/GENERATOR.md, which also gives")
        y.comment(0, "the published figures they are anchored on. It describes no real province or enterprise.")
        y.line(0, "name: \"\(spec.name)\"", "scenario identifier")
        let scope = spec.scale == .national ? "national, 31 provinces" : "one province, 9 prefectures"
        y.line(0, "title: Synthetic scenario \(b)-\(spec.endYear) (\(scope))", "free text")
        y.line(0, "baseYear: \(b)", "year; the state the tables describe")
        y.line(0, "endYear: \(spec.endYear)", "year; \(spec.years) programme years")
        y.line(0, "facilityTables:")
        y.line(2, "- facilities.csv")
        y.line(0, "enterpriseTables:")
        y.line(2, "- enterprises.csv")

        // Sectors: utilisation and price paths, replacement ratio.
        y.blank()
        y.line(0, "sectors:")
        for p in SectorPolicyModel.all where has.contains(p.sector) {
            let util = programmeYears.map { ($0, SectorPolicyModel.path(Array(p.utilisation.dropFirst()), $0 - b)) }
            let price = programmeYears.map { ($0, SectorPolicyModel.path(p.price, $0 - b)) }
            y.line(2, "\(p.sector.rawValue):")
            y.line(4, "utilisation: \(number(p.utilisation[0]))", "fraction; base-year utilisation (approx. national 2015)")
            y.line(4, "utilisationByYear: \(byYear(util))",
                   "fractions; approx. national path 2016-2020 by programme year, held after year 5")
            y.line(4, "priceIndex: 1", "multiplier; base case, prices as in the table")
            y.line(4, "priceIndexByYear: \(byYear(price))",
                   "multipliers on base-year prices; approx. 2016-2020 index path by programme year, held after year 5")
            y.line(4, "replacementRatio: \(number(p.replacementRatio))", "10kt retired per 10kt new (减量置换)")
        }

        // Rules: the 2016 size thresholds from the first programme year.
        func sizeRule(_ id: String, _ sector: Sector, _ criterion: String, _ threshold: Double, _ unit: String,
                      _ comment: String) {
            y.line(2, "- id: \(id)", comment)
            y.line(4, "sector: \(sector.rawValue)")
            y.line(4, "criterion: \(criterion)")
            y.line(4, "threshold: \(number(threshold))", unit)
            y.line(4, "from: \(y1)", "year; first programme year")
        }
        y.blank()
        y.line(0, "rules:")
        if has.contains(.coal) {
            y.line(2, "- id: coal-safety", "mines with the safety flag close")
            y.line(4, "sector: coal")
            y.line(4, "criterion: safety_flag")
            y.line(4, "from: \(y1)", "year; first programme year")
            sizeRule("coal-under-30", .coal, "size_below", Self.sizeRules.coal, "10kt/yr",
                     "mines below 30 10kt/yr close (2016 national policy)")
        }
        if has.contains(.iron) {
            sizeRule("iron-bf-400", .iron, "size_at_or_below", Self.sizeRules.iron, "m3",
                     "blast furnaces of 400 m3 and below close (2016 national policy)")
        }
        if has.contains(.steel) {
            sizeRule("steel-furnace-30", .steel, "size_at_or_below", Self.sizeRules.steel, "t",
                     "converters and electric furnaces of 30 t and below close (2016 national policy)")
        }
        if has.contains(.clinker) {
            sizeRule("clinker-2500", .clinker, "size_at_or_below", Self.sizeRules.clinker, "t/day",
                     "clinker lines of 2,500 t/day and below close")
        }

        // Targets: a share of each sector's base capacity per year.
        y.blank()
        y.line(0, "targets:")
        for p in SectorPolicyModel.all where has.contains(p.sector) {
            let base = baseCapacity(p.sector)
            y.line(2, "- id: \(p.sector.rawValue)-programme")
            y.line(4, "sector: \(p.sector.rawValue)")
            y.line(4, "capacityClosedByYear:")
            for year in programmeYears {
                let k = year - b
                let share = k <= p.targetShares.count ? p.targetShares[k - 1] : p.laterTargetShare
                y.line(6, "\(year): \(number((share * base).rounded()))",
                       "10kt/yr closed, all causes; \(number(share * 100)) % of base capacity \(number(base, 1))")
            }
            y.line(4, "priority: [\(p.priority.joined(separator: ", "))]")
        }

        workforceYAML(&y, present)
        resettlementYAML(&y, present)
        financeYAML(&y, present)
        return y.text
    }

    func workforceYAML(_ y: inout YAMLLines, _ present: [Sector]) {
        y.blank()
        y.line(0, "workforce:")
        y.line(2, "ageBands: [16, 25, 35, 45, 50, 55, 60]", "years of age (band edges)")
        y.line(2, "retirementAge: {male: 60, female: 50}", "years; legal retirement ages of workers")
        y.line(2, "careerStartAge: 20", "years of age; service years for severance")
        y.line(2, "sectors:")
        for p in SectorPolicyModel.all where present.contains(p.sector) {
            y.line(4, "\(p.sector.rawValue):")
            y.line(6, "femaleShare: \(number(p.femaleShare))", "share of workers")
            y.line(6, "ageShares:")
            y.line(8, "male: \(list(p.male))", "shares per band, sum 1")
            y.line(8, "female: \(list(p.female))", "shares per band, sum 1; 0 past retirement at 50")
            y.line(6, "wageYuanPerYear: \(number(p.wage))", "yuan per worker per year; approx. 2015 urban-unit average")
            y.line(6, "wageArrearsMonths: \(number(p.arrearsMonths))", "months of wages owed at closure")
        }
    }

    func resettlementYAML(_ y: inout YAMLLines, _ present: [Sector]) {
        let workforce = Double(units.filter { !$0.planned }.reduce(0) { $0 + $1.workers })
        let heavy = present.filter { [.coal, .iron, .steel].contains($0) }
        func sectors(_ s: [Sector]) -> String { "[" + s.map(\.rawValue).joined(separator: ", ") + "]" }
        y.blank()
        y.line(0, "resettlement:")
        y.comment(2, "Channels are offered each sector's pool in this order every year; training, last, takes everyone left.")
        y.line(2, "channels:")
        y.line(4, "- id: internal-transfer", "transfer inside the enterprise or group")
        y.line(6, "kind: internal_transfer")
        y.line(6, "share: 0.25", "share of each sector's pool per year")
        y.line(6, "oneOffYuanPerPerson: 2500", "yuan per person placed; one transfer-training course")
        y.line(6, "payer: job_retention_refund")
        y.line(4, "- id: internal-retirement", "内部退养 within 5 years of retirement")
        y.line(6, "kind: internal_retirement")
        y.line(6, "withinYearsOfRetirement: 5", "years before the legal retirement age")
        y.line(6, "annualShareOfWage: 0.65", "share of the sector wage per internal retiree per year")
        y.line(6, "payer: enterprise")
        y.line(4, "- id: other-enterprises", "transfer to other enterprises and industries")
        y.line(6, "kind: other_enterprise")
        y.line(6, "capacityPerYear: \(number((0.01 * workforce).rounded()))", "persons per year; 1 % of the base workforce")
        y.line(6, "oneOffYuanPerPerson: 5000", "yuan per person placed; placement subsidy")
        y.line(6, "payer: central_award")
        if !heavy.isEmpty {
            y.line(4, "- id: absorbing-projects", "parks and projects that absorb coal and steel workers")
            y.line(6, "kind: absorbing_project")
            y.line(6, "sectors: \(sectors(heavy))")
            y.line(6, "capacityTotal: \(number((0.02 * workforce).rounded()))", "persons over the run; 2 % of the base workforce")
            y.line(6, "oneOffYuanPerPerson: 5000", "yuan per person placed; placement subsidy")
            y.line(6, "payer: central_award")
        }
        y.line(4, "- id: public-welfare", "公益性岗位")
        y.line(6, "kind: public_welfare")
        y.line(6, "capacityPerYear: \(number((0.003 * workforce).rounded()))", "persons per year; 0.3 % of the base workforce")
        y.line(6, "annualYuanPerPerson: 18000", "yuan per person per year; about the 2016 minimum wage x 12")
        y.line(6, "payer: local_budget")
        y.line(4, "- id: registered-unemployment", "register as unemployed and draw the benefit")
        y.line(6, "kind: registered_unemployment")
        y.line(6, "share: 0.1", "share of each sector's pool per year")
        y.line(6, "payer: unemployment_insurance")
        y.line(4, "- id: training", "training and entrepreneurship; catch-all, no limit")
        y.line(6, "kind: training")
        y.line(6, "oneOffYuanPerPerson: 2500", "yuan per person trained; midpoint of a 2,000-3,000 subsidy")
        y.line(6, "payer: central_award")
        y.line(2, "transitions:")
        y.line(4, "trainingYears: 1", "years")
        y.line(4, "trainingSuccessShare: 0.6", "share of trainees who find a job")
        y.line(4, "reemploymentRate: 0.25", "share of the unemployed re-employed per year")
        y.line(4, "labourForceExitRate: 0.05", "share of the unemployed leaving the labour force per year")
        y.line(4, "jobLossRate: 0.03", "share of the re-employed losing their job per year")
        y.line(4, "publicWelfareYears: 3", "years; public-welfare subsidies last up to 3 years")
        y.line(2, "unemploymentBenefitYuanPerYear: 16200", "yuan per year; about 90 % of a 1,500 yuan/month minimum wage x 12")
        y.line(2, "socialInsurance:")
        y.line(4, "pension: 0.28", "share of the wage base; 20 % employer + 8 % employee")
        y.line(4, "medical: 0.08", "share of the wage base")
        y.line(4, "unemployment: {\(spec.baseYear): 0.02, \(spec.baseYear + 1): 0.015}", "shares; cut in 2015 and 2016")
        y.line(4, "maternity: 0.005", "share of the wage base")
        y.line(4, "workInjury: 0.0075", "share of the wage base; average benchmark after the 2015 cut")
        y.line(2, "jobRetentionRefundShare: 0.5", "share of last year's UI premiums refunded (稳岗补贴)")
        y.line(2, "backWagesPayer: local_budget")
        if !heavy.isEmpty {
            let capacity = heavy.reduce(0) { $0 + baseCapacity($1) }
            let scale = capacity / Self.nationalFundCapacity
            y.line(2, "awardFund:", "central award fund (专项奖补资金) for coal and steel")
            y.line(4, "amountYuanByYear:")
            for (k, year) in programmeYears.prefix(Self.nationalFund.count).enumerated() {
                let amount = (Self.nationalFund[k] * scale / 1e6).rounded() * 1e6
                y.line(6, "\(year): \(number(amount, 0))",
                       "yuan; 100 bn yuan 2016-2020 nationally, scaled by coal+iron+steel capacity (\(number(scale, 4)))")
            }
            y.line(4, "sectors: \(sectors(heavy))")
            y.line(4, "baseShare: 0.8", "share split by the base formula")
            y.line(4, "capacityWeight: 0.5", "weight of the capacity cut")
            y.line(4, "workersWeight: 0.5", "weight of workers displaced")
            y.line(4, "fallbackPayer: provincial_budget")
        }
    }

    /// The state enterprise of `family` with the most base capacity (the first on a tie).
    func financeYAML(_ y: inout YAMLLines, _ present: [Sector]) {
        let heavy = present.filter { [.coal, .iron, .steel].contains($0) }
        let y1 = spec.baseYear + 1
        func sectors(_ s: [Sector]) -> String { "[" + s.map(\.rawValue).joined(separator: ", ") + "]" }
        let stateHeavy = firms.contains { $0.owner == .state && $0.family != .cement }
        y.blank()
        y.line(0, "finance:")
        y.line(2, "assetWriteDownShare: 0.5", "share of a closed unit's book value written off at closure")
        y.line(2, "repaymentShare: 0.5", "share of the surplus after interest used to repay debt")
        y.line(2, "instruments:")
        if !heavy.isEmpty && stateHeavy {
            y.line(4, "- id: state-wage-arrears-cleared", "wage arrears of state coal and steel firms settled")
            y.line(6, "kind: write_off")
            y.line(6, "from: \(y1)", "year; first programme year")
            y.line(6, "to: \(y1)", "year; one-off")
            y.line(6, "sectors: \(sectors(heavy))")
            y.line(6, "owner: state")
            y.line(6, "creditors: [wage_arrears]")
            y.line(6, "share: 1", "share of wage arrears")
            if spec.years >= 2 {
                y.line(4, "- id: state-debt-equity-swap", "market-based debt-to-equity swaps (债转股)")
                y.line(6, "kind: debt_equity_swap")
                y.line(6, "from: \(y1 + 1)", "year; second programme year")
                y.line(6, "to: \(y1 + 1)", "year; one-off")
                y.line(6, "sectors: \(sectors(heavy))")
                y.line(6, "owner: state")
                y.line(6, "creditors: [bank_loans]")
                y.line(6, "share: 0.15", "share of bank loans swapped")
            }
        }
        y.line(4, "- id: zombie-interest-suspension", "停息挂账 for zombie enterprises")
        y.line(6, "kind: interest_suspension")
        y.line(6, "from: \(y1)", "year; first programme year")
        y.line(6, "to: \(min(spec.endYear, y1 + 2))", "year; three years at most")
        y.line(6, "zombiesOnly: true")
        y.line(6, "creditors: [bank_loans]")
        y.line(2, "zombies:")
        y.line(4, "haltedMonths: 6", "months halted or half-halted")
        y.line(4, "debtToAssets: 0.85", "ratio")
        y.line(4, "lossYears: 3", "consecutive loss years")
        y.line(4, "match: any")
        y.line(4, "actions:")
        if present.contains(.coal), let acquirer = largestStateFirm(.coal).map({ firms[$0].id }) {
            y.line(6, "- sectors: [coal]", "state coal zombies merge into the largest state coal group")
            y.line(8, "owner: state")
            y.line(8, "action: merger")
            y.line(8, "into: \(acquirer)")
        }
        let steel = present.filter { $0 == .iron || $0 == .steel }
        if !steel.isEmpty, let acquirer = largestStateFirm(.steel).map({ firms[$0].id }) {
            y.line(6, "- sectors: \(sectors(steel))", "state steel zombies merge into the largest state steel group")
            y.line(8, "owner: state")
            y.line(8, "action: merger")
            y.line(8, "into: \(acquirer)")
        }
        y.line(6, "- owner: private", "private zombies go bankrupt")
        y.line(8, "action: bankruptcy")
        y.line(8, "recovery: {wage_arrears: 1, social_insurance_arrears: 1, tax_arrears: 0.5, bank_loans: 0.2, "
               + "bonds: 0.1, private_financing: 0.05}", "shares recovered by class")
    }
}
