import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimStore
import CapSimSweep
import Dispatch
import Foundation

/// Runs a sweep: turns experiment indices into scenarios, runs them through the batched engine in
/// batches on every core, and stores each batch's records in one transaction.
///
/// Experiment `e` is design point `e mod P` under policy `e div P` (`P` design points); its
/// parameter values depend only on the seed and `e`, so results do not depend on batch size,
/// thread count or shard.
public final class SweepRunner: @unchecked Sendable {
    // Immutable after init; the documents inside are only read.

    /// The sweep as read.
    public let spec: SweepSpec
    /// The design in the unit hypercube.
    public let design: any Design
    /// Experiments in the whole sweep: design points × policies.
    public var experimentCount: Int { design.count * spec.policies.count }
    /// The yearly series every experiment records.
    public let series: [SeriesColumn]
    /// The years of the series.
    public let years: [Int]
    /// The store layout of this sweep.
    public let layout: StoreLayout
    /// Estimated memory one experiment takes while its batch runs, from the base scenario's run:
    /// three times its results (the results, the engine's state and the joined copy of a
    /// threaded run), plus a facility-year state.
    public let bytesPerExperiment: Int
    private let outcomeColumns: [(columns: [Int], years: [Int])]
    /// Builds each experiment's policy: typed setters where the parameters' paths allow, the YAML
    /// tree (re-resolving only the sections those parameters touch) for the rest.
    public let builder: SweepPolicyBuilder

    /// Prepares `spec`: builds its design, compiles its parameters into setters, runs the base
    /// scenario once to learn its series, and checks every outcome's metric against them.
    ///
    /// - Parameter typedSetters: false builds every experiment through the YAML tree, as before
    ///   setters existed; the numbers are the same (tested), only slower. The default is true
    ///   unless the environment has `CAPSIM_SWEEP_SETTERS=0`, so the two can be profiled with
    ///   the same `capsim` binary (docs/PERFORMANCE.md, "Sweeps that write numbers").
    /// - Throws: `ScenarioError` naming the sweep file line of an unknown outcome metric.
    public init(spec: SweepSpec,
                typedSetters: Bool = ProcessInfo.processInfo.environment["CAPSIM_SWEEP_SETTERS"] != "0") throws(ScenarioError) {
        self.spec = spec
        builder = SweepPolicyBuilder(spec: spec, typed: typedSetters)
        let d = spec.parameters.count
        switch spec.design {
        case .fullFactorial: design = FullFactorial(levelCounts: spec.parameters.map { $0.levels ?? 1 })
        case let .monteCarlo(n): design = MonteCarlo(dimension: d, count: n, seed: spec.seed)
        case let .latinHypercube(n): design = LatinHypercube(dimension: d, count: n, seed: spec.seed, correlation: spec.correlation)
        case let .sobol(n): design = SobolSequence(dimension: d, count: n)
        case let .saltelli(n): design = Saltelli(dimension: d, baseCount: n)
        case let .morris(r, p): design = Morris(dimension: d, trajectories: r, levels: p, seed: spec.seed)
        }
        let probe = Engine.run(spec.base.batch())
        let resultDoubles = probe.valuesByYear.reduce(0) { $0 + $1.elements.count } + (probe.resettlement?.values.count ?? 0)
            + (probe.finance?.values.count ?? 0)
        bytesPerExperiment = 8 * (3 * resultDoubles + spec.base.facilities.count * probe.years.count * 8)
        let layoutOfSeries = SectorSeries(probe)
        let series = layoutOfSeries.columns, years = layoutOfSeries.years
        self.series = series
        self.years = years
        var issues: [ScenarioIssue] = []
        var columns: [(columns: [Int], years: [Int])] = []
        for (k, o) in spec.outcomes.enumerated() {
            let matching = series.indices.filter { series[$0].metric == o.metric && (o.sector == nil || series[$0].sector == o.sector) }
            if matching.isEmpty {
                let known = Array(Set(series.map(\.metric))).sorted()
                issues.append(ScenarioIssue(file: spec.file, line: o.line, field: "outcomes[\(k)].metric",
                                            message: "no series '\(o.metric)'" + (o.sector.map { " for sector \($0.rawValue)" } ?? "")
                                                + "; the scenario's metrics: " + known.joined(separator: ", ")))
            }
            let units = Set(matching.map { series[$0].unit })
            if units.count > 1 {
                issues.append(ScenarioIssue(file: spec.file, line: o.line, field: "outcomes[\(k)].metric",
                                            message: "'\(o.metric)' has units \(units.sorted().joined(separator: ", ")) across sectors; name a sector"))
            }
            columns.append((matching, years.indices.filter { o.years.contains(years[$0]) }))
        }
        if !issues.isEmpty { throw ScenarioError(issues: issues) }
        outcomeColumns = columns
        layout = StoreLayout(
            fingerprint: Self.fingerprint(spec),
            experimentCount: design.count * spec.policies.count,
            parameterNames: spec.parameters.map(\.name),
            outcomeNames: spec.outcomes.map(\.name),
            seriesColumns: series.map { .init(metric: $0.metric, sector: $0.sector.rawValue, unit: $0.unit) },
            years: years,
            info: ["design": spec.design.name, "design_points": String(design.count), "seed": String(spec.seed),
                   "policies": spec.policies.map(\.name).joined(separator: ","), "scenario": Self.relative(spec.base.file, from: spec.file),
                   "parameter_paths": spec.parameters.map { "\($0.name)=\($0.canonicalPath)\($0.scale ? " (scale)" : "")" }
                       .joined(separator: "; ")]
                .merging(Self.designInfo(spec.design, correlated: spec.correlation != nil)) { a, _ in a })
    }

