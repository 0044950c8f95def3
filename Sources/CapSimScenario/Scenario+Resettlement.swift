import CapSimCore
import Yams

/// Reading the optional `workforce:` and `resettlement:` sections (docs/SCENARIO-FORMAT.md,
/// "Workers and resettlement") into `Policy.resettlement`.
extension Scenario {
    static let workforceKeys = ["ageBands", "retirementAge", "careerStartAge", "sectors"]
    static let workforceSectorKeys = ["femaleShare", "ageShares", "wageYuanPerYear", "wageArrearsMonths"]
    static let resettlementKeys = ["channels", "transitions", "unemploymentBenefitYuanPerYear", "socialInsurance",
                                   "jobRetentionRefundShare", "backWagesPayer", "awardFund"]
    static let resettlementRequired = ["channels", "transitions", "unemploymentBenefitYuanPerYear",
                                       "socialInsurance", "jobRetentionRefundShare"]
    static let channelKeys = ["id", "kind", "sectors", "capacityTotal", "capacityPerYear", "share",
                              "withinYearsOfRetirement", "oneOffYuanPerPerson", "annualYuanPerPerson",
                              "annualShareOfWage", "payer"]
    static let transitionKeys = ["trainingYears", "trainingSuccessShare", "reemploymentRate", "labourForceExitRate",
                                 "jobLossRate", "publicWelfareYears"]
    static let socialInsuranceKeys = ["pension", "medical", "unemployment", "maternity", "workInjury"]
    static let awardFundKeys = ["amountYuanByYear", "sectors", "baseShare", "capacityWeight", "workersWeight",
                                "difficulty", "fallbackPayer"]

    /// Default `careerStartAge`, years.
    static let defaultCareerStartAge = 20.0
    /// Default `withinYearsOfRetirement` of an `internal_retirement` channel, years.
    static let defaultInternalRetirementYears = 5.0
    /// How far a sex's age shares may be from summing to 1.
    static let ageShareTolerance = 1e-6

    private static let share = "a share in [0, 1]"
    private static func isShare(_ x: Double) -> Bool { (0...1).contains(x) }

    /// Resolves both sections, which go together. Returns nil when neither is given, or when
    /// either has a problem (then every problem is in `reader.issues`).
    ///
    /// - Parameters:
    ///   - workforce: the value of the top-level `workforce` key, if present.
    ///   - resettlement: the value of the top-level `resettlement` key, if present.
    ///   - root: the top-level mapping, to locate the keys themselves in messages.
    ///   - keptWorkforce: a policy whose workforce part is taken instead of resolving `workforce`
    ///     (a sweep experiment that changes only `resettlement` values).
    mutating func resolveResettlement(workforce: Node?, resettlement: Node?, in root: Node,
                                      keepingWorkforceOf keptWorkforce: ResettlementPolicy? = nil,
                                      reader: inout YAMLReader) -> ResettlementPolicy? {
        guard workforce != nil || resettlement != nil else { return nil }
        let before = reader.issues.count
        if workforce == nil {
            reader.report(reader.keyNode(root, "resettlement"), "workforce",
                          "required when resettlement is given: give both sections or neither")
        }
        if resettlement == nil {
            reader.report(reader.keyNode(root, "workforce"), "resettlement",
                          "required when workforce is given: give both sections or neither")
        }
        let people = keptWorkforce.map { (structure: $0.structure, sectors: $0.sectors) }
            ?? workforce.flatMap { resolveWorkforce($0, reader: &reader) }
        let rest = resettlement.flatMap { resolveResettlementSection($0, reader: &reader) }
        guard reader.issues.count == before, let people, let rest else { return nil }
        return ResettlementPolicy(structure: people.structure, sectors: people.sectors, channels: rest.channels,
                                  transitions: rest.transitions,
                                  unemploymentBenefitYuanPerYear: rest.unemploymentBenefit,
                                  socialInsurance: rest.socialInsurance,
                                  jobRetentionRefundShare: rest.jobRetentionRefundShare,
                                  backWagesPayer: rest.backWagesPayer, awardFund: rest.awardFund)
    }

    // MARK: - workforce

