import CapSimCore

extension Scenario {
    /// The scenario as resolved, for `capsim validate`: every value that applies, with the ones
    /// that came from defaults marked `(default)`; for a variant, the files it extends and every
    /// value it set, with the file and line that set it.
    public var resolvedDescription: String {
        var out: [String] = []
        let setBy = Dictionary(overrides.map { ($0.path, $0) }, uniquingKeysWith: { _, b in b })
        func mark(_ path: String) -> String {
            if defaulted.contains(path) { return " (default)" }
            if let o = setBy[path] { return " (from \(o.file):\(o.line.map(String.init) ?? "?"))" }
            return ""
        }
        out.append("scenario: \(name)")
        out.append("file: \(file)")
        if chain.count > 1 {
            out.append("extends: " + chain.dropLast().reversed().joined(separator: " → ")
                       + " (every value not listed below comes from \(chain[0]))")
            out.append("values set by variants:")
            for o in overrides {
                out.append("  \(o.path) \(o.summary)   from \(o.file):\(o.line.map(String.init) ?? "?")")
            }
        }
        out.append("title: \(title)\(mark("title"))")
        out.append("years: \(baseYear) (base, before the programme) to \(endYear)")
        out.append("facilityTables:")
        for t in facilityTables { out.append("  - \(t)") }
        out.append("facilities: \(facilities.count)")
        for sector in Sector.allCases {
            let units = facilities.filter { $0.sector == sector }
            guard !units.isEmpty else { continue }
            let operating = units.filter { $0.startYear <= baseYear }
            let planned = units.count - operating.count
            let cap = operating.reduce(0) { $0 + $1.capacity10ktPerYear }
            let byOwner = OwnerType.allCases.map { o in "\(o.rawValue) \(operating.filter { $0.owner == o }.count)" }
            out.append("  \(sector.rawValue): \(operating.count) operating, \(decimalText(cap)) 10kt/yr"
                       + " (\(byOwner.joined(separator: ", ")))"
                       + (planned > 0 ? "; \(planned) planned new" : ""))
        }
        out.append("sectors:")
        for (sector, p) in policy.sectors.sorted(by: { $0.key < $1.key }) {
            let path = "sectors.\(sector.rawValue)"
            out.append("  \(sector.rawValue):\(mark(path))")
            out.append("    utilisation: \(decimalText(p.utilisation))\(mark(path + ".utilisation"))")
            for (y, u) in p.utilisationByYear.sorted(by: { $0.key < $1.key }) {
                out.append("    utilisation \(y): \(decimalText(u))")
            }
            out.append("    priceIndex: \(decimalText(p.priceIndex))\(mark(path + ".priceIndex"))")
            for (y, x) in p.priceIndexByYear.sorted(by: { $0.key < $1.key }) {
                out.append("    priceIndex \(y): \(decimalText(x))")
            }
            out.append("    replacementRatio: \(decimalText(p.replacementRatio))\(mark(path + ".replacementRatio"))")
            if let m = p.market {  // Scenario+Markets.swift; docs/MODEL.md §2.7
                out.append("    market: demand \(decimalText(m.demand10kt)) 10kt"
                           + m.demandByYear.sorted(by: { $0.key < $1.key }).map { " (\($0.key): \(decimalText($0.value)))" }.joined()
                           + ", elasticity \(decimalText(m.elasticity)), reference price index \(decimalText(m.referencePriceIndex))"
                           + " at utilisation \(decimalText(m.referenceUtilisation)), ceiling \(decimalText(m.utilisationCeiling)),"
                           + " price index in [\(decimalText(m.priceIndexFloor)), \(decimalText(m.priceIndexCap))],"
                           + " depletion \(decimalText(m.depletionRate))/yr, cost reduction \(decimalText(m.costReductionRate))/yr"
                           + " up to \(decimalText(m.costReductionLimit)), payback \(decimalText(m.investmentPaybackYears)) years")
            }
        }
        out.append("rules: (applied in this order every year)")
        for (i, r) in policy.rules.enumerated() {
            let path = "rules[\(i)]"
            var line = "  - \(r.id): \(r.criterion.rawValue)"
            line += r.sector.map { ", sector \($0.rawValue)" } ?? ""
            if r.criterion == .named {
                line += ", year \(r.years.lowerBound), facilities \(r.namedFacilities.joined(separator: " "))"
            } else if r.criterion.needsThreshold {
                let pairs = r.thresholdByYear.sorted { $0.key < $1.key }
                let values = Set(pairs.map(\.value))
                if values.count == 1, let v = values.first, let a = pairs.first?.key, let b = pairs.last?.key {
                    line += ", threshold \(decimalText(v))\(mark(path + ".threshold")) in \(a)-\(b)"
                } else {
                    line += ", thresholds " + pairs.map { "\($0.key): \(decimalText($0.value))" }.joined(separator: ", ")
                }
            } else {
                line += ", years \(r.years.lowerBound)\(mark(path + ".from"))-\(r.years.upperBound)\(mark(path + ".to"))"
            }
            line += ", owner \(r.owner?.rawValue ?? "any"), region \(r.region ?? "any")"
            out.append(line)
        }
        out.append("targets: (after the rules, in this order)")
        for t in policy.targets {
            let goals = t.capacityClosedByYear.sorted { $0.key < $1.key }
                .map { "\($0.key): \(decimalText($0.value))" }.joined(separator: ", ")
            out.append("  - \(t.id): sector \(t.sector.rawValue), capacity closed per year (10kt/yr) {\(goals)}, "
                       + "priority \(t.priority.map(\.rawValue).joined(separator: " > ")) then table order, "
                       + "candidates owner \(t.owner?.rawValue ?? "any"), region \(t.region ?? "any")")
        }
        out += resettlementDescription(mark)
        out += financeDescription(mark)
        return out.joined(separator: "\n")
    }

