import CapSimCore
import Yams

/// One sweep parameter compiled, for one policy variant, into a typed write into the variant's
/// resolved `Policy`: the number lands where `Scenario.load` would have put it after editing and
/// re-resolving the YAML tree, bit for bit (docs/SWEEP.md, "How an experiment is built").
///
/// Built only for paths whose value is a number or a year map of numbers in the variant's
/// document and whose field has a known range (`ScenarioFieldRange`); anything else (a table, a
/// list, a key the document does not write, text) stays on the YAML path.
struct SweepSetter {
    /// Where the number goes, with list elements by position in the resolved policy.
    enum Place {
        case utilisation(Sector)
        case priceIndex(Sector)
        case replacementRatio(Sector)
        /// One year of the map, or (nil) every year it lists.
        case utilisationByYear(Sector, year: Int?)
        case priceIndexByYear(Sector, year: Int?)
        /// A rule's `threshold`: the same number in every year the rule is active.
        case threshold(rule: Int)
        case thresholdByYear(rule: Int, year: Int?)
        case capacityClosedByYear(target: Int, year: Int?)
        case transition(WritableKeyPath<TransitionRates, Double>)
    }

    let place: Place
    /// The draw multiplies the numbers at the place instead of replacing them.
    let scale: Bool
    /// The canonical path, as the loader's messages name the field.
    let canonical: String
    let range: ScenarioFieldRange

    /// Compiles `parameter` against `document` (a variant's document) and `policy` (the same
    /// document resolved); nil when the parameter must go through the YAML tree.
    init?(_ parameter: SweepParameter, document: ScenarioDocument, policy: Policy) {
        guard let (node, canonical) = document.node(at: parameter.path),
              case let .success(path) = ScenarioPath.parse(canonical)
        else { return nil }
        // The kinds the YAML edit accepts: a number replaced or scaled, a year map scaled.
        let isNumber = node.scalar.map { DecimalNumber.parse($0.string) != nil } ?? false
        let isYearMap = node.mapping.map { m in
            !m.isEmpty && m.allSatisfy { Int($0.key.scalar?.string ?? "") != nil && DecimalNumber.parse($0.value.scalar?.string ?? "") != nil }
        } ?? false
        guard isNumber || (parameter.scale && isYearMap) else { return nil }
        var keys: [String] = [], positions: [Int] = []
        for segment in path.segments {
            switch segment {
            case let .key(k): keys.append(k)
            case let .index(i):
                positions.append(i)
                keys.append("[]")
            case .id: return nil  // canonical paths hold positions only
            }
        }
        let year = isNumber ? keys.last.flatMap { Int($0) } : nil
        var criterion: ClosureCriterion?
        let place: Place
        // `keys` with "[]" for each list step: ["rules", "[]", "threshold"].
        let n = keys.count, top = keys[0]
        let whole = year == nil  // the path names the field itself, not one year of it
        if top == "sectors" && (n == 3 || (n == 4 && year != nil)) {
            guard let sector = Sector(rawValue: keys[1]), policy.sectors[sector] != nil else { return nil }
            switch keys[2] {
            case "utilisation" where n == 3 && isNumber: place = .utilisation(sector)
            case "priceIndex" where n == 3 && isNumber: place = .priceIndex(sector)
            case "replacementRatio" where n == 3 && isNumber: place = .replacementRatio(sector)
            // A year map given as a number is the YAML path's error to report.
            case "utilisationByYear" where !(isNumber && whole): place = .utilisationByYear(sector, year: year)
            case "priceIndexByYear" where !(isNumber && whole): place = .priceIndexByYear(sector, year: year)
            default: return nil
            }
        } else if top == "rules" && keys[1] == "[]" && (n == 3 || (n == 4 && year != nil)) {
            let r = positions[0]
            guard r < policy.rules.count else { return nil }
            criterion = policy.rules[r].criterion
            switch keys[2] {
            case "threshold" where n == 3 && isNumber: place = .threshold(rule: r)
            case "thresholdByYear" where !(isNumber && whole): place = .thresholdByYear(rule: r, year: year)
            default: return nil
            }
        } else if top == "targets" && keys[1] == "[]" && keys[2] == "capacityClosedByYear"
                    && ((n == 3 && !isNumber) || (n == 4 && year != nil)) {
            let t = positions[0]
            guard t < policy.targets.count else { return nil }
            place = .capacityClosedByYear(target: t, year: year)
        } else if n == 3 && top == "resettlement" && keys[1] == "transitions" && isNumber {
            guard policy.resettlement != nil else { return nil }
            let fields: [String: WritableKeyPath<TransitionRates, Double>] = [
                "trainingYears": \.trainingYears, "trainingSuccessShare": \.trainingSuccessShare,
                "reemploymentRate": \.reemploymentRate, "labourForceExitRate": \.labourForceExitRate,
                "jobLossRate": \.jobLossRate, "publicWelfareYears": \.publicWelfareYears,
            ]
            guard let field = fields[keys[2]] else { return nil }
            place = .transition(field)
        } else {
            return nil
        }
        // The range of one number at the place (a year map's entries share it).
        let rangePath = isYearMap ? canonical + ".2000" : canonical
        guard let range = ScenarioFieldRange.field(forPath: rangePath, criterion: criterion) else { return nil }
        self.place = place
        self.scale = parameter.scale
        self.canonical = canonical
        self.range = range
    }