    private mutating func resolveWorkforce(_ node: Node, reader: inout YAMLReader)
        -> (structure: WorkforceStructure, sectors: [Sector: SectorWorkforce])?
    {
        let path = "workforce"
        guard let map = reader.mapping(node, path, allowed: Self.workforceKeys,
                                       required: ["ageBands", "retirementAge", "sectors"]) else { return nil }
        let before = reader.issues.count
        let edges = map["ageBands"].flatMap { resolveAgeBands($0, path + ".ageBands", reader: &reader) }

        var retirement: [Sex: Double] = [:]
        let sexes = Sex.allCases.map(\.rawValue)
        if let n = map["retirementAge"],
           let ages = reader.mapping(n, path + ".retirementAge", allowed: sexes, required: sexes) {
            for sex in Sex.allCases {
                guard let v = ages[sex.rawValue] else { continue }
                let p = "\(path).retirementAge.\(sex.rawValue)"
                guard let age = reader.number(v, p, expectation: "an age > 0 in years", limit: ScenarioLimits.age, valid: { $0 > 0 }) else {
                    continue
                }
                if let edges, !edges.dropFirst().contains(age) {
                    reader.report(v, p, "must be one of the age band edges above the first ("
                                  + edges.dropFirst().map { decimalText($0) }.joined(separator: ", ")
                                  + "), so that a band ends where retirement begins; got \(decimalText(age))")
                } else {
                    retirement[sex] = age
                }
            }
        }

        var careerStart = Self.defaultCareerStartAge
        if let n = map["careerStartAge"] {
            careerStart = reader.number(n, path + ".careerStartAge", expectation: "an age ≥ 0 in years", limit: ScenarioLimits.age,
                                        valid: { $0 >= 0 }) ?? careerStart
        } else {
            defaulted.insert(path + ".careerStartAge")
        }

        var profiles: [Sector: SectorWorkforce] = [:]
        if let n = map["sectors"],
           let sectorMap = reader.mapping(n, path + ".sectors", allowed: Sector.allCases.map(\.rawValue)) {
            for sector in Sector.allCases {
                guard let sn = sectorMap[sector.rawValue] else { continue }
                if let profile = resolveSectorWorkforce(sector, sn, edges: edges, retirement: retirement,
                                                        reader: &reader) {
                    profiles[sector] = profile
                }
            }
            let withFacilities = Set(facilities.map(\.sector))
            for sector in Sector.allCases where withFacilities.contains(sector) && sectorMap[sector.rawValue] == nil {
                reader.report(reader.keyNode(node, "sectors") ?? n, path + ".sectors",
                              "no profile for sector \(sector.rawValue), which has facilities; "
                              + "every sector with facilities needs one")
            }
        }

        guard reader.issues.count == before, let edges, retirement.count == Sex.allCases.count else { return nil }
        let structure = WorkforceStructure(ageBandEdges: edges, retirementAge: retirement, careerStartAge: careerStart)
        return (structure, profiles)
    }

    /// Band edges: at least two, strictly increasing; an edge out of order is reported at itself.
    private func resolveAgeBands(_ node: Node, _ path: String, reader: inout YAMLReader) -> [Double]? {
        guard let edges = reader.numberList(node, path, expectation: "an age ≥ 0 in years", limit: ScenarioLimits.age, valid: { $0 >= 0 })
        else { return nil }
        guard edges.count >= 2 else {
            return reader.fail(node, path, "list at least 2 band edges (K + 1 edges make K bands), got \(edges.count)")
        }
        let items = Array(node.sequence!)
        var ok = true
        for i in 1..<edges.count where edges[i] <= edges[i - 1] {
            reader.report(items[i], "\(path)[\(i)]",
                          "age band out of order: \(decimalText(edges[i])) is not above the edge before it "
                          + "(\(decimalText(edges[i - 1]))); edges must increase strictly")
            ok = false
        }
        return ok ? edges : nil
    }

