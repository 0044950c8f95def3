import CapSimPaths
import ArgumentParser
import CapSimIO
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation

/// `capsim sweep`: run a sweep file's experiments into a SQLite store, resuming where it stopped.
public struct SweepCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep (grid, Monte Carlo, Latin hypercube, Sobol', Saltelli, Morris) into a SQLite store.",
        discussion: """
            The sweep file (docs/SWEEP.md) names a base scenario, the parameters to vary by path,
            the design, policy variants, outcomes and a seed. Experiments run in batches on every
            core; each batch is stored in one transaction. Run the same command again after an
            interruption and it adds only the missing experiments: the store ends identical to an
            uninterrupted run's.

            Examples:
              capsim sweep Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/sweep.sqlite
                  The 10,000 experiments of the Jilin threshold and price sweep, on every core.
              capsim sweep Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/part1.sqlite --shard 1/2
              capsim sweep Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/part2.sqlite --shard 2/2
                  The same sweep in two parts, one per machine of a cluster.
              capsim merge runs/all.sqlite runs/part1.sqlite runs/part2.sqlite
                  The parts merged: runs/all.sqlite equals runs/sweep.sqlite.
              capsim sweep Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/outcomes.sqlite --outcomes-only
                  Parameters, outcomes and per-year summaries only, no per-experiment series: a few
                  hundred bytes an experiment rather than 22 KB, for sweeps of millions.
              capsim analyze quantiles runs/sweep.sqlite --metric workers_waiting --sector coal
                  Quantiles of coal workers waiting per policy and year, as CSV on the terminal.
              capsim analyze quantiles runs/sweep.sqlite --out runs/quantiles.csv
                  Every metric's quantiles into runs/quantiles.csv, for `capsim chart --fan`.
            """)

    @Argument(help: "The sweep YAML file.")
    var sweep: String

    @Option(name: .long, help: "The SQLite store to write (created, or resumed if it holds this sweep).")
    var store: String

    @Option(name: .long, help: "Run only part K of N of the experiments (e.g. 2/4), for a cluster; merge the parts with `capsim merge`.")
    var shard: String = "1/1"

    @Option(name: .long, help: "Threads, 1-\(SweepCommand.maxThreads) (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Experiments per batch, one transaction each, 1-\(SweepCommand.maxBatch) (default: as many as fit in 1 GiB, at most 500).")
    var batch: Int?

    @Flag(name: .long, help: "Keep only parameters and outcomes per experiment, no yearly series (a much smaller store for very large sweeps); the per-year summaries for fan charts are still kept.")
    var outcomesOnly = false

    @Option(name: .long, help: "With --outcomes-only: commit stored experiments at least every S seconds, 0-3600 (default 10); a kill loses at most that much work, which the next run redoes.")
    var commitSeconds: Double?

    /// The largest `--threads`: beyond it threads only cost memory and scheduling.
    static let maxThreads = 1024
    /// The largest `--batch`.
    static let maxBatch = 100_000
    /// The largest N of `--shard K/N`.
    static let maxShards = 100_000

    public init() {}

    public func validate() throws {
        guard parseShard(shard) != nil else {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N ≤ \(Self.maxShards), e.g. 2/4; got '\(shard)'")
        }
        guard (1...Self.maxThreads).contains(threads) else {
            throw ValidationError("--threads must be 1-\(Self.maxThreads); got \(threads)")
        }
        if let batch, !(1...Self.maxBatch).contains(batch) {
            throw ValidationError("--batch must be 1-\(Self.maxBatch); got \(batch)")
        }
        if let commitSeconds {
            guard outcomesOnly else { throw ValidationError("--commit-seconds applies only with --outcomes-only") }
            guard commitSeconds >= 0 && commitSeconds <= 3600 else {
                throw ValidationError("--commit-seconds must be 0-3600; got \(commitSeconds)")
            }
        }
        try validateOutputPath(store, option: "--store")
    }

    public func run() throws {
        guard let (k, n) = parseShard(shard) else { throw ValidationError("--shard must be K/N") }
        let runner: SweepRunner
        do {
            runner = try SweepRunner(spec: SweepSpec.load(path: sweep))
        } catch {
            try exitReporting(error.issues)
        }
        // A batch that cannot fit in memory is refused before the store is touched.
        let physical = ProcessInfo.processInfo.physicalMemory
        if let batch, UInt64(batch).multipliedReportingOverflow(by: UInt64(runner.bytesPerExperiment)).partialValue > physical / 2 {
            printError("error: --batch \(batch) needs about \((batch * runner.bytesPerExperiment) >> 20) MiB "
                       + "(\(runner.bytesPerExperiment >> 10) KiB an experiment), over half of this machine's "
                       + "\(physical >> 20) MiB; at most \(max(1, Int(physical / 2) / max(1, runner.bytesPerExperiment))) fit")
            throw ExitCode.validationFailure
        }
        let part = runner.experiments(shard: k, of: n)
        do {
            var layout = runner.layout
            layout.outcomesOnly = outcomesOnly
            let output = try SweepStore.open(path: store, layout: layout, shard: shard)
            output.commitInterval = commitSeconds ?? SweepStore.defaultCommitInterval
            let done = Set(try output.completed())
            let todo = part.filter { !done.contains($0) }
            let quiet = isatty(STDERR_FILENO) == 0
            let batchSize = batch ?? runner.batchSize()
            print("\(sweep): \(runner.spec.design.name), \(runner.design.count) points × \(runner.spec.policies.count) "
                  + "\(runner.spec.policies.count == 1 ? "policy" : "policies") = \(runner.experimentCount) experiments; shard \(shard): \(part.count); "
                  + "already stored \(part.count - todo.count), to run \(todo.count) in batches of \(batchSize)")
            let progress = ProgressLine(total: todo.count, quiet: quiet)
            try runner.run(todo, threads: threads, batchSize: batchSize, into: output) { done, _ in
                progress.update(done)
            }
            progress.finish()
            try output.refreshSummaries()
            let stored = try output.completed().count
            try output.close()
            print("stored \(part.count) experiments in \(store) (\(progress.summary))")
            print(Self.sizeLine(bytes: output.fileBytes(), experiments: stored, outcomesOnly: outcomesOnly))
        } catch let error as StoreError {
            printError("error: \(error)")
            throw ExitCode(1)
        } catch let error as SweepRunner.ExperimentError {
            printError("error: \(error)")
            printError("the experiments stored so far are kept; fix the sweep file and run again")
            throw ExitCode(1)
        }
    }

    /// `store: 211.0 MiB, 22131 bytes per experiment (10000 experiments, series kept)`.
    static func sizeLine(bytes: Int64, experiments: Int, outcomesOnly: Bool) -> String {
        let perExperiment = experiments > 0 ? String(Int((Double(bytes) / Double(experiments)).rounded())) : "-"
        return "store: " + String(format: "%.1f MiB", Double(bytes) / 1_048_576) + ", \(perExperiment) bytes per experiment ("
            + "\(experiments) experiments, " + (outcomesOnly ? "outcomes only" : "series kept") + ")"
    }

    private func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], (1...Self.maxShards).contains(n), (1...n).contains(k)
        else { return nil }
        return (k, n)
    }
}

