import CapSimChart
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation

/// The sweeps started from the page: at most one runs at a time, on its own thread, through the
/// same `SweepRunner` and `SweepStore` as `capsim sweep` (shard 1/1), so the store it writes is
/// the one `capsim sweep FILE --store runs/NAME.sqlite` would write, resumes, and is resumed by.
///
/// A sweep is stopped between chunks of experiments (each chunk is stored in one go before the
/// stop is seen), so a stopped store holds whole chunks and a resume adds only the missing ones:
/// the finished store equals an uninterrupted run's.
public final class SweepBoard: @unchecked Sendable {
    // Every mutable field is read and written under `lock`.

    /// Where a sweep is.
    public enum Phase: String, Sendable, Codable {
        /// Never started from this page, or its store is absent.
        case idle
        /// Running now.
        case running
        /// A stop was asked; the chunk running finishes first.
        case stopping
        /// Stopped with part of the experiments stored; can be resumed.
        case stopped
        /// Every experiment is stored; results are shown.
        case done
        /// Failed; `message` says why.
        case failed
    }

    /// What the page's live progress shows (the JSON of `GET /sweep/progress`).
    public struct Progress: Sendable, Codable, Equatable {
        /// Where the sweep is.
        public var phase: Phase
        /// Experiments stored, this run and earlier ones.
        public var stored: Int
        /// Experiments in the whole sweep.
        public var total: Int
        /// Experiments per second in this run (0 before the first chunk is stored).
        public var rate: Double
        /// Estimated seconds until every experiment is stored, at `rate` (nil while unknown).
        public var secondsLeft: Double?
        /// A failure, or a note.
        public var message: String

        /// A progress report with every field given.
        public init(phase: Phase, stored: Int, total: Int, rate: Double, secondsLeft: Double?, message: String) {
            self.phase = phase
            self.stored = stored
            self.total = total
            self.rate = rate
            self.secondsLeft = secondsLeft
            self.message = message
        }
    }

    private struct Job {
        var progress: Progress
        var stopRequested = false
    }

    private let lock = NSLock()
    private var jobs: [String: Job] = [:]
    private var active: String?
    private var results: [String: (stamp: String, results: SweepResults)] = [:]
    /// Threads a sweep runs on.
    public let threads: Int
    /// Experiments per stored chunk; 0 picks about 1 % of the sweep (at most the runner's batch size),
    /// so progress moves and a stop is seen at least every percent.
    public let chunk: Int

    /// Called on the sweep's thread after each chunk is stored, with the count stored (tests use it
    /// to hold a sweep part-way).
    let afterChunk: (@Sendable (_ stored: Int) -> Void)?