    /// The enterprises (grouped by main sector and owner, with their base-year debt per creditor
    /// class) and the `finance` section as resolved, or a line saying debt is not modelled.
    private func financeDescription(_ mark: (String) -> String) -> [String] {
        guard let f = policy.finance else { return ["enterprises and finance: not modelled (no balance sheets)"] }
        var out: [String] = []
        func num(_ x: Double) -> String { decimalText(x, digits: 6) }
        out.append("enterpriseTables:")
        for t in enterpriseTables { out.append("  - \(t)") }
        out.append("enterprises: \(enterprises.count) (by main sector and owner; yuan at the end of \(baseYear))")
        let mainSectors = enterpriseMainSectors
        for sector in Sector.allCases {
            for owner in OwnerType.allCases {
                let group = enterprises.indices.filter { mainSectors[$0] == sector && enterprises[$0].owner == owner }
                guard !group.isEmpty else { continue }
                let assets = group.reduce(0.0) { $0 + enterprises[$1].assetsYuan }
                let debts = CreditorClass.allCases.map { c in
                    "\(c.rawValue) \(num(group.reduce(0.0) { $0 + enterprises[$1].debtYuan[c.index] }))"
                }
                let total = group.reduce(0.0) { $0 + enterprises[$1].totalDebtYuan }
                out.append("  \(sector.rawValue), \(owner.rawValue): \(group.count) enterprise\(group.count == 1 ? "" : "s"), "
                           + "assets \(num(assets)), debt \(num(total)) (\(debts.joined(separator: ", ")))")
            }
        }
        out.append("finance:")
        out.append("  assetWriteDownShare: \(num(f.assetWriteDownShare))")
        out.append("  repaymentShare: \(num(f.repaymentShare))")
        if f.instruments.isEmpty {
            out.append("  instruments: none")
        } else {
            out.append("  instruments: (applied in this order every year after the accounts)")
        }
        for (i, inst) in f.instruments.enumerated() {
            let path = "finance.instruments[\(i)]"
            out.append("    - \(inst.id): \(inst.kind.rawValue)")
            out.append("        years: \(inst.years.lowerBound)\(mark(path + ".from"))-\(inst.years.upperBound)\(mark(path + ".to"))")
            out += filterDescription(inst.filter, path, indent: "        ", mark)
            out.append("        zombiesOnly: \(inst.filter.zombiesOnly)\(mark(path + ".zombiesOnly"))")
            out.append("        creditors: \(inst.creditors.map(\.rawValue).joined(separator: ", "))\(mark(path + ".creditors"))")
            if inst.kind == .interestSuspension {
                out.append("        share: not used (suspension stops all interest on the classes)")
            } else {
                out.append("        share: \(num(inst.share))\(mark(path + ".share"))")
            }
            if inst.kind == .assetStripping {
                out.append("        debtFollowsShare: \(num(inst.debtFollowsShare))\(mark(path + ".debtFollowsShare"))")
            }
            if let into = inst.recipient { out.append("        into: \(into)") }
            if inst.kind == .assetSale {
                out.append("        recoveryShare: \(num(inst.recoveryShare))\(mark(path + ".recoveryShare"))")
            }
        }
        let z = f.zombies
        let path = "finance.zombies"
        out.append("  zombies:")
        out.append("    haltedMonths: \(num(z.haltedMonths))\(mark(path + ".haltedMonths"))")
        out.append("    debtToAssets: \(num(z.debtToAssets))\(mark(path + ".debtToAssets"))")
        out.append("    lossYears: \(z.lossYears)\(mark(path + ".lossYears"))")
        out.append("    match: \(z.requireAll ? "all" : "any")\(mark(path + ".match"))"
                   + (z.requireAll ? " (a zombie meets all three criteria)" : " (any one criterion makes a zombie)"))
        if z.actions.isEmpty {
            out.append("    actions: none (zombies are only flagged)")
        } else {
            out.append("    actions: (first matching applies; a zombie matching none is only flagged)")
        }
        for (i, a) in z.actions.enumerated() {
            let p = "\(path).actions[\(i)]"
            out.append("      - \(a.kind.rawValue)")
            out += filterDescription(a.filter, p, indent: "          ", mark)
            if a.kind == .bankruptcy {
                let shares = CreditorClass.allCases.map { "\($0.rawValue) \(num(a.recovery[$0.index]))" }
                out.append("          recovery: \(shares.joined(separator: ", "))\(mark(p + ".recovery"))")
            }
            if let into = a.acquirer { out.append("          into: \(into)") }
        }
        return out
    }

