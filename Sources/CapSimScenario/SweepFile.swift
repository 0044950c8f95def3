import CapSimPaths
import CapSimCore
import CapSimSweep
import Foundation
import LinearAlgebra
import Yams

/// A sweep file as read and checked: the base scenario, the parameters varied (each a path into
/// the scenario with a distribution or a grid), their correlations, the design, the policy variants
/// crossed with the uncertainties, the outcomes to record, and the seed. Format: docs/SWEEP.md.
public struct SweepSpec: @unchecked Sendable {
    // Holds ScenarioDocuments (Yams trees), which are never mutated once shared.

    /// The sweep file.
    public var file: String
    /// The sweep file's text, part of the store's fingerprint.
    public var text: String
    /// The base scenario as resolved, and its document (both after `extends`).
    public var base: Scenario
    /// The base scenario's document.
    public var baseDocument: ScenarioDocument
    /// Seed of every random draw of the design.
    public var seed: UInt64
    /// Which design and its size.
    public var design: SweepDesign
    /// The varied inputs, in file order (the design's dimensions).
    public var parameters: [SweepParameter]
    /// The inputs' correlation matrix; nil for independent inputs.
    public var correlation: Correlation?
    /// Policy variants (levers), each crossed with every design point; at least one.
    public var policies: [SweepPolicy]
    /// The scalar outcomes recorded per experiment.
    public var outcomes: [SweepOutcome]
}

/// The kind and size of a sweep's design.
public enum SweepDesign: Sendable, Equatable {
    /// Every combination of the parameters' grid values (or `levels` strata of their distributions).
    case fullFactorial
    /// `samples` independent draws.
    case monteCarlo(samples: Int)
    /// `samples` points, one per stratum of every parameter.
    case latinHypercube(samples: Int)
    /// `samples` points of the Sobol' sequence, from the smallest power of two ≥ max(samples, 2) (`SobolSequence.balancedSkip`).
    case sobol(samples: Int)
    /// Saltelli's scheme for Sobol' indices: `baseSamples × (d + 2)` experiments.
    case saltelli(baseSamples: Int)
    /// Morris elementary-effects trajectories: `trajectories × (d + 1)` experiments.
    case morris(trajectories: Int, levels: Int)

    /// The name used in sweep files.
    public var name: String {
        switch self {
        case .fullFactorial: "full_factorial"
        case .monteCarlo: "monte_carlo"
        case .latinHypercube: "latin_hypercube"
        case .sobol: "sobol"
        case .saltelli: "saltelli"
        case .morris: "morris"
        }
    }
}

/// One varied input.
public struct SweepParameter: Sendable {
    /// Column name in the result store (letters, digits, `_`).
    public var name: String
    /// Where the value goes in the scenario.
    public var path: ScenarioPath
    /// The path with list elements by position, as validation messages name it.
    public var canonicalPath: String
    /// When true the value multiplies every number under `path` (e.g. a price path by year).
    public var scale: Bool
    /// The distribution values are drawn from (a grid is a discrete distribution of equal weights).
    public var distribution: Distribution
    /// Grid values, when given as a grid; a full factorial design takes them in order.
    public var grid: [Double]?
    /// Strata of the distribution for a full factorial design (grid count when a grid).
    public var levels: Int?
    /// Line of the parameter in the sweep file.
    public var line: Int?
}

/// One policy variant: a name and the values it sets in the base scenario.
public struct SweepPolicy: @unchecked Sendable {
    /// The variant's name, stored with each experiment.
    public var name: String
    /// The base document with the variant's `set:` values applied.
    public var document: ScenarioDocument
    /// That document resolved: the sections a sweep's parameters leave alone come from here.
    public var scenario: Scenario
}

/// A scalar outcome of an experiment: a metric's yearly values for one sector (or all sectors
/// summed), reduced over a span of years.
public struct SweepOutcome: Sendable, Equatable {
    /// How the years are reduced.
    public enum Aggregate: String, Sendable, CaseIterable {
        case sum, mean, max, min, last
    }