    /// What else fixes the design's points; part of the layout, so a store written with other
    /// points (an older skip or correlation method) is not resumed or merged with these.
    private static func designInfo(_ design: SweepDesign, correlated: Bool) -> [String: String] {
        var info: [String: String] = [:]
        switch design {
        case let .morris(_, levels): info["morris_levels"] = String(levels)
        case let .sobol(n), let .saltelli(n): info["sobol_skip"] = String(SobolSequence.balancedSkip(count: n))
        default: break
        }
        if correlated {
            if case .latinHypercube = design { info["correlation_method"] = "iman-conover" } else { info["correlation_method"] = "gaussian-copula" }
        }
        return info
    }

    /// Experiments per batch so that a batch stays within `memoryBudgetBytes` (at most 500; a
    /// national scenario's experiments take tens of megabytes each, Jilin's well under one).
    public func batchSize(memoryBudgetBytes: Int = 1 << 30) -> Int {
        max(1, min(500, memoryBudgetBytes / max(1, bytesPerExperiment)))
    }

    /// The experiments of shard `k` of `n` (1-based): a contiguous part of `0..<experimentCount`.
    public func experiments(shard k: Int, of n: Int) -> Range<Int> {
        precondition(n >= 1 && (1...n).contains(k), "shard \(k)/\(n)")
        return (experimentCount * (k - 1) / n)..<(experimentCount * k / n)
    }

    /// The parameter values of design point `point`, in parameter order.
    public func parameterValues(point: Int) -> [Double] {
        var u = design.point(point)
        // A Latin hypercube induces its correlation itself (Iman–Conover), keeping its strata.
        if let c = spec.correlation, !(design is LatinHypercube) { u = c.correlatedUnitPoint(u) }
        return zip(spec.parameters, u).map { $0.distribution.quantile($1) }
    }

    /// A problem with one experiment's scenario (a drawn value the scenario rejects).
    public struct ExperimentError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The scenario policy of experiment `e`, with its policy name and design point.
    public func policy(experiment e: Int) throws(ExperimentError) -> (policy: Policy, policyName: String, point: Int, values: [Double]) {
        let p = e / design.count, point = e % design.count
        let values = parameterValues(point: point)
        do {
            return (try builder.policy(p, values: values), spec.policies[p].name, point, values)
        } catch {
            let named = zip(spec.parameters, values).map { "\($0.name)=\(ScenarioDocument.numberText($1))" }.joined(separator: ", ")
            throw ExperimentError(description: "experiment \(e) (policy \(spec.policies[p].name), \(named)): \(error)")
        }
    }

    /// The outcomes of one experiment from its series values.
    func outcomes(series values: [Double]) -> [Double] {
        let y = years.count
        return zip(spec.outcomes, outcomeColumns).map { outcome, at in
            let yearly = at.years.map { yi in at.columns.reduce(0.0) { $0 + values[$1 * y + yi] } }
            guard !yearly.isEmpty else { return .nan }
            switch outcome.aggregate {
            case .sum: return yearly.reduce(0, +)
            case .mean: return yearly.reduce(0, +) / Double(yearly.count)
            case .max: return yearly.max()!
            case .min: return yearly.min()!
            case .last: return yearly.last!
            }
        }
    }