    private mutating func resolveSectorWorkforce(_ sector: Sector, _ node: Node, edges: [Double]?,
                                                 retirement: [Sex: Double],
                                                 reader: inout YAMLReader) -> SectorWorkforce? {
        let path = "workforce.sectors.\(sector.rawValue)"
        guard let map = reader.mapping(node, path, allowed: Self.workforceSectorKeys,
                                       required: ["femaleShare", "ageShares", "wageYuanPerYear"]) else { return nil }
        let before = reader.issues.count
        let femaleShare = map["femaleShare"].flatMap {
            reader.number($0, path + ".femaleShare", expectation: Self.share, limit: .bounded, valid: Self.isShare)
        }
        var ageShares: [Sex: [Double]] = [:]
        let sexes = Sex.allCases.map(\.rawValue)
        if let n = map["ageShares"],
           let bySex = reader.mapping(n, path + ".ageShares", allowed: sexes, required: sexes) {
            for sex in Sex.allCases {
                guard let listNode = bySex[sex.rawValue] else { continue }
                if let shares = resolveAgeShares(listNode, "\(path).ageShares.\(sex.rawValue)", sex: sex,
                                                 edges: edges, retirementAge: retirement[sex], reader: &reader) {
                    ageShares[sex] = shares
                }
            }
        }
        let wage = map["wageYuanPerYear"].flatMap {
            reader.number($0, path + ".wageYuanPerYear", expectation: "a wage > 0 in yuan per worker per year", limit: ScenarioLimits.yuanPerPerson,
                          valid: { $0 > 0 })
        }
        var arrears = 0.0
        if let n = map["wageArrearsMonths"] {
            arrears = reader.number(n, path + ".wageArrearsMonths", expectation: "a number of months ≥ 0", limit: ScenarioLimits.months,
                                    valid: { $0 >= 0 }) ?? 0
        } else {
            defaulted.insert(path + ".wageArrearsMonths")
        }
        guard reader.issues.count == before, let femaleShare, let wage, ageShares.count == Sex.allCases.count
        else { return nil }
        return SectorWorkforce(femaleShare: femaleShare, ageShares: ageShares, wageYuanPerYear: wage,
                               wageArrearsMonths: arrears)
    }

    /// One sex's age profile: one share per band, each in [0, 1], summing to 1, and 0 in every band
    /// at or past that sex's retirement age. The band checks are skipped when the bands are invalid.
    private func resolveAgeShares(_ node: Node, _ path: String, sex: Sex, edges: [Double]?, retirementAge: Double?,
                                  reader: inout YAMLReader) -> [Double]? {
        guard let shares = reader.numberList(node, path, expectation: Self.share, limit: .bounded, valid: Self.isShare) else {
            return nil
        }
        var ok = true
        if let edges {
            let bands = edges.count - 1
            if shares.count != bands {
                reader.report(node, path, "give one share per age band: \(bands) bands ("
                              + (0..<bands).map { bandName(edges, $0) }.joined(separator: ", ")
                              + "), got \(shares.count) shares")
                ok = false
            } else if let retirementAge {
                let items = Array(node.sequence!)
                for k in 0..<bands where edges[k] >= retirementAge && shares[k] != 0 {
                    reader.report(items[k], "\(path)[\(k)]",
                                  "band \(bandName(edges, k)) is at or past the \(sex.rawValue) retirement age "
                                  + "(\(decimalText(retirementAge))), so its share must be 0; got \(decimalText(shares[k], digits: 6))")
                    ok = false
                }
            }
        }
        let sum = shares.reduce(0, +)
        if abs(sum - 1) > Self.ageShareTolerance {
            reader.report(node, path, "the shares must sum to 1, got \(decimalText(sum, digits: 6))")
            ok = false
        }
        return ok ? shares : nil
    }

    private func bandName(_ edges: [Double], _ k: Int) -> String {
        "\(decimalText(edges[k]))-\(decimalText(edges[k + 1]))"
    }

    // MARK: - resettlement

    private struct ResettlementSection {
        var channels: [ResettlementChannel]
        var transitions: TransitionRates
        var unemploymentBenefit: Double
        var socialInsurance: SocialInsuranceRates
        var jobRetentionRefundShare: Double
        var backWagesPayer: Payer
        var awardFund: AwardFund?
    }