    /// The lines of an enterprise filter's `sectors`, `owner` and `enterprises`.
    private func filterDescription(_ filter: EnterpriseFilter, _ path: String, indent: String,
                                   _ mark: (String) -> String) -> [String] {
        let sectors = filter.sectors.isEmpty
            ? "any" : filter.sectors.map(\.rawValue).joined(separator: ", ") + " (enterprises' main sector)"
        let ids = filter.enterprises.isEmpty ? "any" : filter.enterprises.joined(separator: ", ")
        return [
            "\(indent)sectors: \(sectors)\(mark(path + ".sectors"))",
            "\(indent)owner: \(filter.owner?.rawValue ?? "any")\(mark(path + ".owner"))",
            "\(indent)enterprises: \(ids)\(mark(path + ".enterprises"))",
        ]
    }

    /// The `workforce` and `resettlement` sections as resolved, or a line saying workers are not modelled.
    private func resettlementDescription(_ mark: (String) -> String) -> [String] {
        guard let r = policy.resettlement else { return ["workforce and resettlement: not modelled (capacity only)"] }
        var out: [String] = []
        func num(_ x: Double) -> String { decimalText(x, digits: 6) }
        func limit(_ x: Double?, _ unit: String) -> String { x.map { "\(num($0))\(unit)" } ?? "no limit" }
        let s = r.structure
        let bands = (0..<s.bandCount).map { "\(num(s.ageBandEdges[$0]))-\(num(s.ageBandEdges[$0 + 1]))" }
        out.append("workforce:")
        out.append("  ageBands: \(s.ageBandEdges.map(num).joined(separator: ", ")) years"
                   + " (\(s.bandCount) bands: \(bands.joined(separator: ", ")))")
        out.append("  retirementAge: "
                   + Sex.allCases.map { "\($0.rawValue) \(num(s.retirementAge[$0]!))" }.joined(separator: ", "))
        out.append("  careerStartAge: \(num(s.careerStartAge))\(mark("workforce.careerStartAge"))")
        out.append("  sectors:")
        for (sector, w) in r.sectors.sorted(by: { $0.key < $1.key }) {
            let path = "workforce.sectors.\(sector.rawValue)"
            out.append("    \(sector.rawValue):")
            out.append("      femaleShare: \(num(w.femaleShare))")
            for sex in Sex.allCases {
                let shares = zip(bands, w.ageShares[sex]!).map { "\($0) \(num($1))" }
                out.append("      ageShares \(sex.rawValue): \(shares.joined(separator: ", "))")
            }
            out.append("      wageYuanPerYear: \(num(w.wageYuanPerYear))")
            out.append("      wageArrearsMonths: \(num(w.wageArrearsMonths))\(mark(path + ".wageArrearsMonths"))")
        }
        out.append("resettlement:")
        out.append("  channels: (tried in this order every year)")
        for (i, c) in r.channels.enumerated() {
            let path = "resettlement.channels[\(i)]"
            out.append("    - \(c.id): \(c.kind.rawValue) (workers enter \(c.kind.entryState.rawValue))")
            let sectors = c.sectors.isEmpty ? "all" : c.sectors.map(\.rawValue).joined(separator: ", ")
            out.append("        sectors: \(sectors)\(mark(path + ".sectors"))")
            out.append("        capacityTotal: \(limit(c.capacityTotalPersons, " persons"))")
            out.append("        capacityPerYear: \(limit(c.capacityPerYearPersons, " persons"))")
            out.append("        share: " + (c.share.map { "at most \(num($0)) of a sector's pool per year" } ?? "no limit"))
            out.append("        withinYearsOfRetirement: "
                       + (c.withinYearsOfRetirement.map { "\(num($0)) years" } ?? "any age")
                       + mark(path + ".withinYearsOfRetirement"))
            out.append("        oneOffYuanPerPerson: \(num(c.oneOffYuanPerPerson))\(mark(path + ".oneOffYuanPerPerson"))")
            out.append("        annualYuanPerPerson: \(num(c.annualYuanPerPerson))\(mark(path + ".annualYuanPerPerson"))")
            out.append("        annualShareOfWage: \(num(c.annualShareOfWage))\(mark(path + ".annualShareOfWage"))")
            out.append("        payer: \(c.payer.rawValue)\(mark(path + ".payer"))")
        }
        let t = r.transitions
        out.append("  transitions:")
        out.append("    trainingYears: \(num(t.trainingYears))")
        out.append("    trainingSuccessShare: \(num(t.trainingSuccessShare))")
        out.append("    reemploymentRate: \(num(t.reemploymentRate))")
        out.append("    labourForceExitRate: \(num(t.labourForceExitRate))")
        out.append("    jobLossRate: \(num(t.jobLossRate))")
        out.append("    publicWelfareYears: \(num(t.publicWelfareYears))")
        out.append("  unemploymentBenefitYuanPerYear: \(num(r.unemploymentBenefitYuanPerYear))")
        out.append("  socialInsurance: (shares of the wage base)")
        let si = r.socialInsurance
        for (name, rate) in [("pension", si.pension), ("medical", si.medical), ("unemployment", si.unemployment),
                             ("maternity", si.maternity), ("workInjury", si.workInjury)] {
            let steps = rate.fromYear.sorted { $0.key < $1.key }
            let text = steps.count == 1 && steps[0].key == Int.min
                ? "\(num(steps[0].value)) every year"
                : steps.map { "\(num($0.value)) from \($0.key)" }.joined(separator: ", ")
            out.append("    \(name): \(text)")
        }
        out.append("  jobRetentionRefundShare: \(num(r.jobRetentionRefundShare))")
        out.append("  backWagesPayer: \(r.backWagesPayer.rawValue)\(mark("resettlement.backWagesPayer"))")
        if let f = r.awardFund {
            let path = "resettlement.awardFund"
            out.append("  awardFund:")
            let amounts = f.amountYuanByYear.sorted { $0.key < $1.key }.map { "\($0.key): \(num($0.value))" }
            out.append("    amountYuanByYear: \(amounts.joined(separator: ", "))")
            out.append("    sectors: \(f.sectors.map(\.rawValue).joined(separator: ", "))")
            out.append("    baseShare: \(num(f.baseShare))\(mark(path + ".baseShare"))")
            out.append("    capacityWeight: \(num(f.capacityWeight))\(mark(path + ".capacityWeight"))")
            out.append("    workersWeight: \(num(f.workersWeight))\(mark(path + ".workersWeight"))")
            let difficulty = f.difficulty.sorted { $0.key < $1.key }
                .map { "\($0.key.rawValue) \(num($0.value))\(mark("\(path).difficulty.\($0.key.rawValue)"))" }
            out.append("    difficulty: \(difficulty.joined(separator: ", "))")
            out.append("    fallbackPayer: \(f.fallbackPayer.rawValue)\(mark(path + ".fallbackPayer"))")
        } else {
            out.append("  awardFund: none")
        }
        return out
    }
}