    /// A board whose sweeps run on `threads` threads in chunks of `chunk` experiments (0: automatic).
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, chunk: Int = 0,
                afterChunk: (@Sendable (_ stored: Int) -> Void)? = nil) {
        self.threads = max(1, threads)
        self.chunk = max(0, chunk)
        self.afterChunk = afterChunk
    }

    /// The sweep's progress as last seen, or nil when the page has not started it since the server started.
    public func progress(_ key: String) -> Progress? { lock.withLock { jobs[key]?.progress } }

    /// The sweep running now, if any (its path relative to the workspace).
    public var running: String? { lock.withLock { active } }

    /// Why a sweep cannot be started, stopped or resumed now.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Starts `runner`'s experiments missing from the store at `storePath` on a new thread.
    /// - Throws: `Refusal` when a sweep is already running (one at a time).
    public func start(_ key: String, runner: SweepRunner, storePath: String, stored: Int) throws(Refusal) {
        let busy: String? = lock.withLock {
            if let active { return active }
            active = key
            jobs[key] = Job(progress: Progress(phase: .running, stored: stored, total: runner.experimentCount,
                                               rate: 0, secondsLeft: nil, message: ""))
            return nil
        }
        if let busy { throw Refusal(description: "the sweep \(busy) is running; one sweep runs at a time: stop it or wait for it") }
        let thread = Thread { [self] in run(key, runner: runner, storePath: storePath) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the running sweep `key` to stop after its current chunk.
    /// - Throws: `Refusal` when `key` is not running.
    public func stop(_ key: String) throws(Refusal) {
        let stopped: Bool = lock.withLock {
            guard active == key, var job = jobs[key], job.progress.phase == .running || job.progress.phase == .stopping else {
                return false
            }
            job.stopRequested = true
            job.progress.phase = .stopping
            jobs[key] = job
            return true
        }
        if !stopped { throw Refusal(description: "this sweep is not running") }
    }

    /// Waits (polling) until `key` is no longer running, at most `timeout` seconds; true when it stopped.
    public func wait(_ key: String, timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if running != key { return true }
            usleep(20_000)
        }
        return running != key
    }

    /// The chunk size for a sweep of `runner`.
    func chunkSize(_ runner: SweepRunner) -> Int {
        if chunk > 0 { return chunk }
        return max(1, min(runner.batchSize(), runner.experimentCount / 100))
    }

    private func update(_ key: String, _ change: (inout Job) -> Void) {
        lock.withLock {
            if var job = jobs[key] {
                change(&job)
                jobs[key] = job
            }
        }
    }

    private func run(_ key: String, runner: SweepRunner, storePath: String) {
        var final = Phase.failed
        var message = ""
        do {
            let store = try SweepStore.open(path: storePath, layout: runner.layout, shard: "1/1")
            var closed = false
            defer { if !closed { try? store.close() } }
            let done = Set(try store.completed())
            let todo = (0..<runner.experimentCount).filter { !done.contains($0) }
            let size = chunkSize(runner)
            let started = Date()
            var ran = 0
            while ran < todo.count {
                if lock.withLock({ jobs[key]?.stopRequested ?? false }) { break }
                let part = Array(todo[ran..<min(todo.count, ran + size)])
                try runner.run(part, threads: threads, batchSize: min(part.count, runner.batchSize()), into: store)
                ran += part.count
                let elapsed = Date().timeIntervalSince(started)
                let rate = elapsed > 0 ? Double(ran) / elapsed : 0
                let left = todo.count - ran
                update(key) {
                    $0.progress.stored = done.count + ran
                    $0.progress.rate = rate
                    $0.progress.secondsLeft = rate > 0 ? Double(left) / rate : nil
                }
                afterChunk?(done.count + ran)
            }
            if ran == todo.count {
                try store.refreshSummaries()
                final = .done
            } else {
                final = .stopped
            }
            try store.close()
            closed = true
        } catch {
            message = "\(error)"
        }
        lock.withLock {
            if var job = jobs[key] {
                job.progress.phase = final
                job.progress.message = message
                job.progress.secondsLeft = final == .done ? 0 : nil
                job.stopRequested = false
                jobs[key] = job
            }
            active = nil
        }
    }

    /// The results of a finished store, computed once per version of the store file.
    func results(_ key: String, stamp: String, compute: () -> SweepResults) -> SweepResults {
        if let cached = lock.withLock({ results[key] }), cached.stamp == stamp { return cached.results }
        let computed = compute()
        lock.withLock { results[key] = (stamp, computed) }
        return computed
    }
}

/// A finished sweep's fan charts, sensitivity ranking and downloads.
struct SweepResults: Sendable {
    /// The page section (HTML, escaped).
    var html: String
    /// File name → contents.
    var downloads: [String: WhatIfOutcome.Download]