    /// Writes `x` (or multiplies by it) at the place in `policy`.
    func apply(_ x: Double, to policy: inout Policy) {
        // The YAML path writes the number's shortest text and reads it back: the same double,
        // except that -0 reads back as 0.
        func written(_ old: Double) -> Double {
            let v = scale ? old * x : x
            return v == 0 ? 0 : v
        }
        func each(_ map: inout [Int: Double], _ year: Int?) {
            if let year { map[year] = written(map[year] ?? 0) } else { for k in map.keys { map[k] = written(map[k]!) } }
        }
        switch place {
        case let .utilisation(s): policy.sectors[s]!.utilisation = written(policy.sectors[s]!.utilisation)
        case let .priceIndex(s): policy.sectors[s]!.priceIndex = written(policy.sectors[s]!.priceIndex)
        case let .replacementRatio(s): policy.sectors[s]!.replacementRatio = written(policy.sectors[s]!.replacementRatio)
        case let .utilisationByYear(s, year): each(&policy.sectors[s]!.utilisationByYear, year)
        case let .priceIndexByYear(s, year): each(&policy.sectors[s]!.priceIndexByYear, year)
        case let .threshold(r):
            // `threshold: x` means x in every active year; all those years hold the same number.
            let rule = policy.rules[r]
            let old = rule.thresholdByYear[rule.years.lowerBound] ?? 0
            let v = written(old)
            for y in rule.years { policy.rules[r].thresholdByYear[y] = v }
        case let .thresholdByYear(r, year): each(&policy.rules[r].thresholdByYear, year)
        case let .capacityClosedByYear(t, year): each(&policy.targets[t].capacityClosedByYear, year)
        case let .transition(field):
            policy.resettlement!.transitions[keyPath: field] = written(policy.resettlement!.transitions[keyPath: field])
        }
    }

    /// The loader's message for the first number at the place that is out of range, with the
    /// field it names; nil when all are allowed.
    func problem(in policy: Policy) -> (field: String, message: String)? {
        func one(_ field: String, _ x: Double) -> (field: String, message: String)? {
            range.problem(x).map { (field, $0) }
        }
        func map(_ m: [Int: Double], _ year: Int?) -> (field: String, message: String)? {
            if let year { return one(canonical, m[year] ?? 0) }
            // Years in order, as the loader reports them, only once one is out of range.
            guard m.values.contains(where: { range.problem($0) != nil }) else { return nil }
            for k in m.keys.sorted() { if let p = one("\(canonical).\(k)", m[k]!) { return p } }
            return nil
        }
        switch place {
        case let .utilisation(s): return one(canonical, policy.sector(s).utilisation)
        case let .priceIndex(s): return one(canonical, policy.sector(s).priceIndex)
        case let .replacementRatio(s): return one(canonical, policy.sector(s).replacementRatio)
        case let .utilisationByYear(s, year): return map(policy.sector(s).utilisationByYear, year)
        case let .priceIndexByYear(s, year): return map(policy.sector(s).priceIndexByYear, year)
        case let .threshold(r):
            let rule = policy.rules[r]
            return one(canonical, rule.thresholdByYear[rule.years.lowerBound] ?? 0)
        case let .thresholdByYear(r, year): return map(policy.rules[r].thresholdByYear, year)
        case let .capacityClosedByYear(t, year): return map(policy.targets[t].capacityClosedByYear, year)
        case let .transition(field):
            return policy.resettlement.flatMap { one(canonical, $0.transitions[keyPath: field]) }
        }
    }

    /// Whether the setter writes a transition rate, which the loader also checks across fields.
    var isTransition: Bool {
        if case .transition = place { true } else { false }
    }

    /// The loader's check across two transition rates (`resolveTransitions`), after every field
    /// passed its own.
    static func transitionProblem(in policy: Policy) -> (field: String, message: String)? {
        guard let rates = policy.resettlement?.transitions, rates.reemploymentRate + rates.labourForceExitRate > 1 else {
            return nil
        }
        return ("resettlement.transitions.labourForceExitRate",
                "reemploymentRate + labourForceExitRate must not exceed 1 (both leave the same unemployed stock), got \(rates.reemploymentRate + rates.labourForceExitRate)")
    }
}