    /// Column name in the result store.
    public var name: String
    /// A metric name as in `projections.csv` (`capacity_closed`, `unresettled`, `debt_total`, ...).
    public var metric: String
    /// The sector, or nil for the sum over sectors.
    public var sector: Sector?
    /// The years reduced.
    public var years: ClosedRange<Int>
    /// The reduction.
    public var aggregate: Aggregate
    /// Line in the sweep file, to locate an unknown metric found when the series are known.
    public var line: Int?
}

extension SweepSpec {
    static let topKeys = ["scenario", "seed", "design", "parameters", "correlations", "policies", "outcomes"]
    static let designKeys = ["kind", "samples", "trajectories", "levels"]
    static let parameterKeys = ["name", "path", "scale", "distribution", "grid", "levels"]
    static let policyKeys = ["name", "set"]
    static let outcomeKeys = ["name", "metric", "sector", "years", "aggregate"]
    /// Keys that define the facilities and horizon every experiment shares; a sweep cannot vary them.
    static let fixedKeys = ["name", "title", "baseYear", "endYear", "facilityTables", "enterpriseTables"]

    /// Reads and checks a sweep file and the scenario it names.
    ///
    /// - Throws: `ScenarioError` with every problem, located in the sweep file (or the scenario's).
    public static func load(path: String) throws(ScenarioError) -> SweepSpec {
        let (root, text) = try ScenarioDocument.parse(path)
        var reader = YAMLReader(file: path)
        guard let top = reader.mapping(root, "", allowed: topKeys, required: ["scenario", "seed", "design", "parameters"]),
              let scenarioNode = top["scenario"], let relative = reader.string(scenarioNode, "scenario")
        else { throw ScenarioError(issues: reader.issues) }
        let folder = PathText.folder(of: path)
        let scenarioPath = ScenarioDocument.join(folder, relative)
        let baseDocument = try ScenarioDocument.load(
            path: scenarioPath, namedAt: .init(file: path, line: scenarioNode.mark?.line, field: "scenario"))
        let base = try Scenario.load(baseDocument)

        let seed = top["seed"].flatMap { reader.integer($0, "seed", range: 0...Int.max) }
        let parameters = top["parameters"].map { readParameters($0, document: baseDocument, base: base, reader: &reader) } ?? []
        let design = top["design"].flatMap { readDesign($0, parameters: parameters, reader: &reader) }
        var correlation: Correlation?
        if let n = top["correlations"] {
            correlation = readCorrelations(n, key: reader.keyNode(root, "correlations"), parameters: parameters,
                                           reader: &reader)
            if correlation != nil, let design, ["saltelli", "morris", "full_factorial"].contains(design.name) {
                reader.report(reader.keyNode(root, "correlations"), "correlations", design == .fullFactorial
                              ? "not allowed with a full factorial grid: it takes every combination of the levels"
                              : "not allowed with the \(design.name) design: its sensitivity estimators assume independent inputs")
            }
        }
        var policies: [SweepPolicy] = [SweepPolicy(name: "base", document: baseDocument, scenario: base)]
        if let n = top["policies"] {
            policies = readPolicies(n, document: baseDocument, base: base, reader: &reader)
        }
        let outcomes = top["outcomes"].map { readOutcomes($0, base: base, reader: &reader) } ?? []
        guard reader.issues.isEmpty, let seed, let design else { throw ScenarioError(issues: reader.issues) }
        return SweepSpec(file: path, text: text, base: base, baseDocument: baseDocument, seed: UInt64(seed),
                         design: design, parameters: parameters, correlation: correlation, policies: policies,
                         outcomes: outcomes)
    }

