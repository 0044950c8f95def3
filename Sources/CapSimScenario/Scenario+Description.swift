import CapSimCore

extension Scenario {
    /// The scenario as resolved, for `capsim validate`: every value that applies, with the ones
    /// that came from defaults marked `(default)`.
    public var resolvedDescription: String {
        var out: [String] = []
        func mark(_ path: String) -> String { defaulted.contains(path) ? " (default)" : "" }
        out.append("scenario: \(name)")
        out.append("file: \(file)")
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
            out.append("    replacementRatio: \(decimalText(p.replacementRatio))\(mark(path + ".replacementRatio"))")
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
                    line += ", threshold \(decimalText(v)) in \(a)-\(b)"
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
        return out.joined(separator: "\n")
    }
}