/// How a sweep builds each experiment's policy: parameters compiled once into typed setters
/// (`SweepSetter`) where their path allows, the YAML tree edited and re-resolved for the rest.
///
/// Decided per parameter when the sweep is read: a parameter is written as a number when its path
/// compiles to a setter in every policy variant and no parameter of the same section group
/// (sectors; rules and targets; workforce and resettlement; finance and enterprise tables) needs
/// the YAML tree, since the loader resolves such a group as a whole.
public struct SweepPolicyBuilder: @unchecked Sendable {
    // Holds the spec's documents (Yams trees), never mutated once shared.

    /// The sweep.
    public let spec: SweepSpec
    /// Per parameter: written straight into the resolved policy (true) or through the YAML tree.
    public let isTyped: [Bool]
    /// `[policy][parameter]`: the setters of the typed parameters.
    private let setters: [[SweepSetter?]]
    /// The top-level keys the YAML parameters edit.
    private let yamlSections: Set<String>

    /// The group of top-level keys the loader resolves together (`Scenario.resolve`'s reuse).
    static func sectionGroup(_ key: String) -> String {
        switch key {
        case "rules", "targets": "rules"
        case "workforce", "resettlement": "resettlement"
        case "enterpriseTables", "finance": "finance"
        default: key
        }
    }

    /// Compiles `spec`'s parameters; `typed: false` keeps every parameter on the YAML path (the
    /// reference the typed path is tested against).
    public init(spec: SweepSpec, typed: Bool = true) {
        self.spec = spec
        func firstKey(_ p: SweepParameter) -> String {
            if case let .key(k) = p.path.segments.first { return k } else { return "" }
        }
        var compiled: [[SweepSetter?]] = spec.policies.map { policy in
            spec.parameters.map { typed ? SweepSetter($0, document: policy.document, policy: policy.scenario.policy) : nil }
        }
        var typedNow = spec.parameters.indices.map { j in compiled.allSatisfy { $0[j] != nil } }
        let yamlGroups = Set(spec.parameters.indices.filter { !typedNow[$0] }.map { Self.sectionGroup(firstKey(spec.parameters[$0])) })
        for j in spec.parameters.indices where yamlGroups.contains(Self.sectionGroup(firstKey(spec.parameters[j]))) {
            typedNow[j] = false
            for p in compiled.indices { compiled[p][j] = nil }
        }
        isTyped = typedNow
        setters = compiled
        yamlSections = Set(spec.parameters.indices.filter { !typedNow[$0] }.map { firstKey(spec.parameters[$0]) })
    }

    /// The policy of variant `p` with the parameters at `values` (in parameter order).
    ///
    /// - Throws: `ScenarioError` for a value out of its field's range (located at the parameter's
    ///   line of the sweep file, naming the scenario field), or what editing and resolving the
    ///   YAML tree throws for the other parameters.
    public func policy(_ p: Int, values: [Double]) throws -> Policy {
        let variant = spec.policies[p]
        var policy: Policy
        if yamlSections.isEmpty {
            policy = variant.scenario.policy
        } else {
            var document = variant.document
            for (j, (parameter, x)) in zip(spec.parameters, values).enumerated() where !isTyped[j] {
                document = try document.setting(parameter.path, to: x, scale: parameter.scale, origin: spec.file)
            }
            policy = try Scenario.load(document, reusingTablesOf: variant.scenario, changedSections: yamlSections).policy
        }
        let row = setters[p]
        for j in values.indices { row[j]?.apply(values[j], to: &policy) }
        // Checked once all are written, as the loader checks the final document.
        func located(_ j: Int, _ problem: (field: String, message: String)) -> ScenarioError {
            ScenarioError(issues: [ScenarioIssue(file: spec.file, line: spec.parameters[j].line, field: "parameters[\(j)].path",
                                                 message: "\(problem.field): \(problem.message)")])
        }
        for j in values.indices {
            if let setter = row[j], let problem = setter.problem(in: policy) { throw located(j, problem) }
        }
        // Located at the last parameter that wrote a transition rate.
        if let j = values.indices.last(where: { row[$0]?.isTransition == true }),
           let problem = SweepSetter.transitionProblem(in: policy) {
            throw located(j, problem)
        }
        return policy
    }
}

extension ScenarioDocument {
    /// The node at `path` and the path's canonical form, or nil when a step does not exist.
    func node(at path: ScenarioPath) -> (node: Node, canonical: String)? {
        var found: Node?
        var canonical = ""
        do {
            _ = try Self.edit(root, path.segments[...], canonical: &canonical) { (old: Node?) throws(PathError) -> Node in
                found = old
                return old ?? .scalar(.init(""))
            }
        } catch {
            return nil
        }
        return found.map { ($0, canonical) }
    }
}
