import CapSimRunner
import CapSimScenario
import CapSimServer
import CapSimStore
import CapSimTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Writes a sweep file into the Jilin workspace's `sweeps/` folder; returns its workspace path.
func writeSweep(_ workspace: URL, name: String, _ text: String) throws -> String {
    let relative = "Scenarios/jilin-2016/sweeps/\(name).yaml"
    try Data(text.utf8).write(to: workspace.appendingPathComponent(relative))
    return relative
}

/// A Saltelli sweep of the mine threshold and the coal price with `samples` base rows.
func saltelliSweepText(samples: Int) -> String {
    """
    scenario: ../scenario.yaml
    seed: 11
    design: {kind: saltelli, samples: \(samples)}
    parameters:
      - name: mine_threshold
        path: rules[coal-under-30].threshold
        distribution: {kind: uniform, min: 20, max: 60}
      - name: coal_price
        path: sectors.coal.priceIndexByYear
        scale: true
        distribution: {kind: uniform, min: 0.7, max: 0.9}
    outcomes:
      - {name: coal_closed, metric: capacity_closed, sector: coal, years: [2016, 2018], aggregate: sum}
    """
}

/// The progress JSON of a sweep.
func sweepProgress(_ client: some TestClientProtocol, _ path: String) async throws -> SweepBoard.Progress {
    let response = try await client.execute(uri: "/sweep/progress?path=" + path, method: .get)
    #expect(response.status == .ok)
    return try JSONDecoder().decode(SweepBoard.Progress.self, from: Data(String(buffer: response.body).utf8))
}

/// Polls until the sweep leaves `running`/`stopping` (at most 300 s in a debug build).
func settledProgress(_ client: some TestClientProtocol, _ path: String) async throws -> SweepBoard.Progress {
    for _ in 0..<3000 {
        let p = try await sweepProgress(client, path)
        if p.phase != .running && p.phase != .stopping { return p }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("sweep \(path) did not settle")
    return try await sweepProgress(client, path)
}

/// A count shared with a sweep's thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.withLock { n += 1; return n } }
}