    private mutating func resolveResettlementSection(_ node: Node, reader: inout YAMLReader) -> ResettlementSection? {
        let path = "resettlement"
        guard let map = reader.mapping(node, path, allowed: Self.resettlementKeys,
                                       required: Self.resettlementRequired) else { return nil }
        let before = reader.issues.count

        var channels: [ResettlementChannel] = []
        if let n = map["channels"], let list = reader.sequence(n, path + ".channels") {
            if list.isEmpty { reader.report(n, path + ".channels", "list at least one channel") }
            var usedIDs: [String: (index: Int, line: Int?)] = [:]
            for (i, item) in list.enumerated() {
                if let channel = resolveChannel(item, i, usedIDs: &usedIDs, reader: &reader) {
                    channels.append(channel)
                }
            }
        }
        let transitions = map["transitions"].flatMap { resolveTransitions($0, reader: &reader) }
        let benefit = map["unemploymentBenefitYuanPerYear"].flatMap {
            reader.number($0, path + ".unemploymentBenefitYuanPerYear",
                          expectation: "an amount ≥ 0 in yuan per person per year", limit: ScenarioLimits.yuanPerPerson, valid: { $0 >= 0 })
        }
        let insurance = map["socialInsurance"].flatMap { resolveSocialInsurance($0, reader: &reader) }
        let refund = map["jobRetentionRefundShare"].flatMap {
            reader.number($0, path + ".jobRetentionRefundShare", expectation: Self.share, limit: .bounded, valid: Self.isShare)
        }
        var backWagesPayer = Payer.localBudget
        if let n = map["backWagesPayer"] {
            backWagesPayer = reader.enumeration(n, path + ".backWagesPayer", Payer.self) ?? backWagesPayer
        } else {
            defaulted.insert(path + ".backWagesPayer")
        }
        let fund = map["awardFund"].flatMap { resolveAwardFund($0, reader: &reader) }

        guard reader.issues.count == before, let transitions, let benefit, let insurance, let refund else {
            return nil
        }
        return ResettlementSection(channels: channels, transitions: transitions, unemploymentBenefit: benefit,
                                   socialInsurance: insurance, jobRetentionRefundShare: refund,
                                   backWagesPayer: backWagesPayer, awardFund: fund)
    }

    private mutating func resolveChannel(_ node: Node, _ index: Int, usedIDs: inout [String: (index: Int, line: Int?)],
                                         reader: inout YAMLReader) -> ResettlementChannel? {
        let path = "resettlement.channels[\(index)]"
        guard let map = reader.mapping(node, path, allowed: Self.channelKeys, required: ["id", "kind"]) else {
            return nil
        }
        let before = reader.issues.count
        var id: String?
        if let n = map["id"], let text = reader.string(n, path + ".id") {
            if let first = usedIDs[text] {
                reader.report(n, path + ".id", "id '\(text)' is already used by channels[\(first.index)]"
                              + (first.line.map { " (line \($0))" } ?? "") + "; channel ids must be unique")
            } else {
                usedIDs[text] = (index, n.mark?.line)
                id = text
            }
        }
        let kind = map["kind"].flatMap { reader.enumeration($0, path + ".kind", ChannelKind.self) }

        var sectors: [Sector] = []
        if let n = map["sectors"] {
            sectors = reader.enumerationList(n, path + ".sectors", Sector.self) ?? []
        } else {
            defaulted.insert(path + ".sectors")
        }
        let persons = "a number of persons ≥ 0"
        let capacityTotal = map["capacityTotal"].flatMap {
            reader.number($0, path + ".capacityTotal", expectation: persons, limit: ScenarioLimits.persons, valid: { $0 >= 0 })
        }
        let capacityPerYear = map["capacityPerYear"].flatMap {
            reader.number($0, path + ".capacityPerYear", expectation: persons, limit: ScenarioLimits.persons, valid: { $0 >= 0 })
        }
        let share = map["share"].flatMap {
            reader.number($0, path + ".share", expectation: Self.share, limit: .bounded, valid: Self.isShare)
        }
        var within: Double?
        if let n = map["withinYearsOfRetirement"] {
            within = reader.number(n, path + ".withinYearsOfRetirement", expectation: "a number of years ≥ 0", limit: ScenarioLimits.durationYears,
                                   valid: { $0 >= 0 })
        } else if kind == .internalRetirement {
            within = Self.defaultInternalRetirementYears
            defaulted.insert(path + ".withinYearsOfRetirement")
        }
        let yuan = "an amount ≥ 0 in yuan per person"
        let oneOff = defaultedNumber(map, path, "oneOffYuanPerPerson", default: 0, expectation: yuan, limit: ScenarioLimits.yuanPerPerson,
                                     valid: { $0 >= 0 }, reader: &reader)
        let annual = defaultedNumber(map, path, "annualYuanPerPerson", default: 0, expectation: yuan, limit: ScenarioLimits.yuanPerPerson,
                                     valid: { $0 >= 0 }, reader: &reader)
        let wageShare = defaultedNumber(map, path, "annualShareOfWage", default: 0, expectation: Self.share, limit: .bounded,
                                        valid: Self.isShare, reader: &reader)
        var payer = Payer.enterprise
        if let n = map["payer"] {
            payer = reader.enumeration(n, path + ".payer", Payer.self) ?? payer
        } else {
            defaulted.insert(path + ".payer")
        }
        guard reader.issues.count == before, let id, let kind else { return nil }
        return ResettlementChannel(id: id, kind: kind, sectors: sectors, capacityTotalPersons: capacityTotal,
                                   capacityPerYearPersons: capacityPerYear, share: share,
                                   withinYearsOfRetirement: within, oneOffYuanPerPerson: oneOff,
                                   annualYuanPerPerson: annual, annualShareOfWage: wageShare, payer: payer)
    }

