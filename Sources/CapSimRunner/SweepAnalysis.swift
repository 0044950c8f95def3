import CapSimCore
import CapSimIO
import CapSimStore
import CapSimSweep

/// What a sensitivity analysis explains: a named outcome, or one series in one year.
public enum AnalysisTarget: Sendable, Equatable, CustomStringConvertible {
    /// An outcome column of the store.
    case outcome(String)
    /// A series (metric, sector or nil for the sum over sectors) in one year.
    case series(metric: String, sector: String?, year: Int)

    public var description: String {
        switch self {
        case let .outcome(name): name
        case let .series(m, s, y): "\(m) (\(s ?? "all sectors")) in \(y)"
        }
    }
}

/// Fan-chart tables and sensitivity indices read from a sweep store.
public enum SweepAnalysis {
    /// A problem with the request or the store.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Header of the quantile table (fan-chart data).
    public static let quantileHeader = ["policy", "metric", "sector", "year", "unit", "n", "mean", "p05", "p25", "p50", "p75", "p95"]

    /// The store's per-year summaries as CSV, optionally of one metric and sector.
    public static func quantilesCSV(_ store: SweepStore, metric: String?, sector: String?) throws -> String {
        let rows = try store.summaries(metric: metric, sector: sector)
        if rows.isEmpty {
            let metrics = Set(store.layout.seriesColumns.map(\.metric))
            if let metric, !metrics.contains(metric) {
                throw Failure(description: "\(store.path): no metric '\(metric)'; metrics: \(metrics.sorted().joined(separator: ", "))")
            }
            throw Failure(description: "\(store.path): no summaries" + (metric.map { " for \($0)" } ?? "")
                          + (sector.map { " in sector \($0)" } ?? "") + " (has the sweep finished?)")
        }
        var csv = CSVText(header: quantileHeader)
        for r in rows {
            csv.append([r.policy, r.metric, r.sector, String(r.year), r.unit, String(r.n)]
                       + [r.mean, r.p05, r.p25, r.p50, r.p75, r.p95].map { decimalText($0, digits: 6) })
        }
        return csv.text
    }

    /// The target's value per stored experiment of `policy`, in design-point order, checking that
    /// every point of the design is there.
    static func values(_ store: SweepStore, _ target: AnalysisTarget, policy: String) throws -> [Double] {
        let layout = store.layout
        let points = Int(layout.info["design_points"] ?? "") ?? 0
        let stored = try store.count(policy: policy)
        guard stored == points else {
            throw Failure(description: "\(store.path): policy \(policy) has \(stored) of \(points) experiments; "
                          + "finish the sweep (or merge its shards) first")
        }
        switch target {
        case let .outcome(name):
            guard let k = layout.outcomeNames.firstIndex(of: name) else {
                throw Failure(description: "\(store.path): no outcome '\(name)'; outcomes: " + layout.outcomeNames.joined(separator: ", "))
            }
            return try store.outcome(k, policy: policy)
        case let .series(metric, sector, year):
            let columns = layout.seriesColumns.indices.filter {
                layout.seriesColumns[$0].metric == metric && (sector == nil || layout.seriesColumns[$0].sector == sector)
            }
            guard !columns.isEmpty else {
                throw Failure(description: "\(store.path): no series '\(metric)'" + (sector.map { " in sector \($0)" } ?? ""))
            }
            guard let y = layout.years.firstIndex(of: year) else {
                throw Failure(description: "\(store.path): no year \(year); years: \(layout.years.map(String.init).joined(separator: ", "))")
            }
            return try store.seriesSum(cells: columns.map { $0 * layout.years.count + y }, policy: policy)
        }
    }

    /// One parameter's Sobol' indices with their bootstrap intervals.
    public struct SobolRow: Sendable, Equatable {
        public var policy: String
        public var parameter: String
        public var first: Double
        public var firstInterval: ClosedRange<Double>
        public var total: Double
        public var totalInterval: ClosedRange<Double>
    }

    /// The bootstrap resamples `sobol` accepts: enough for the tails of a 95 % interval, and few
    /// enough that memory (16 bytes per resample and parameter) and time stay modest.
    public static let resamplesRange = 100...100_000