    /// Runs `experiments` (ascending) in batches of `batchSize`, `threads` at a time, handing each
    /// batch's records to `store` (one transaction per batch) and reporting progress after each.
    ///
    /// A batch is written on a background queue while the next one runs, so the store's time is
    /// mostly hidden; at most one batch waits to be written.
    public func run(_ experiments: [Int], threads: Int, batchSize: Int, into store: SweepStore,
                    progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws {
        let writer = DispatchQueue(label: "capsim.sweep.store")
        let failure = WriteFailure()
        // A batch already queued is always finished, even when a later one fails to run.
        defer { writer.sync {} }
        var queued = 0
        var start = 0
        while start < experiments.count {
            let batch = Array(experiments[start..<min(experiments.count, start + batchSize)])
            let computed = try records(batch, threads: threads)
            // The previous batch must be stored (or have failed) before this one is queued.
            try writer.sync { if let error = failure.error { throw error } }
            if queued > 0 { progress(queued, experiments.count) }
            queued += batch.count
            start += batchSize
            writer.async {
                do throws(StoreError) { try store.append(computed) } catch { failure.error = error }
            }
        }
        try writer.sync { if let error = failure.error { throw error } }
        progress(queued, experiments.count)
    }

    /// Runs `experiments` and returns their records, in the same order.
    public func records(_ experiments: [Int], threads: Int) throws -> [ExperimentRecord] {
        let built = try buildPolicies(experiments, threads: threads)
        let base = spec.base
        let batch = ScenarioBatch(facilities: base.facilities, baseYear: base.baseYear, endYear: base.endYear,
                                  scenarioNames: experiments.map { "e\($0)" }, policies: built.map(\.policy),
                                  enterprises: base.enterprises)
        let result = Engine.run(batch, options: Engine.Options(checkInvariants: true), threads: threads)
        let shape = SectorSeries(result)
        precondition(shape.columns == series, "an experiment's series differ from the base scenario's")
        let parts = Parallel.ranges(experiments.count, parts: threads)
        return Parallel.map(parts.count) { p in
            zip(parts[p], shape.values(result, scenarios: parts[p])).map { i, values in
                ExperimentRecord(experiment: experiments[i], policy: built[i].policyName, point: built[i].point,
                                 parameters: built[i].values, outcomes: outcomes(series: values), series: values)
            }
        }.flatMap { $0 }
    }

    /// Builds the experiments' policies on `threads` threads, each thread a contiguous part.
    private func buildPolicies(_ experiments: [Int], threads: Int) throws(ExperimentError)
        -> [(policy: Policy, policyName: String, point: Int, values: [Double])]
    {
        let parts = Parallel.ranges(experiments.count, parts: threads)
        let built = Parallel.map(parts.count) { p in
            parts[p].map { i in Result { () throws(ExperimentError) in try policy(experiment: experiments[i]) } }
        }
        var out: [(policy: Policy, policyName: String, point: Int, values: [Double])] = []
        out.reserveCapacity(experiments.count)
        for result in built.joined() { out.append(try result.get()) }
        return out
    }

    /// FNV-1a over the sweep file's text and, for every file of the scenario (the `extends`
    /// chain and the tables), its path relative to the sweep file's folder and its contents: the
    /// identity of a sweep is what it reads, not how its path was spelled on the command line or
    /// which folder it was run from, so `cd q && capsim sweep sweeps/mc.yaml` and
    /// `capsim sweep q/sweeps/mc.yaml` resume each other's store, also after the folder moves.
    static func fingerprint(_ spec: SweepSpec) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                hash ^= UInt64(b)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        mix(spec.text.utf8)
        for file in spec.base.chain + spec.base.facilityTables + spec.base.enterpriseTables {
            mix(relative(file, from: spec.file).utf8)
            mix(FileManager.default.contents(atPath: file) ?? Data())
        }
        return String(hash, radix: 16)
    }

    /// `file`'s path relative to the folder of `origin` (both as given, relative to the working
    /// folder or absolute), with `.`, `..` and symbolic links resolved: `../scenario.yaml`.
    static func relative(_ file: String, from origin: String) -> String {
        func components(_ path: String) -> [String] {
            var absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            // The real path where the file exists, so a folder reached through a link is one folder.
            if let real = realpath(absolute, nil) {
                absolute = String(cString: real)
                free(real)
            }
            var out: [String] = []
            for part in absolute.split(separator: "/") where part != "." {
                if part == ".." { if !out.isEmpty { out.removeLast() } } else { out.append(String(part)) }
            }
            return out
        }
        let target = components(file), folder = components(origin).dropLast()
        var common = 0
        while common < min(target.count, folder.count) && target[common] == folder[common] { common += 1 }
        return (Array(repeating: "..", count: folder.count - common) + target[common...]).joined(separator: "/")
    }
}

/// The error of the batch write that failed, if any; read and written on the writer queue only.
private final class WriteFailure: @unchecked Sendable {
    var error: StoreError?
}