/// A usage error unless `path` can name a file to write: not empty, not ending in `/`, not an
/// existing folder.
func validateOutputPath(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) needs a file name; got an empty one") }
    guard !path.hasSuffix("/") else { throw ValidationError("\(option) \(path): names a folder; give a file name") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        throw ValidationError("\(option) \(path): is a folder; give a file name")
    }
}

/// `done/total, rate, time left` on one terminal line, redrawn at most every half second; silent
/// when standard error is not a terminal (logs, CI).
final class ProgressLine {
    let total: Int
    let quiet: Bool
    let start = Date()
    var last = Date.distantPast
    var done = 0

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func update(_ done: Int) {
        self.done = done
        guard !quiet, Date().timeIntervalSince(last) > 0.5 || done == total else { return }
        last = Date()
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(Data(String(format: "\r%d/%d experiments, %.0f/s, %.0f s left   ", done, total, rate, left).utf8))
    }

    func finish() {
        if !quiet && total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    var summary: String {
        let elapsed = Date().timeIntervalSince(start)
        return String(format: "%d run in %.1f s, %.0f experiments/s", done, elapsed, elapsed > 0 ? Double(done) / elapsed : 0)
    }
}

/// `capsim merge`: combine shard stores into one store of the whole sweep.
public struct MergeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard stores of one sweep into a new store, identical to a single-machine run's.")

    @Argument(help: "The new store to write.")
    var output: String

    @Argument(help: "The shard stores.")
    var shards: [String]

    public init() {}