    private static func readDesign(_ node: Node, parameters: [SweepParameter], reader: inout YAMLReader) -> SweepDesign? {
        guard let map = reader.mapping(node, "design", allowed: designKeys, required: ["kind"]),
              let kindText = map["kind"].flatMap({ reader.string($0, "design.kind") })
        else { return nil }
        let kinds = ["full_factorial", "monte_carlo", "latin_hypercube", "sobol", "saltelli", "morris"]
        func count(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let n = map[key] else { return reader.fail(node, "design.\(key)", "required for design \(kindText)") }
            return reader.integer(n, "design.\(key)", range: range)
        }
        func refuse(_ keys: [String]) {
            for key in keys where map[key] != nil {
                reader.report(reader.keyNode(node, key), "design.\(key)", "not used by design \(kindText)")
            }
        }
        let d = parameters.count
        switch kindText {
        case "full_factorial":
            refuse(["samples", "trajectories", "levels"])
            for p in parameters where p.levels == nil {
                reader.report(nil, "parameters.\(p.name)", "a full factorial design needs a grid or levels for every parameter")
            }
            return .fullFactorial
        case "monte_carlo", "latin_hypercube", "sobol":
            refuse(["trajectories", "levels"])
            guard let n = count("samples", 1...100_000_000) else { return nil }
            if kindText == "sobol" && d > 32 {
                return reader.fail(node, "design.kind", "the Sobol' sequence has 32 dimensions; the sweep has \(d) parameters")
            }
            return kindText == "monte_carlo" ? .monteCarlo(samples: n)
                : kindText == "sobol" ? .sobol(samples: n) : .latinHypercube(samples: n)
        case "saltelli":
            refuse(["trajectories", "levels"])
            guard let n = count("samples", 2...10_000_000) else { return nil }
            if d > 16 {
                return reader.fail(node, "design.kind", "Saltelli's scheme here supports up to 16 parameters; the sweep has \(d)")
            }
            return .saltelli(baseSamples: n)
        case "morris":
            refuse(["samples"])
            guard let r = count("trajectories", 2...1_000_000) else { return nil }
            var levels = 4
            if let n = map["levels"] {
                guard let p = reader.integer(n, "design.levels", range: 2...1000) else { return nil }
                guard p % 2 == 0 else { return reader.fail(n, "design.levels", "must be even (Morris steps are p/(2(p−1)))") }
                levels = p
            }
            for p in parameters where p.grid == nil && !p.distribution.isBounded {
                reader.report(nil, "parameters.\(p.name)", "Morris trajectories reach the ends of [0, 1]; give a bounded distribution (uniform, triangular, discrete) or a grid")
            }
            return .morris(trajectories: r, levels: levels)
        default:
            return reader.fail(map["kind"], "design.kind", "unknown design '\(kindText)'; expected one of: \(kinds.joined(separator: ", "))")
        }
    }

    private static func readParameters(_ node: Node, document: ScenarioDocument, base: Scenario,
                                       reader: inout YAMLReader) -> [SweepParameter] {
        guard let list = reader.sequence(node, "parameters") else { return [] }
        if list.isEmpty { reader.report(node, "parameters", "list at least one parameter") }
        var result: [SweepParameter] = []
        var names = Set<String>()
        for (i, item) in list.enumerated() {
            let at = "parameters[\(i)]"
            guard let map = reader.mapping(item, at, allowed: parameterKeys, required: ["name", "path"]) else { continue }
            let before = reader.issues.count
            let name = columnName(map["name"], at, noun: "parameter", taken: &names, reader: &reader)
            let scale = map["scale"].flatMap { reader.boolean($0, at + ".scale") } ?? false
            var distribution: Distribution?
            var grid: [Double]?
            var levels: Int?
            switch (map["distribution"], map["grid"]) {
            case let (d?, nil):
                distribution = readDistribution(d, at + ".distribution", reader: &reader)
                if let n = map["levels"] { levels = reader.integer(n, at + ".levels", range: 1...10_000) }
            case let (nil, g?):
                if let n = map["levels"] { reader.report(n, at + ".levels", "a grid's levels are its values") }
                if let values = reader.numberList(g, at + ".grid", expectation: "a number", limit: .bounded, valid: { _ in true }) {
                    if values.isEmpty {
                        reader.report(g, at + ".grid", "list at least one value")
                    } else {
                        grid = values
                        levels = values.count
                        distribution = try? Distribution.discrete(values, weights: values.map { _ in 1 })
                    }
                }
            case (_?, _?):
                reader.report(item, at, "give either distribution or grid, not both")
            case (nil, nil):
                reader.report(item, at, "give a distribution or a grid")
            }
            var path: ScenarioPath?
            var canonical = ""
            if let n = map["path"], let text = reader.string(n, at + ".path"),
               let p = variablePath(text, n, at + ".path", reader: &reader) {
                do throws(ScenarioDocument.PathError) {
                    canonical = try document.canonical(p)
                    path = p
                } catch {
                    reader.report(n, at + ".path", "unknown parameter path: \(error.message)")
                }
            }
            guard reader.issues.count == before, let name, let distribution, let path else { continue }
            let parameter = SweepParameter(name: name, path: path, canonicalPath: canonical, scale: scale,
                                           distribution: distribution, grid: grid, levels: levels,
                                           line: item.mark?.line)
            // Try the values at the ends of the distribution (and its median): a value the
            // scenario would reject is reported now, not after hours of running.
            for u in distribution.isBounded ? [0, 0.5, 1] : [0.001, 0.5, 0.999] {
                let x = distribution.quantile(u)
                if let problem = trial(document, base: base, parameter, value: x) {
                    reader.report(map["path"], at + ".path",
                                  "at \(ScenarioDocument.numberText(x)) (\(u == 0.5 ? "median" : "end of the distribution")): \(problem)")
                    break
                }
            }
            result.append(parameter)
        }
        return result
    }