    /// `map[key]` as a number, or `value` recorded as a default at `path.key` when the key is absent.
    private mutating func defaultedNumber(_ map: [String: Node], _ path: String, _ key: String, default value: Double,
                                          expectation: String, limit: ScenarioLimit, valid: (Double) -> Bool,
                                          reader: inout YAMLReader) -> Double {
        guard let n = map[key] else {
            defaulted.insert("\(path).\(key)")
            return value
        }
        return reader.number(n, "\(path).\(key)", expectation: expectation, limit: limit, valid: valid) ?? value
    }

    private func resolveTransitions(_ node: Node, reader: inout YAMLReader) -> TransitionRates? {
        let path = "resettlement.transitions"
        guard let map = reader.mapping(node, path, allowed: Self.transitionKeys, required: Self.transitionKeys) else {
            return nil
        }
        let years = "a mean length > 0 in years"
        let rate = "a rate per year in [0, 1]"
        func value(_ key: String, _ expectation: String, limit: ScenarioLimit = .bounded,
                   _ valid: (Double) -> Bool) -> Double? {
            map[key].flatMap { reader.number($0, "\(path).\(key)", expectation: expectation, limit: limit, valid: valid) }
        }
        let trainingYears = value("trainingYears", years, limit: ScenarioLimits.durationYears) { $0 > 0 }
        let success = value("trainingSuccessShare", Self.share, Self.isShare)
        let reemployment = value("reemploymentRate", rate, Self.isShare)
        let exit = value("labourForceExitRate", rate, Self.isShare)
        let jobLoss = value("jobLossRate", rate, Self.isShare)
        let welfareYears = value("publicWelfareYears", years, limit: ScenarioLimits.durationYears) { $0 > 0 }
        guard let trainingYears, let success, let reemployment, let exit, let jobLoss, let welfareYears else {
            return nil
        }
        // Both are shares of the same unemployed stock leaving in one year.
        if reemployment + exit > 1 {
            reader.report(map["labourForceExitRate"], "\(path).labourForceExitRate",
                          "reemploymentRate + labourForceExitRate must not exceed 1 (both leave the same unemployed stock), got \(reemployment + exit)")
            return nil
        }
        return TransitionRates(trainingYears: trainingYears, trainingSuccessShare: success,
                               reemploymentRate: reemployment, labourForceExitRate: exit, jobLossRate: jobLoss,
                               publicWelfareYears: welfareYears)
    }