    public func validate() throws {
        try validateOutputPath(output, option: "the new store")
        guard !shards.isEmpty else { throw ValidationError("give the shard stores to merge after the new store") }
        let named = Set(shards.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        if named.contains(URL(fileURLWithPath: output).standardizedFileURL.path) {
            throw ValidationError("the new store \(output) is also given as a shard; merge writes a new store")
        }
        guard named.count == shards.count else { throw ValidationError("a shard store is given twice") }
    }

    public func run() throws {
        do {
            let merged = try SweepStore.merge(shards, into: output)
            let count = try merged.completed().count
            print("merged \(shards.count) stores into \(output): \(count) of \(merged.layout.experimentCount) experiments")
            if count < merged.layout.experimentCount {
                print("warning: \(merged.layout.experimentCount - count) experiments are missing; a shard is unfinished or not given")
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `capsim analyze`: fan-chart quantiles, Sobol' indices and Morris statistics from a store.
public struct AnalyzeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Quantiles over time, Sobol' indices or Morris statistics from a sweep store.",
        subcommands: [Quantiles.self, Sobol.self, MorrisScreen.self])

    public init() {}

    /// Where a CSV goes: a file (atomically) or standard output.
    static func emit(_ csv: String, to out: String?) throws {
        guard let out else { return print(csv, terminator: "") }
        let (folder, name) = PathText.split(out)
        try AtomicOutput.write([(name, csv)], to: folder)
        print("wrote \(out)")
    }

    /// The ranking for people: on standard output after "wrote FILE", or on standard error when the
    /// CSV itself goes to standard output (so a pipe still gets only CSV).
    static func report(_ text: String, csvOnStandardOutput: Bool) {
        if csvOnStandardOutput { printError(text) } else { print(text) }
    }

    static func target(outcome: String?, metric: String?, sector: String?, year: Int?) throws -> AnalysisTarget {
        switch (outcome, metric, year) {
        case let (o?, nil, nil): return .outcome(o)
        case let (nil, m?, y?): return .series(metric: m, sector: sector, year: y)
        default: throw ValidationError("give --outcome NAME, or --metric NAME --year YEAR [--sector S]")
        }
    }

    static func failing(_ body: () throws -> Void) throws {
        do { try body() } catch let error as ValidationError { throw error } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }

    struct Quantiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per policy, metric, sector and year: n, mean and the 5/25/50/75/95 % quantiles (fan-chart data), as CSV.")
        @Argument(help: "The sweep store.") var store: String
        @Option(help: "Only this metric (as in projections.csv).") var metric: String?
        @Option(help: "Only this sector.") var sector: String?
        @Option(help: "Write to this CSV file instead of standard output.") var out: String?
        func validate() throws {
            if let out { try validateOutputPath(out, option: "--out") }
        }
        func run() throws {
            try failing {
                try emit(SweepAnalysis.quantilesCSV(SweepStore.read(path: store), metric: metric, sector: sector), to: out)
            }
        }
    }

    /// What a sensitivity analysis explains, and where its CSV goes.
    struct TargetOptions: ParsableArguments {
        @Argument(help: "The sweep store.") var store: String
        @Option(help: "An outcome named in the sweep file.") var outcome: String?
        @Option(help: "Or a metric's value in --year (sum over sectors unless --sector).") var metric: String?
        @Option(help: "Sector of --metric.") var sector: String?
        @Option(help: "Year of --metric.") var year: Int?
        @Option(help: "Write to this CSV file instead of standard output.") var out: String?

        func validate() throws {
            if let out { try validateOutputPath(out, option: "--out") }
            _ = try target()
        }

        func target() throws -> AnalysisTarget {
            try AnalyzeCommand.target(outcome: outcome, metric: metric, sector: sector, year: year)
        }
    }

    struct Sobol: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "First-order and total Sobol' indices with bootstrap intervals (saltelli sweeps).")
        @OptionGroup var options: TargetOptions
        @Option(help: "Bootstrap resamples, \(SweepAnalysis.resamplesRange.lowerBound)-\(SweepAnalysis.resamplesRange.upperBound).")
        var resamples: Int = 1000
        func validate() throws {
            let range = SweepAnalysis.resamplesRange
            guard range.contains(resamples) else {
                throw ValidationError("--resamples must be \(range.lowerBound)-\(range.upperBound); got \(resamples)")
            }
        }
        func run() throws {
            let what = try options.target()
            try failing {
                let rows = try SweepAnalysis.sobol(SweepStore.read(path: options.store), what, resamples: resamples)
                try emit(SweepAnalysis.sobolCSV(rows), to: options.out)
                report(SensitivityReport.sobol(rows, target: what), csvOnStandardOutput: options.out == nil)
            }
        }
    }

    struct MorrisScreen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "morris", abstract: "Morris mu, mu* and sigma (morris sweeps).")
        @OptionGroup var options: TargetOptions
        func run() throws {
            let what = try options.target()
            try failing {
                let rows = try SweepAnalysis.morris(SweepStore.read(path: options.store), what)
                try emit(SweepAnalysis.morrisCSV(rows), to: options.out)
                report(SensitivityReport.morris(rows, target: what), csvOnStandardOutput: options.out == nil)
            }
        }
    }
}
