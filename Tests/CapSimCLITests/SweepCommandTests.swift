import CapSimStore
import Foundation
import Testing

/// `capsim sweep`, `merge` and `analyze` through the real binary, including a run killed mid-way.
@Suite(.serialized) struct SweepCommandTests {
    static func sweepText(samples: Int) -> String {
        """
        scenario: \(CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        seed: 3
        design: {kind: latin_hypercube, samples: \(samples)}
        parameters:
          - name: threshold
            path: rules[coal-under-30].threshold
            distribution: {kind: uniform, min: 20, max: 60}
          - name: success
            path: resettlement.transitions.trainingSuccessShare
            distribution: {kind: triangular, min: 0.2, mode: 0.6, max: 0.9}
        policies:
          - name: plan
          - name: welfare
            set:
              resettlement.channels[public-welfare].share: 0.3
        outcomes:
          - {name: coal_closed, metric: capacity_closed, sector: coal, years: [2016, 2018], aggregate: sum}
        """
    }

    func folder(samples: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.sweepText(samples: samples).utf8).write(to: dir.appendingPathComponent("sweep.yaml"))
        return dir
    }

    @Test func killedRunResumesToTheUninterruptedResult() throws {
        let dir = try folder(samples: 60)
        let sweep = dir.appendingPathComponent("sweep.yaml").path
        let killed = dir.appendingPathComponent("killed.sqlite").path
        // Start a run in small batches and kill it (SIGKILL: no clean-up) once a few are stored.
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["sweep", sweep, "--store", killed, "--threads", "1", "--batch", "6"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var stored = 0
        let deadline = Date().addingTimeInterval(120)
        while stored < 12 && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            stored = (try? SweepStore.read(path: killed).completed().count) ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        let afterKill = try SweepStore.read(path: killed).completed()
        #expect(afterKill.count >= 12 && afterKill.count < 120)
        #expect(afterKill.count % 6 == 0, "only whole batches are stored")
        #expect(afterKill == Array(0..<afterKill.count))

        let resumed = try CLIHarness.run(["sweep", sweep, "--store", killed, "--threads", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("already stored \(afterKill.count), to run \(120 - afterKill.count)"))
        #expect(resumed.stderr.isEmpty, "no progress line when standard error is not a terminal")

        let whole = dir.appendingPathComponent("whole.sqlite").path
        let clean = try CLIHarness.run(["sweep", sweep, "--store", whole, "--threads", "2", "--batch", "50"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let a = try SweepStore.read(path: killed), b = try SweepStore.read(path: whole)
        #expect(try a.completed() == Array(0..<120))
        #expect(try a.records() == b.records())
        #expect(try a.summaries() == b.summaries())

        // A finished store: running again adds nothing.
        let again = try CLIHarness.run(["sweep", sweep, "--store", killed])
        #expect(again.stdout.contains("already stored 120, to run 0"))
    }

    @Test func shardsMergeAndAnalyzeFromTheCommandLine() throws {
        let dir = try folder(samples: 8)
        let sweep = dir.appendingPathComponent("sweep.yaml").path
        for k in 1...2 {
            let r = try CLIHarness.run(["sweep", sweep, "--store", dir.appendingPathComponent("p\(k).sqlite").path, "--shard", "\(k)/2"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("shard \(k)/2: 8"))
        }
        let merged = dir.appendingPathComponent("all.sqlite").path
        let m = try CLIHarness.run(["merge", merged, dir.appendingPathComponent("p1.sqlite").path,
                                    dir.appendingPathComponent("p2.sqlite").path])
        #expect(m.status == 0 && m.stdout.contains("16 of 16 experiments"), "\(m.stderr)")
        let whole = dir.appendingPathComponent("whole.sqlite").path
        #expect(try CLIHarness.run(["sweep", sweep, "--store", whole]).status == 0)
        #expect(try SweepStore.read(path: merged).records() == SweepStore.read(path: whole).records())

        let q = try CLIHarness.run(["analyze", "quantiles", merged, "--metric", "capacity", "--sector", "coal"])
        #expect(q.status == 0, "\(q.stderr)")
        let lines = q.stdout.split(separator: "\n")
        #expect(lines.first == "policy,metric,sector,year,unit,n,mean,p05,p25,p50,p75,p95")
        #expect(lines.count == 1 + 2 * 6)
        #expect(lines[1].hasPrefix("plan,capacity,coal,2015,10kt/yr,8,4897,4897,"))

        // The fan chart straight from the store equals the one from its quantile CSV.
        let q2 = dir.appendingPathComponent("q.csv").path
        #expect(try CLIHarness.run(["analyze", "quantiles", merged, "--metric", "capacity", "--sector", "coal", "--out", q2]).status == 0)
        for (input, folder) in [(merged, "fan-store"), (q2, "fan-csv")] {
            let c = try CLIHarness.run(["chart", "--fan", input, "--metric", "capacity", "--sector", "coal",
                                        "--out", dir.appendingPathComponent(folder).path])
            #expect(c.status == 0, "\(c.stderr)")
        }
        let fromStore = try Data(contentsOf: dir.appendingPathComponent("fan-store/fan-capacity-coal.png"))
        ImageCheck.expectPNG(fromStore, "fan chart from the store")
        #expect(fromStore == (try Data(contentsOf: dir.appendingPathComponent("fan-csv/fan-capacity-coal.png"))))

        let bad = try CLIHarness.run(["analyze", "quantiles", merged, "--metric", "capacty"])
        #expect(bad.status == 1 && bad.stderr.contains("no metric 'capacty'"))
        let sobol = try CLIHarness.run(["analyze", "sobol", merged, "--outcome", "coal_closed"])
        #expect(sobol.status == 1 && sobol.stderr.contains("need a saltelli design"))
        let shardError = try CLIHarness.run(["sweep", sweep, "--store", dir.appendingPathComponent("p1.sqlite").path])
        #expect(shardError.status == 1 && shardError.stderr.contains("holds shard 1/2 of this sweep, not 1/1"))
    }

    @Test func badSweepFileIsLocatedAndNothingIsWritten() throws {
        let dir = try folder(samples: 8)
        let sweep = dir.appendingPathComponent("sweep.yaml")
        try CLIHarness.edit(sweep, replacing: "rules[coal-under-30].threshold", with: "rules[coal-under-31].threshold")
        let store = dir.appendingPathComponent("s.sqlite").path
        let r = try CLIHarness.run(["sweep", sweep.path, "--store", store])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(sweep.path):6: parameters[0].path: unknown parameter path"))
        #expect(!FileManager.default.fileExists(atPath: store))
    }
}