@Suite(.serialized, .removesTemporaryFiles) struct SweepRouteTests {
    @Test func startStopResumeEndsWithTheStoreOfAnUninterruptedRun() async throws {
        let workspace = try jilinWorkspace()
        let path = try writeSweep(workspace, name: "small", smallJilinSweepText(scenario: "../scenario.yaml", samples: 60, seed: 5))
        // The sweep is held after its first chunk until the stop is sent, so the stop lands part-way
        // however slow or fast the machine is.
        let held = Gate(), released = Gate()
        defer { released.open() }
        let first = Counter()
        let board = SweepBoard(threads: 1, chunk: 4) { _ in
            if first.increment() == 1 {
                held.open()
                released.wait()
            }
        }
        let workbench = try Workbench(workspace: workspace.path, sweeps: board)
        let app = Application(router: workbench.router())
        try await app.test(.router) { client in
            let fresh = try await client.execute(uri: "/sweep?path=" + path, method: .get)
            #expect(fresh.status == .ok)
            #expect(fresh.text.contains("<b id=\"phase\">idle</b>"))
            #expect(fresh.text.contains("id=\"start\""))
            #expect(fresh.text.contains("capsim sweep \(path) --store runs/Scenarios-jilin-2016-sweeps-small.sqlite"))
            let idle = try await sweepProgress(client, path)
            #expect(idle == SweepBoard.Progress(phase: .idle, stored: 0, total: 120, rate: 0, secondsLeft: nil, message: ""))
            // Nothing to resume or stop yet.
            #expect(try await client.execute(uri: "/sweep/resume?path=" + path, method: .post).status == .conflict)
            #expect(try await client.execute(uri: "/sweep/stop?path=" + path, method: .post).status == .conflict)

            let started = try await client.execute(uri: "/sweep/start?path=" + path, method: .post)
            #expect(started.status == .seeOther)
            #expect(started.headers[.location] == "/sweep?path=" + path)
            #expect(try await client.execute(uri: "/sweep/start?path=" + path, method: .post).status == .conflict)
            let running = try await client.execute(uri: "/sweep?path=" + path, method: .get).text
            #expect(running.contains("id=\"stop\"") && running.contains("/sweep/progress?path="))
            // Progress moves while it runs: the first chunk is stored, with a rate and the time left.
            await withCheckedContinuation { c in DispatchQueue.global().async { held.wait(); c.resume() } }
            let live = try await sweepProgress(client, path)
            #expect(live.phase == .running && live.stored == 4 && live.rate > 0 && live.secondsLeft != nil, "\(live)")
            #expect(try await client.execute(uri: "/sweep/stop?path=" + path, method: .post).status == .seeOther)
            released.open()
            let stopped = try await settledProgress(client, path)
            #expect(stopped.phase == .stopped, "the sweep of 120 experiments finished before its stop was seen")
            #expect(stopped.stored == 4, "the chunk stored before the stop, and no more: \(stopped.stored)")
            let store = workspace.appendingPathComponent("runs/Scenarios-jilin-2016-sweeps-small.sqlite").path
            #expect(try SweepStore.read(path: store).completed().count == stopped.stored)
            let stoppedPage = try await client.execute(uri: "/sweep?path=" + path, method: .get).text
            #expect(stoppedPage.contains("id=\"resume\"") && !stoppedPage.contains("id=\"start\""))
            #expect(try await client.execute(uri: "/sweep/download?path=\(path)&file=quantiles.csv", method: .get).status == .notFound)
            // Starting again over a partial store is refused: resume it.
            let restart = try await client.execute(uri: "/sweep/start?path=" + path, method: .post)
            #expect(restart.status == .conflict && restart.text.contains("resume it"))

            #expect(try await client.execute(uri: "/sweep/resume?path=" + path, method: .post).status == .seeOther)
            let done = try await settledProgress(client, path)
            #expect(done.phase == .done && done.stored == 120, "\(done)")
            #expect(try await client.execute(uri: "/sweep/resume?path=" + path, method: .post).status == .conflict)

            // The same records as one uninterrupted run of the runner, into a store of its own.
            let runner = try SweepRunner(spec: SweepSpec.load(path: workspace.appendingPathComponent(path).path))
            let reference = temporaryPath("reference-store").path
            let other = try SweepStore.open(path: reference, layout: runner.layout, shard: "1/1")
            try runner.run(Array(0..<120), threads: 1, batchSize: 120, into: other)
            try other.refreshSummaries()
            let served = try SweepStore.read(path: store)
            #expect(try served.records() == other.records())
            let expectedQuantiles = try SweepAnalysis.quantilesCSV(other, metric: nil, sector: nil)
            try other.close()
            try served.close()

            // Results: fan charts, no ranking for a Latin hypercube, the quantile table downloadable.
            let page = try await client.execute(uri: "/sweep?path=" + path, method: .get).text
            #expect(page.contains("<b id=\"phase\">done</b>"))
            #expect(page.contains("<figure class=\"fan\" id=\"fan-"), "no fan chart")
            #expect(page.contains("<svg"))
            #expect(page.contains("id=\"no-ranking\""))
            let quantiles = try await client.execute(uri: "/sweep/download?path=\(path)&file=quantiles.csv", method: .get)
            #expect(quantiles.status == .ok)
            #expect(quantiles.text == expectedQuantiles)
            for name in ["fan-capacity_closed-coal.svg", "fan-capacity_closed-coal.png"] where !page.contains(name) {
                Issue.record("no download \(name)")
            }
            let png = try await client.execute(uri: "/sweep/download?path=\(path)&file=fan-capacity_closed-coal.png", method: .get)
            #expect(png.status == .ok && Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        }
    }

    @Test func aSaltelliSweepShowsTheSobolRankingOfItsParameters() async throws {
        let workspace = try jilinWorkspace()
        let path = try writeSweep(workspace, name: "sobol", saltelliSweepText(samples: 32))
        let workbench = try Workbench(workspace: workspace.path, sweeps: SweepBoard(threads: 1), sweepResamples: 200)
        let app = Application(router: workbench.router())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/sweep/start?path=" + path, method: .post).status == .seeOther)
            let done = try await settledProgress(client, path)
            #expect(done.phase == .done && done.stored == 32 * 4)
            let page = try await client.execute(uri: "/sweep?path=" + path, method: .get).text
            #expect(page.contains("id=\"ranking-coal_closed\""))
            // The page's indices are the library's (same store, same resamples and seed).
            let store = try SweepStore.read(path: workspace.appendingPathComponent("runs/Scenarios-jilin-2016-sweeps-sobol.sqlite").path)
            defer { try? store.close() }
            let rows = try SweepAnalysis.sobol(store, .outcome("coal_closed"), resamples: 200)
            let csv = try await client.execute(uri: "/sweep/download?path=\(path)&file=sobol-coal_closed.csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.text == SweepAnalysis.sobolCSV(rows))
            // Coal capacity closed by 2018 is set by the mine threshold, not by the price: it ranks first.
            let threshold = try #require(rows.first { $0.parameter == "mine_threshold" })
            let price = try #require(rows.first { $0.parameter == "coal_price" })
            #expect(threshold.total > price.total)
            let table = try #require(page.range(of: "id=\"ranking-coal_closed\""))
            let firstRow = page[table.upperBound...]
            let thresholdAt = try #require(firstRow.range(of: "mine_threshold")).lowerBound
            let priceAt = try #require(firstRow.range(of: "coal_price")).lowerBound
            #expect(thresholdAt < priceAt, "the ranking lists the larger total index first")
            #expect(page.contains(SensitivityReport.sobol(rows, target: .outcome("coal_closed")).split(separator: "\n")[0]
                .replacingOccurrences(of: "'", with: "&#39;")))
        }
    }

    @Test func sweepErrorsAreRefusedWithTheirReason() async throws {
        let workspace = try jilinWorkspace()
        let big = try writeSweep(workspace, name: "big", smallJilinSweepText(scenario: "../scenario.yaml", samples: 5000, seed: 5))
        let other = try writeSweep(workspace, name: "other", smallJilinSweepText(scenario: "../scenario.yaml", samples: 4, seed: 5))
        let bad = try writeSweep(workspace, name: "bad", smallJilinSweepText(scenario: "../scenario.yaml", samples: 4, seed: 5)
            .replacingOccurrences(of: "min: 20, max: 60", with: "min: 60, max: 20"))
        let board = SweepBoard(threads: 1, chunk: 5)
        let workbench = try Workbench(workspace: workspace.path, sweeps: board)
        let app = Application(router: workbench.router())
        try await app.test(.router) { client in
            // Not a sweep file, outside the workspace, missing.
            #expect(try await client.execute(uri: "/sweep?path=" + jilin, method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/sweep/start?path=" + jilin, method: .post).status == .badRequest)
            #expect(try await client.execute(uri: "/sweep/start?path=../x.yaml", method: .post).status == .forbidden)
            #expect(try await client.execute(uri: "/sweep/progress?path=/etc/passwd", method: .get).status == .forbidden)
            #expect(try await client.execute(uri: "/sweep?path=Scenarios/none.yaml", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/sweep/stop", method: .post).status == .badRequest)
            // A sweep that does not load: the loader's located message, nothing started.
            let refused = try await client.execute(uri: "/sweep/start?path=" + bad, method: .post)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Scenarios/jilin-2016/sweeps/bad.yaml:"))
            #expect(refused.text.contains("max"))
            #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("runs/Scenarios-jilin-2016-sweeps-bad.sqlite").path))
            // One sweep at a time.
            #expect(try await client.execute(uri: "/sweep/start?path=" + big, method: .post).status == .seeOther)
            let second = try await client.execute(uri: "/sweep/start?path=" + other, method: .post)
            #expect(second.status == .conflict)
            #expect(second.text.contains("one sweep runs at a time"))
            #expect(try await client.execute(uri: "/sweep/stop?path=" + other, method: .post).status == .conflict)
            #expect(try await client.execute(uri: "/sweep/stop?path=" + big, method: .post).status == .seeOther)
            #expect(try await settledProgress(client, big).phase == .stopped)
            // A store of another sweep (the sweep file changed since): refused, the store kept.
            let text = try String(contentsOf: workspace.appendingPathComponent(big), encoding: .utf8)
            try Data(text.replacingOccurrences(of: "seed: 5", with: "seed: 6").utf8).write(to: workspace.appendingPathComponent(big))
            let changed = try await client.execute(uri: "/sweep/resume?path=" + big, method: .post)
            #expect(changed.status == .conflict)
            #expect(changed.text.contains("holds another sweep"))
            #expect(try await sweepProgress(client, big).phase == .failed)
        }
    }
}

@Suite(.serialized, .removesTemporaryFiles) struct SweepLiveTests {
    @Test func aSweepStartedByAClientThatHangsUpRunsOnAndTheServerAnswers() async throws {
        let workspace = try jilinWorkspace()
        let path = try writeSweep(workspace, name: "small", smallJilinSweepText(scenario: "../scenario.yaml", samples: 10, seed: 5))
        let workbench = try Workbench(workspace: workspace.path, sweeps: SweepBoard(threads: 1, chunk: 2))
        let app = Application(router: workbench.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            _ = try rawExchange(port: port, "POST /sweep/start?path=\(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", read: false)
            // Half a request, then the client leaves.
            _ = try rawExchange(port: port, "GET /sweep/progress?path=\(path) HTTP/1.1\r\nHost: 12", read: false)
            var progress = try await sweepProgress(client, path)
            for _ in 0..<100 where progress.phase == .idle {
                try await Task.sleep(for: .milliseconds(50))
                progress = try await sweepProgress(client, path)
            }
            #expect(progress.phase != .idle, "the start of a client that hung up was not seen")
            let done = try await settledProgress(client, path)
            #expect(done.phase == .done && done.stored == 20)
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
        }
    }
}