    /// The first problem resolving the base with `parameter` at `value`, or nil.
    static func trial(_ document: ScenarioDocument, base: Scenario, _ parameter: SweepParameter, value: Double) -> String? {
        do {
            let edited = try document.setting(parameter.path, to: value, scale: parameter.scale, origin: "sweep")
            _ = try Scenario.load(edited, reusingTablesOf: base)
            return nil
        } catch let error as ScenarioDocument.PathError {
            return error.message
        } catch let error as ScenarioError {
            return error.issues.map { ($0.field.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ")
        } catch {
            return "\(error)"
        }
    }

    /// The name at `at.name`, if it can name a store column and no other `noun` has it.
    private static func columnName(_ node: Node?, _ at: String, noun: String, taken names: inout Set<String>,
                                   reader: inout YAMLReader) -> String? {
        guard let node, let name = reader.string(node, at + ".name") else { return nil }
        if !isColumnName(name) || ["experiment", "policy", "point"].contains(name) {
            return reader.fail(node, at + ".name", "use letters, digits and '_' only, starting with a letter, and not "
                               + "experiment, policy or point (it names a column)")
        }
        guard names.insert(name).inserted else { return reader.fail(node, at + ".name", "'\(name)' is already a \(noun) name") }
        return name
    }

    /// `text` as a path that experiments may change: well formed, and not under a key that
    /// every experiment shares (the facilities and the horizon).
    private static func variablePath(_ text: String, _ node: Node, _ field: String, reader: inout YAMLReader) -> ScenarioPath? {
        switch ScenarioPath.parse(text) {
        case let .failure(e): return reader.fail(node, field, e.description)
        case let .success(p):
            if case let .key(first) = p.segments[0], fixedKeys.contains(first) {
                return reader.fail(node, field, "'\(first)' is shared by every experiment and cannot be varied")
            }
            return p
        }
    }

    static func isColumnName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, CharacterSet.letters.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
            && s.allSatisfy(\.isASCII)
    }

    private static func readDistribution(_ node: Node, _ path: String, reader: inout YAMLReader) -> Distribution? {
        let kinds = ["uniform": ["min", "max"], "normal": ["mean", "sd"], "triangular": ["min", "mode", "max"],
                     "lognormal": ["mu", "sigma"], "discrete": ["values", "weights"]]
        guard let map = reader.mapping(node, path, allowed: ["kind", "min", "max", "mean", "sd", "mode", "mu", "sigma",
                                                             "values", "weights"], required: ["kind"]),
              let kind = map["kind"].flatMap({ reader.string($0, path + ".kind") })
        else { return nil }
        guard let keys = kinds[kind] else {
            return reader.fail(map["kind"], path + ".kind",
                               "unknown distribution '\(kind)'; expected one of: uniform, normal, triangular, lognormal, discrete")
        }
        for (key, value) in map where key != "kind" && !keys.contains(key) {
            if key == "weights" && kind == "discrete" { continue }
            reader.report(reader.keyNode(node, key) ?? value, "\(path).\(key)", "not a parameter of \(kind); it takes \(keys.joined(separator: ", "))")
        }
        let before = reader.issues.count
        var x: [String: Double] = [:]
        for key in keys where !(kind == "discrete") {
            guard let n = map[key] else { reader.report(node, "\(path).\(key)", "required for \(kind)"); continue }
            x[key] = reader.number(n, "\(path).\(key)", expectation: "a number", limit: .bounded, valid: { _ in true })
        }
        var values: [Double] = [], weights: [Double] = []
        if kind == "discrete" {
            if let n = map["values"] {
                values = reader.numberList(n, path + ".values", expectation: "a number", limit: .bounded, valid: { _ in true }) ?? []
            } else { reader.report(node, path + ".values", "required for discrete") }
            weights = map["weights"].flatMap { reader.numberList($0, path + ".weights", expectation: "a number", limit: .bounded, valid: { _ in true }) }
                ?? values.map { _ in 1 }
        }
        guard reader.issues.count == before else { return nil }
        do throws(DistributionError) {
            switch kind {
            case "uniform": return try .uniform(x["min"]!, x["max"]!)
            case "normal": return try .normal(mean: x["mean"]!, sd: x["sd"]!)
            case "triangular": return try .triangular(x["min"]!, mode: x["mode"]!, x["max"]!)
            case "lognormal": return try .lognormal(mu: x["mu"]!, sigma: x["sigma"]!)
            default: return try .discrete(values, weights: weights)
            }
        } catch {
            return reader.fail(node, path, "invalid \(kind) distribution: \(error)")
        }
    }

    /// The correlation matrix; a matrix that is impossible as a whole is reported at `key`, the
    /// `correlations:` line.
    private static func readCorrelations(_ node: Node, key: Node?, parameters: [SweepParameter],
                                         reader: inout YAMLReader) -> Correlation? {
        guard let list = reader.sequence(node, "correlations") else { return nil }
        let d = parameters.count
        let index = Dictionary(parameters.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var matrix = Matrix(rowCount: d, columnCount: d)
        for i in 0..<d { matrix[i, i] = 1 }
        var set = Set<[Int]>()
        let before = reader.issues.count
        for (k, item) in list.enumerated() {
            let at = "correlations[\(k)]"
            guard let map = reader.mapping(item, at, allowed: ["between", "rho"], required: ["between", "rho"]),
                  let pairNode = map["between"], let pair = reader.sequence(pairNode, at + ".between"),
                  let rhoNode = map["rho"],
                  let rho = reader.number(rhoNode, at + ".rho", expectation: "a correlation in [-1, 1]", limit: .bounded, valid: { (-1...1).contains($0) })
            else { continue }
            let names = pair.compactMap { $0.scalar?.string }
            guard names.count == 2, names[0] != names[1] else {
                reader.report(pairNode, at + ".between", "name two different parameters, e.g. [coal_price, steel_price]")
                continue
            }
            guard let i = index[names[0]], let j = index[names[1]] else {
                let unknown = names.first { index[$0] == nil }!
                reader.report(pairNode, at + ".between", "no parameter is named '\(unknown)'; parameters: "
                              + parameters.map(\.name).joined(separator: ", "))
                continue
            }
            guard set.insert([min(i, j), max(i, j)]).inserted else {
                reader.report(pairNode, at + ".between", "the correlation of \(names[0]) and \(names[1]) is given twice")
                continue
            }
            matrix[i, j] = rho
            matrix[j, i] = rho
        }
        guard reader.issues.count == before else { return nil }
        do throws(CorrelationError) {
            return try Correlation(matrix)
        } catch {
            var message = "the correlation matrix is impossible: \(error)"
            if case let .notPositiveDefinite(minor) = error {
                message = "the correlations are impossible together (the matrix is not positive definite: its leading "
                    + "minor of order \(minor), over " + parameters.prefix(minor).map(\.name).joined(separator: ", ")
                    + ", is not positive); weaken some of them"
            }
            return reader.fail(key ?? node, "correlations", message)
        }
    }

    private static func readPolicies(_ node: Node, document: ScenarioDocument, base: Scenario,
                                     reader: inout YAMLReader) -> [SweepPolicy] {
        guard let list = reader.sequence(node, "policies") else { return [] }
        if list.isEmpty { reader.report(node, "policies", "list at least one policy (a name and its set: values)") }
        var result: [SweepPolicy] = []
        var names = Set<String>()
        for (i, item) in list.enumerated() {
            let at = "policies[\(i)]"
            guard let map = reader.mapping(item, at, allowed: policyKeys, required: ["name"]),
                  let name = map["name"].flatMap({ reader.string($0, at + ".name") })
            else { continue }
            if !names.insert(name).inserted { reader.report(map["name"], at + ".name", "'\(name)' is already a policy name") }
            var edited = document
            let before = reader.issues.count
            if let setNode = map["set"] {
                guard let entries = setNode.mapping else {
                    reader.report(setNode, at + ".set", "expected a mapping of path: value")
                    continue
                }
                for (keyNode, value) in entries {
                    let text = keyNode.scalar?.string ?? ""
                    guard let p = variablePath(text, keyNode, "\(at).set.\(text)", reader: &reader) else { continue }
                    do throws(ScenarioDocument.PathError) {
                        try edited.set(p, to: value, file: reader.file, line: keyNode.mark?.line)
                    } catch {
                        reader.report(keyNode, "\(at).set.\(text)", error.message)
                    }
                }
            }
            guard reader.issues.count == before else { continue }
            do {
                result.append(SweepPolicy(name: name, document: edited, scenario: try Scenario.load(edited, reusingTablesOf: base)))
            } catch {
                for issue in error.issues {
                    reader.report(map["set"] ?? item, at + ".set", (issue.field.map { "\($0): " } ?? "") + issue.message)
                }
            }
        }
        return result
    }

    private static func readOutcomes(_ node: Node, base: Scenario, reader: inout YAMLReader) -> [SweepOutcome] {
        guard let list = reader.sequence(node, "outcomes") else { return [] }
        var result: [SweepOutcome] = []
        var names = Set<String>()
        for (i, item) in list.enumerated() {
            let at = "outcomes[\(i)]"
            guard let map = reader.mapping(item, at, allowed: outcomeKeys, required: ["name", "metric", "aggregate"]) else { continue }
            let before = reader.issues.count
            let name = columnName(map["name"], at, noun: "outcome", taken: &names, reader: &reader)
            let metric = map["metric"].flatMap { reader.string($0, at + ".metric") }
            var sector: Sector?
            if let n = map["sector"], n.scalar?.string != "all" { sector = reader.enumeration(n, at + ".sector", Sector.self) }
            var years = (base.baseYear...base.endYear)
            if let n = map["years"] {
                if let y = n.scalar.flatMap({ Int($0.string) }) {
                    if years.contains(y) { years = y...y } else {
                        reader.report(n, at + ".years", "must be in \(base.baseYear)...\(base.endYear), got \(y)")
                    }
                } else if n.sequence != nil,
                          let pair = reader.numberList(n, at + ".years", expectation: "a year", limit: .bounded, valid: { $0 == $0.rounded() }),
                          pair.count == 2, Int(pair[0]) <= Int(pair[1]),
                          (base.baseYear...base.endYear).contains(Int(pair[0])),
                          (base.baseYear...base.endYear).contains(Int(pair[1])) {
                    years = Int(pair[0])...Int(pair[1])
                } else {
                    reader.report(n, at + ".years", "give a year or [first, last] within \(base.baseYear)...\(base.endYear)")
                }
            }
            let aggregate = map["aggregate"].flatMap { reader.enumeration($0, at + ".aggregate", SweepOutcome.Aggregate.self) }
            guard reader.issues.count == before, let name, let metric, let aggregate else { continue }
            result.append(SweepOutcome(name: name, metric: metric, sector: sector, years: years, aggregate: aggregate,
                                       line: map["metric"]?.mark?.line))
        }
        return result
    }
}

extension Distribution {
    /// Whether the support is a closed interval (uniform, triangular, discrete).
    public var isBounded: Bool {
        switch kind {
        case .uniform, .triangular, .discrete: true
        case .normal, .lognormal: false
        }
    }
}