    private func resolveSocialInsurance(_ node: Node, reader: inout YAMLReader) -> SocialInsuranceRates? {
        let path = "resettlement.socialInsurance"
        guard let map = reader.mapping(node, path, allowed: Self.socialInsuranceKeys,
                                       required: Self.socialInsuranceKeys) else { return nil }
        var rates: [String: SteppedRate] = [:]
        for key in Self.socialInsuranceKeys {
            guard let n = map[key],
                  let value = reader.numberOrYearMap(n, "\(path).\(key)", years: baseYear...endYear,
                                                     expectation: "a share of the wage base in [0, 1]", limit: .bounded,
                                                     valid: Self.isShare)
            else { continue }
            switch value {
            case let .constant(x): rates[key] = SteppedRate(x)
            case let .byYear(steps): rates[key] = SteppedRate(fromYear: steps)
            }
        }
        guard let pension = rates["pension"], let medical = rates["medical"], let unemployment = rates["unemployment"],
              let maternity = rates["maternity"], let workInjury = rates["workInjury"] else { return nil }
        return SocialInsuranceRates(pension: pension, medical: medical, unemployment: unemployment,
                                    maternity: maternity, workInjury: workInjury)
    }

    private mutating func resolveAwardFund(_ node: Node, reader: inout YAMLReader) -> AwardFund? {
        let path = "resettlement.awardFund"
        guard let map = reader.mapping(node, path, allowed: Self.awardFundKeys,
                                       required: ["amountYuanByYear", "sectors"]) else { return nil }
        let before = reader.issues.count
        let amounts = map["amountYuanByYear"].flatMap {
            reader.yearMap($0, path + ".amountYuanByYear", years: (baseYear + 1)...endYear,
                           expectation: "an amount ≥ 0 in yuan", limit: ScenarioLimits.yuan, valid: { $0 >= 0 })
        }
        let sectors = map["sectors"].flatMap { reader.enumerationList($0, path + ".sectors", Sector.self) }
        let baseShare = defaultedNumber(map, path, "baseShare", default: 0.8, expectation: Self.share, limit: .bounded,
                                        valid: Self.isShare, reader: &reader)
        let weight = "a weight ≥ 0"
        let capacityWeight = defaultedNumber(map, path, "capacityWeight", default: 0.5, expectation: weight, limit: ScenarioLimits.weight,
                                             valid: { $0 >= 0 }, reader: &reader)
        let workersWeight = defaultedNumber(map, path, "workersWeight", default: 0.5, expectation: weight, limit: ScenarioLimits.weight,
                                            valid: { $0 >= 0 }, reader: &reader)
        if reader.issues.count == before, baseShare > 0, capacityWeight == 0, workersWeight == 0 {
            reader.report(map["workersWeight"], path + ".workersWeight",
                          "capacityWeight and workersWeight are both 0, so the base share cannot be split; "
                          + "make one of them > 0 or set baseShare to 0")
        }

        var difficulty: [Sector: Double] = [:]
        if let n = map["difficulty"] {
            difficulty = reader.enumerationMap(n, path + ".difficulty", Sector.self,
                                               expectation: "a coefficient > 0", limit: ScenarioLimits.weight, valid: { $0 > 0 }) ?? [:]
            // A coefficient for a sector outside the fund would be silently unused.
            for (keyNode, _) in n.mapping ?? Node.Mapping([]) {
                guard let sectors, let sector = keyNode.scalar.flatMap({ Sector(rawValue: $0.string) }),
                      !sectors.contains(sector) else { continue }
                reader.report(keyNode, "\(path).difficulty.\(sector.rawValue)",
                              "sector \(sector.rawValue) is not among the fund's sectors ("
                              + sectors.map(\.rawValue).joined(separator: ", ") + ")")
            }
        }
        for sector in sectors ?? [] where difficulty[sector] == nil {
            difficulty[sector] = 1
            defaulted.insert("\(path).difficulty.\(sector.rawValue)")
        }

        var fallback = Payer.provincialBudget
        if let n = map["fallbackPayer"] {
            if let p = reader.enumeration(n, path + ".fallbackPayer", Payer.self) {
                if p == .centralAward {
                    reader.report(n, path + ".fallbackPayer",
                                  "must be a payer other than central_award: it pays once the fund is spent")
                } else {
                    fallback = p
                }
            }
        } else {
            defaulted.insert(path + ".fallbackPayer")
        }
        guard reader.issues.count == before, let amounts, let sectors else { return nil }
        return AwardFund(amountYuanByYear: amounts, sectors: sectors, baseShare: baseShare,
                         capacityWeight: capacityWeight, workersWeight: workersWeight, difficulty: difficulty,
                         fallbackPayer: fallback)
    }
}