    /// Fan charts of each outcome's metric (its sector, or every sector), the quantile table, and
    /// for a Saltelli or Morris design each outcome's ranking of the parameters.
    static func compute(runner: SweepRunner, store: SweepStore, resamples: Int) -> SweepResults {
        var html = "<h2>Results</h2>"
        var downloads: [String: WhatIfOutcome.Download] = [:]
        let spec = runner.spec
        do {
            let csv = try SweepAnalysis.quantilesCSV(store, metric: nil, sector: nil)
            downloads["quantiles.csv"] = .init(contentType: "text/csv; charset=utf-8", data: Data(csv.utf8))
            let rows = try FanChart.parse(csv: csv, source: "quantiles.csv")
            var charts: [Chart] = []
            var seen = Set<String>()
            for outcome in spec.outcomes {
                let sector = outcome.sector?.rawValue
                guard seen.insert(outcome.metric + "\u{1}" + (sector ?? "")).inserted else { continue }
                let sectors = Set(rows.filter { $0.metric == outcome.metric }.map(\.sector))
                charts += try FanChart.charts(rows: rows, source: "quantiles.csv", metric: outcome.metric,
                                              sector: sector.flatMap { sectors.contains($0) ? $0 : nil })
            }
            html += "<h3>Fan charts (median, 50 % and 90 % bands per policy)</h3>"
            do {
                let files = try Gnuplot.locate().render(charts, formats: [.svg, .png]).files
                for file in files {
                    downloads[file.name] = .init(contentType: file.name.hasSuffix(".svg") ? "image/svg+xml" : "image/png",
                                                          data: file.data)
                }
                for file in files where file.name.hasSuffix(".svg") {
                    html += "<figure class=\"fan\" id=\"\(HTML.escape(String(file.name.dropLast(4))))\">"
                        + Pages.inlineSVG(file.data) + "</figure>"
                }
            } catch {
                html += "<p class=\"muted\">charts unavailable: \(HTML.escape("\(error)"))</p>"
            }
        } catch {
            html += "<p class=\"err\">quantiles unavailable: \(HTML.escape("\(error)"))</p>"
        }
        html += "<h3>Sensitivity ranking</h3>"
        switch spec.design {
        case .saltelli, .morris:
            var tables = ""
            for outcome in spec.outcomes {
                let target = AnalysisTarget.outcome(outcome.name)
                do {
                    let text: String
                    let csv: String
                    let rows: [[String]]
                    if case .saltelli = spec.design {
                        let sobol = try SweepAnalysis.sobol(store, target, resamples: resamples)
                        text = SensitivityReport.sobol(sobol, target: target)
                        csv = SweepAnalysis.sobolCSV(sobol)
                        rows = sobol.sorted { ($0.policy, -$0.total) < ($1.policy, -$1.total) }.map {
                            [$0.policy, $0.parameter, HTML.number($0.first, digits: 3), HTML.number($0.total, digits: 3)]
                        }
                        tables += "<h4>\(HTML.escape(outcome.name))</h4>"
                            + HTML.table(["policy", "parameter", "S1", "ST"], rows, id: "ranking-\(outcome.name)")
                    } else {
                        let morris = try SweepAnalysis.morris(store, target)
                        text = SensitivityReport.morris(morris, target: target)
                        csv = SweepAnalysis.morrisCSV(morris)
                        rows = morris.sorted { ($0.policy, -$0.muStar) < ($1.policy, -$1.muStar) }.map {
                            [$0.policy, $0.parameter, HTML.number($0.muStar, digits: 4), HTML.number($0.sigma, digits: 4)]
                        }
                        tables += "<h4>\(HTML.escape(outcome.name))</h4>"
                            + HTML.table(["policy", "parameter", "mu*", "sigma"], rows, id: "ranking-\(outcome.name)")
                    }
                    tables += "<pre class=\"ranking\">\(HTML.escape(text))</pre>"
                    let kind = if case .saltelli = spec.design { "sobol" } else { "morris" }
                    downloads["\(kind)-\(outcome.name).csv"] = .init(contentType: "text/csv; charset=utf-8", data: Data(csv.utf8))
                } catch {
                    tables += "<p class=\"err\">\(HTML.escape(outcome.name)): \(HTML.escape("\(error)"))</p>"
                }
            }
            html += tables
        default:
            html += "<p class=\"muted\" id=\"no-ranking\">A ranking of the parameters needs a <code>saltelli</code> (Sobol' indices) "
                + "or <code>morris</code> design; this sweep is a \(HTML.escape(spec.design.name)) design: its fan charts show the spread.</p>"
        }
        return SweepResults(html: html, downloads: downloads)
    }
}