    /// First-order and total Sobol' indices of `target` per policy, from a Saltelli sweep.
    public static func sobol(_ store: SweepStore, _ target: AnalysisTarget, resamples: Int = 1000,
                             confidence: Double = 0.95, seed: UInt64 = 1) throws -> [SobolRow] {
        let layout = store.layout
        guard layout.info["design"] == "saltelli" else {
            throw Failure(description: "\(store.path): Sobol' indices need a saltelli design; this sweep used \(layout.info["design"] ?? "?")")
        }
        guard resamplesRange.contains(resamples) else {
            throw Failure(description: "resamples: \(resamples) is outside \(resamplesRange.lowerBound)...\(resamplesRange.upperBound)")
        }
        guard confidence > 0 && confidence < 1 else { throw Failure(description: "confidence: \(confidence) is not between 0 and 1") }
        let d = layout.parameterNames.count
        let points = Int(layout.info["design_points"] ?? "") ?? -1
        // What the sweep file's checks guarantee for a design run by capsim; a store made or edited
        // by other means is refused here rather than trapping in the estimator.
        guard d >= 1, 2 * d <= SobolSequence.maxDimension, points >= 2 * (d + 2), points % (d + 2) == 0 else {
            throw Failure(description: "\(store.path): sweep: design_points \(points) with \(d) parameters is not a saltelli "
                          + "design of at least 2 base rows (a multiple of parameters + 2)")
        }
        // Every policy's outputs first: `values` checks that the store holds all `points`, so the
        // design below is never larger than what is stored.
        var outputsByPolicy: [(policy: String, outputs: [Double])] = []
        for policy in try store.policies() {
            let outputs = try values(store, target, policy: policy)
            guard outputs.allSatisfy(\.isFinite) else {
                throw Failure(description: "\(store.path): \(target) is not a number in some experiments of policy \(policy)")
            }
            outputsByPolicy.append((policy, outputs))
        }
        let design = Saltelli(dimension: d, baseCount: points / (d + 2))
        var rows: [SobolRow] = []
        for (policy, outputs) in outputsByPolicy {
            let s = SobolIndices(design: design, outputs: outputs, resamples: resamples, confidence: confidence, seed: seed)
            for (j, name) in layout.parameterNames.enumerated() {
                rows.append(SobolRow(policy: policy, parameter: name, first: s.first[j], firstInterval: s.firstInterval[j],
                                     total: s.total[j], totalInterval: s.totalInterval[j]))
            }
        }
        return rows
    }

    /// Sobol' rows as CSV.
    public static func sobolCSV(_ rows: [SobolRow]) -> String {
        var csv = CSVText(header: ["policy", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"])
        for r in rows {
            csv.append([r.policy, r.parameter] + [r.first, r.firstInterval.lowerBound, r.firstInterval.upperBound,
                                                  r.total, r.totalInterval.lowerBound, r.totalInterval.upperBound]
                .map { decimalText($0, digits: 4) })
        }
        return csv.text
    }

    /// One parameter's Morris statistics.
    public struct MorrisRow: Sendable, Equatable {
        public var policy: String
        public var parameter: String
        public var mu: Double
        public var muStar: Double
        public var sigma: Double
    }

    /// Morris mu, mu* and sigma of `target` per policy, from a Morris sweep. Effects are per unit
    /// of the design's [0, 1] scale (a step of Δ across each parameter's distribution).
    public static func morris(_ store: SweepStore, _ target: AnalysisTarget) throws -> [MorrisRow] {
        let layout = store.layout
        guard layout.info["design"] == "morris", let levels = Int(layout.info["morris_levels"] ?? ""),
              let seed = UInt64(layout.info["seed"] ?? "")
        else {
            throw Failure(description: "\(store.path): Morris statistics need a morris design; this sweep used \(layout.info["design"] ?? "?")")
        }
        let d = layout.parameterNames.count
        let points = Int(layout.info["design_points"] ?? "") ?? -1
        guard d >= 1, levels >= 2, levels % 2 == 0, points >= d + 1, points % (d + 1) == 0 else {
            throw Failure(description: "\(store.path): sweep: design_points \(points) with \(d) parameters and \(levels) levels "
                          + "is not a morris design (trajectories of parameters + 1 points, an even number of levels)")
        }
        let design = Morris(dimension: d, trajectories: points / (d + 1), levels: levels, seed: seed)
        var rows: [MorrisRow] = []
        for policy in try store.policies() {
            let outputs = try values(store, target, policy: policy)
            guard outputs.allSatisfy(\.isFinite) else {
                throw Failure(description: "\(store.path): \(target) is not a number in some experiments of policy \(policy)")
            }
            let e = MorrisEffects(design: design, outputs: outputs)
            for (j, name) in layout.parameterNames.enumerated() {
                rows.append(MorrisRow(policy: policy, parameter: name, mu: e.mu[j], muStar: e.muStar[j], sigma: e.sigma[j]))
            }
        }
        return rows
    }

    /// Morris rows as CSV.
    public static func morrisCSV(_ rows: [MorrisRow]) -> String {
        var csv = CSVText(header: ["policy", "parameter", "mu", "mu_star", "sigma"])
        for r in rows {
            csv.append([r.policy, r.parameter] + [r.mu, r.muStar, r.sigma].map { decimalText($0, digits: 6) })
        }
        return csv.text
    }
}
