import Dispatch
import LinearAlgebra

extension ScenarioBatch {
    /// The scenarios in `range`, over the same facilities, years and enterprises.
    public func slice(_ range: Range<Int>) -> ScenarioBatch {
        ScenarioBatch(facilities: facilities, baseYear: baseYear, endYear: endYear,
                      scenarioNames: Array(scenarioNames[range]), policies: Array(policies[range]),
                      enterprises: enterprises)
    }
}

extension Engine {
    /// Runs `batch` on `threads` threads: scenarios are split into contiguous chunks run
    /// concurrently, and the results joined in scenario order. Scenarios never interact, so the
    /// numbers do not depend on the thread count.
    public static func run(_ batch: ScenarioBatch, options: Options = Options(), threads: Int) -> BatchResult {
        precondition(threads >= 1, "at least one thread")
        let ranges = Parallel.ranges(batch.policies.count, parts: threads)
        if ranges.count == 1 { return run(batch, options: options) }
        return BatchResult.joined(runChunks(batch, ranges: ranges, options: options))
    }

    /// Runs `batch` in chunks of `chunkSize` scenarios, `threads` chunks at a time, and hands each
    /// chunk's result to `body` in scenario order with the index of its first scenario. Only
    /// `threads` chunks are held at once, so memory does not grow with the number of scenarios.
    public static func stream(_ batch: ScenarioBatch, chunkSize: Int, threads: Int, options: Options = Options(),
                              body: (_ firstScenario: Int, _ result: BatchResult) throws -> Void) rethrows {
        precondition(chunkSize >= 1 && threads >= 1, "chunk size and threads must be positive")
        let count = batch.policies.count
        var start = 0
        while start < count {
            var ranges: [Range<Int>] = []
            while ranges.count < threads && start < count {
                ranges.append(start..<min(count, start + chunkSize))
                start += chunkSize
            }
            let results = runChunks(batch, ranges: ranges, options: options)
            for (range, result) in zip(ranges, results) { try body(range.lowerBound, result) }
        }
    }

    /// Runs each range of scenarios as its own batch, concurrently, with one BLAS thread per worker.
    private static func runChunks(_ batch: ScenarioBatch, ranges: [Range<Int>], options: Options) -> [BatchResult] {
        if ranges.count == 1 { return [run(batch.slice(ranges[0]), options: options)] }
        return BLASThreads.withSingleThread {
            Parallel.map(ranges.count) { run(batch.slice(ranges[$0]), options: options) }
        }
    }
}

extension BatchResult {
    /// Results of consecutive scenario chunks joined into one, in order.
    public static func joined(_ parts: [BatchResult]) -> BatchResult {
        precondition(!parts.isEmpty, "nothing to join")
        if parts.count == 1 { return parts[0] }
        var out = parts[0]
        out.scenarioNames = parts.flatMap(\.scenarioNames)
        out.valuesByYear = out.years.indices.map { y in
            Matrix(rowCount: parts[0].groups.count, columnCount: parts.reduce(0) { $0 + $1.valuesByYear[y].columnCount },
                   columnMajor: parts.flatMap { $0.valuesByYear[y].elements })
        }
        var offset = 0
        out.closures = []
        out.openings = []
        out.blockedOpenings = []
        out.shortfalls = []
        out.capacityChanges = []
        out.blockedCapacityChanges = []
        out.outputShortfalls = []
        for part in parts {
            out.capacityChanges += part.capacityChanges.map { var e = $0; e.scenario += offset; return e }
            out.blockedCapacityChanges += part.blockedCapacityChanges.map { var e = $0; e.scenario += offset; return e }
            out.outputShortfalls += part.outputShortfalls.map { var e = $0; e.scenario += offset; return e }
            out.closures += part.closures.map { var e = $0; e.scenario += offset; return e }
            out.openings += part.openings.map { var e = $0; e.scenario += offset; return e }
            out.blockedOpenings += part.blockedOpenings.map { var e = $0; e.scenario += offset; return e }
            out.shortfalls += part.shortfalls.map { var e = $0; e.scenario += offset; return e }
            offset += part.scenarioNames.count
        }
        if let first = parts[0].resettlement {
            out.resettlement = ResettlementResult.joined(parts.map { $0.resettlement! }, like: first)
        }
        if let first = parts[0].finance {
            out.finance = FinanceResult.joined(parts.map { $0.finance! }, like: first)
        }
        if parts.contains(where: { $0.market != nil }) {
            out.market = MarketResult.joined(parts.map { $0.market ?? MarketResult(scenarioCount: $0.scenarioNames.count, years: $0.years) })
        }
        return out
    }
}

/// Joins values laid out with the scenario index innermost: `[cell][scenario]`.
func joinScenarioInnermost(_ parts: [(values: [Double], scenarios: Int)], cells: Int) -> [Double] {
    let total = parts.reduce(0) { $0 + $1.scenarios }
    var out = [Double](repeating: 0, count: cells * total)
    var offset = 0
    for part in parts {
        for cell in 0..<cells {
            for s in 0..<part.scenarios { out[cell * total + offset + s] = part.values[cell * part.scenarios + s] }
        }
        offset += part.scenarios
    }
    return out
}

extension ResettlementResult {
    static func joined(_ parts: [ResettlementResult], like first: ResettlementResult) -> ResettlementResult {
        var out = first
        out.scenarioCount = parts.reduce(0) { $0 + $1.scenarioCount }
        out.values = joinScenarioInnermost(parts.map { ($0.values, $0.scenarioCount) },
                                           cells: first.years.count * first.sectors.count * first.quantities.count)
        return out
    }
}

extension FinanceResult {
    static func joined(_ parts: [FinanceResult], like first: FinanceResult) -> FinanceResult {
        var out = first
        out.scenarioCount = parts.reduce(0) { $0 + $1.scenarioCount }
        out.values = joinScenarioInnermost(parts.map { ($0.values, $0.scenarioCount) },
                                           cells: first.years.count * first.enterprises.count * FinanceMetric.allCases.count)
        return out
    }
}
