import CapSimTestSupport
import CapSimStore
import Foundation
import Testing

/// The sweep store through the real binary: kills at any moment, two writers, a program holding
/// the store, resume from another spelling of the path, damaged and read-only stores, and the
/// ranges of the sweep, merge and analyze options.
@Suite(.serialized) struct SweepStoreCommandTests {
    /// A folder removed when the test ends.
    final class Folder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-store-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    /// 4 Latin hypercube points under 2 policies; `scenario` as the sweep file names it.
    static func sweepText(scenario: String = CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path,
                          samples: Int = 4) -> String {
        smallJilinSweepText(scenario: scenario, samples: samples, seed: 5)
    }

    static func sweepFolder(samples: Int = 4) throws -> Folder {
        let folder = try Folder()
        try Data(sweepText(samples: samples).utf8).write(to: folder.url.appendingPathComponent("sweep.yaml"))
        return folder
    }

    /// Runs a program other than capsim and captures its output.
    static func runProgram(_ executable: String, _ arguments: [String]) throws -> CLIHarness.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIHarness.Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                 stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `capsim` with `arguments`, output discarded.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A sweep killed (SIGKILL: no clean-up) at moments spread over its whole life, from before
    /// any table exists to the middle of its batches; each time the rerun completes, equals an
    /// uninterrupted run and leaves nothing but the store.
    @Test func aKillAtAnyMomentThenARerunGivesTheUninterruptedStore() throws {
        let folder = try Self.sweepFolder()
        let sweep = folder.path("sweep.yaml")
        let reference = folder.path("reference.sqlite")
        // The uninterrupted run, timing when a store file first appears.
        let started = Date()
        let run = try Self.start(["sweep", sweep, "--store", reference, "--threads", "1", "--batch", "1"])
        var appears: Double?
        while run.isRunning {
            if appears == nil, folder.contents.contains(where: { $0.contains("reference.sqlite") }) {
                appears = Date().timeIntervalSince(started)
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        let total = Date().timeIntervalSince(started)
        #expect(run.terminationStatus == 0)
        let t = try #require(appears, "the store never appeared")
        let expected = try SweepStore.read(path: reference)
        let records = try expected.records(), summaries = try expected.summaries()
        #expect(records.count == 8)
        try expected.close()
        try FileManager.default.removeItem(atPath: reference)

        var delays = [0, 0.3 * t, 0.6 * t, 0.9 * t, t - 0.02, t - 0.005, t, t + 0.003, t + 0.01, t + 0.03]
        delays += [0.25, 0.5, 0.75].map { t + $0 * (total - t) }
        var killedBeforeTheStore = 0, killedWithTheStore = 0
        for delay in delays.map({ max(0, $0) }) {
            let store = folder.path("k.sqlite")
            let process = try Self.start(["sweep", sweep, "--store", store, "--threads", "1", "--batch", "1"])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal {
                if FileManager.default.fileExists(atPath: store) { killedWithTheStore += 1 } else { killedBeforeTheStore += 1 }
            }
            let rerun = try CLIHarness.run(["sweep", sweep, "--store", store, "--threads", "2"])
            #expect(rerun.status == 0, "killed after \(delay) s: \(rerun.stderr)")
            let resumed = try SweepStore.read(path: store)
            #expect(try resumed.records() == records, "killed after \(delay) s")
            #expect(try resumed.summaries() == summaries, "killed after \(delay) s")
            try resumed.close()
            #expect(folder.contents == ["k.sqlite", "sweep.yaml"], "killed after \(delay) s: debris")
            try FileManager.default.removeItem(atPath: store)
        }
        #expect(killedBeforeTheStore >= 1 && killedWithTheStore >= 1,
                "kills before (\(killedBeforeTheStore)) and after (\(killedWithTheStore)) the store appeared")
    }

    /// `--outcomes-only`, committing after every batch (`--commit-seconds 0`), killed at moments
    /// spread over its life and rerun: the same records and summaries as an uninterrupted
    /// outcomes-only run, summaries equal to those of the store with series, and nothing left over.
    @Test func anOutcomesOnlySweepKilledAtAnyMomentResumesExactly() throws {
        let folder = try Self.sweepFolder()
        let sweep = folder.path("sweep.yaml")
        let withSeries = folder.path("series.sqlite"), reference = folder.path("reference.sqlite")
        #expect(try CLIHarness.run(["sweep", sweep, "--store", withSeries]).status == 0)
        let started = Date()
        let uninterrupted = try CLIHarness.run(["sweep", sweep, "--store", reference, "--outcomes-only", "--threads", "1",
                                                "--batch", "1", "--commit-seconds", "0"])
        let total = Date().timeIntervalSince(started)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        #expect(uninterrupted.stdout.contains("bytes per experiment (8 experiments, outcomes only)"), "\(uninterrupted.stdout)")
        let expected = try SweepStore.read(path: reference), series = try SweepStore.read(path: withSeries)
        let records = try expected.records(), summaries = try expected.summaries()
        #expect(records.count == 8 && records.allSatisfy(\.series.isEmpty))
        #expect(try summaries == series.summaries())
        #expect(try records == series.records().map { var r = $0; r.series = []; return r })
        try expected.close()
        try series.close()
        for name in ["reference.sqlite", "series.sqlite"] { try FileManager.default.removeItem(atPath: folder.path(name)) }

        var killedMidway = 0
        for delay in [0.1, 0.3, 0.5, 0.7, 0.85, 0.95].map({ $0 * total }) {
            let store = folder.path("k.sqlite")
            let process = try Self.start(["sweep", sweep, "--store", store, "--outcomes-only", "--threads", "1", "--batch", "1",
                                          "--commit-seconds", "0"])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal, let partial = try? SweepStore.read(path: store),
               let done = try? partial.completed(), !done.isEmpty, done.count < 8 {
                killedMidway += 1
            }
            let rerun = try CLIHarness.run(["sweep", sweep, "--store", store, "--outcomes-only", "--threads", "2"])
            #expect(rerun.status == 0, "killed after \(delay) s: \(rerun.stderr)")
            let resumed = try SweepStore.read(path: store)
            #expect(try resumed.records() == records, "killed after \(delay) s")
            #expect(try resumed.summaries() == summaries, "killed after \(delay) s")
            try resumed.close()
            #expect(folder.contents == ["k.sqlite", "sweep.yaml"], "killed after \(delay) s: debris")
            try FileManager.default.removeItem(atPath: store)
        }
        #expect(killedMidway >= 1, "no kill landed between two commits")
        // The mode is part of the store: the other mode does not resume it.
        let store = folder.path("o.sqlite")
        #expect(try CLIHarness.run(["sweep", sweep, "--store", store, "--outcomes-only"]).status == 0)
        let other = try CLIHarness.run(["sweep", sweep, "--store", store])
        #expect(other.status == 1 && other.stderr.contains("was written with --outcomes-only"), "\(other.stderr)")
        let misuse = try CLIHarness.run(["sweep", sweep, "--store", folder.path("x.sqlite"), "--commit-seconds", "5"])
        #expect(misuse.status == 64 && misuse.stderr.contains("--commit-seconds applies only with --outcomes-only"), "\(misuse.stderr)")
    }

    /// A second sweep on a store being written is refused at once, the first finishes untouched,
    /// and no lock file is left.
    @Test func aSecondSweepOnTheSameStoreIsRefusedAtTheStart() throws {
        // 32 experiments one at a time: the first is still running when the second starts.
        let folder = try Self.sweepFolder(samples: 16)
        let sweep = folder.path("sweep.yaml"), store = folder.path("s.sqlite")
        let first = try Self.start(["sweep", sweep, "--store", store, "--threads", "1", "--batch", "1"])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: store) && first.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let second = try CLIHarness.run(["sweep", sweep, "--store", store])
        let stillRunning = first.isRunning
        first.waitUntilExit()
        #expect(stillRunning, "the first sweep ended before the second started: lengthen it")
        #expect(second.status == 1)
        #expect(second.stderr.contains("error: \(store): another capsim sweep (process \(first.processIdentifier)) is writing this store"),
                "\(second.stderr)")
        #expect(first.terminationStatus == 0)
        #expect(try SweepStore.read(path: store).completed() == Array(0..<32))
        #expect(folder.contents == ["s.sqlite", "sweep.yaml"])
    }

    /// A `sqlite3` shell in a write transaction at the start: the sweep waits for it and goes on
    /// once the shell lets go (the timeout and its message are tested in SweepStoreTests).
    @Test func aSweepWaitsForAProgramHoldingTheStore() throws {
        let folder = try Self.sweepFolder()
        let sweep = folder.path("sweep.yaml"), store = folder.path("s.sqlite")
        #expect(try CLIHarness.run(["sweep", sweep, "--store", store, "--shard", "1/2"]).status == 0)
        let shell = Process()
        let found = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        shell.executableURL = URL(fileURLWithPath: try #require(found, "the sqlite3 shell (scripts/setup installs it)"))
        shell.arguments = [store]
        let input = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        let marker = folder.path("held")
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nINSERT INTO sweep VALUES ('x', 'y');\n.output \(marker)\nSELECT 'ready';\n.output stdout\n".utf8))
        while (try? String(contentsOfFile: marker, encoding: .utf8))?.contains("ready") != true && shell.isRunning {
            Thread.sleep(forTimeInterval: 0.01)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
            input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
            try? input.fileHandleForWriting.close()
        }
        let resumed = try CLIHarness.run(["sweep", sweep, "--store", store, "--shard", "1/2"])
        shell.waitUntilExit()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("already stored 4, to run 0"))
    }

    /// The store written from inside the sweep's folder is resumed from outside it, and after the
    /// folder moved: a sweep is identified by what it reads, not by how its path was written.
    @Test func resumeDoesNotDependOnHowThePathIsWritten() throws {
        let folder = try Folder()
        let q = folder.url.appendingPathComponent("q")
        try FileManager.default.createDirectory(at: q.appendingPathComponent("sweeps"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016"),
                                         to: q.appendingPathComponent("jilin"))
        try Data(Self.sweepText(scenario: "../jilin/scenario.yaml").utf8).write(to: q.appendingPathComponent("sweeps/mc.yaml"))
        let inside = try CLIHarness.run(["sweep", "sweeps/mc.yaml", "--store", "s.sqlite", "--shard", "1/2"], in: q)
        #expect(inside.status == 0, "\(inside.stderr)")
        let outside = try CLIHarness.run(["sweep", "q/sweeps/mc.yaml", "--store", "q/s.sqlite", "--shard", "1/2"], in: folder.url)
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(outside.stdout.contains("already stored 4, to run 0"), "\(outside.stdout)")
        // Through a symbolic link to the folder.
        try FileManager.default.createSymbolicLink(atPath: folder.path("link"), withDestinationPath: q.path)
        let linked = try CLIHarness.run(["sweep", "link/sweeps/mc.yaml", "--store", "link/s.sqlite", "--shard", "1/2"], in: folder.url)
        #expect(linked.stdout.contains("already stored 4, to run 0"), "\(linked.stdout) \(linked.stderr)")
        try FileManager.default.removeItem(atPath: folder.path("link"))
        let moved = folder.url.appendingPathComponent("r")
        try FileManager.default.moveItem(at: q, to: moved)
        let after = try CLIHarness.run(["sweep", moved.appendingPathComponent("sweeps/mc.yaml").path, "--store",
                                        moved.appendingPathComponent("s.sqlite").path, "--shard", "1/2"])
        #expect(after.stdout.contains("already stored 4, to run 0"), "\(after.stdout) \(after.stderr)")
        // Content still counts: an edited table is another sweep.
        let scenario = moved.appendingPathComponent("jilin/scenario.yaml")
        try (try String(contentsOf: scenario, encoding: .utf8) + "\n# edited\n").write(to: scenario, atomically: true, encoding: .utf8)
        let edited = try CLIHarness.run(["sweep", "sweeps/mc.yaml", "--store", "s.sqlite", "--shard", "1/2"], in: moved)
        #expect(edited.status == 1 && edited.stderr.contains("holds the results of a different sweep"), "\(edited.stderr)")
    }

    /// Damaged stores make `analyze` and `chart --fan` fail with the store's name, never crash.
    @Test(arguments: [
        ("UPDATE summaries SET p50 = 'x' WHERE year = 2016", "summaries: row with policy 'plan': p50 holds text 'x'"),
        ("UPDATE outcomes SET coal_closed = 'many' WHERE experiment = 1", "outcomes: row with experiment 1: coal_closed holds text"),
        ("DROP TABLE series", "has no 'series' table"),
        ("UPDATE series SET \"values\" = substr(\"values\", 1, 100) WHERE experiment = 3", "series: experiment 3: values blob has 100 bytes"),
    ])
    func analyzeAndChartRefuseADamagedStore(_ damage: String, _ message: String) throws {
        let folder = try Self.sweepFolder()
        let store = folder.path("s.sqlite")
        #expect(try CLIHarness.run(["sweep", folder.path("sweep.yaml"), "--store", store]).status == 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [store, damage]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 could not apply \(damage)")
        for arguments in [["analyze", "quantiles", store, "--metric", "capacity"],
                          ["analyze", "morris", store, "--outcome", "coal_closed"],
                          ["chart", "--fan", store, "--metric", "capacity", "--out", folder.path("charts")]] {
            let r = try CLIHarness.run(arguments)
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("error: \(store): ") && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("charts")))
    }

    /// A store on a read-only mount is read, and nothing is created next to it. The mount is made
    /// in a private mount namespace (`unshare -m`, root only); where that is not possible the
    /// read-only modes are tested directly in SweepStoreTests.
    @Test func aStoreOnAReadOnlyMountIsRead() throws {
        let folder = try Self.sweepFolder()
        let data = folder.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let store = data.appendingPathComponent("s.sqlite").path
        #expect(try CLIHarness.run(["sweep", folder.path("sweep.yaml"), "--store", store]).status == 0)
        let writable = try CLIHarness.run(["analyze", "quantiles", store, "--metric", "capacity", "--sector", "coal"])
        #expect(writable.status == 0, "\(writable.stderr)")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["-m", "sh", "-c", "mount --bind -o ro '\(data.path)' '\(data.path)' && touch '\(data.path)/w' 2>/dev/null; test ! -e '\(data.path)/w'"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { return }  // no mount namespaces here
        let command = "mount --bind -o ro '\(data.path)' '\(data.path)' && exec '\(CLIHarness.binary.path)' analyze quantiles '\(store)' --metric capacity --sector coal"
        let r = try Self.runProgram("/usr/bin/unshare", ["-m", "sh", "-c", command])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == writable.stdout)
        #expect((try FileManager.default.contentsOfDirectory(atPath: data.path)) == ["s.sqlite"])
    }

    /// Every option out of its range is a usage error (status 64) naming the option; none traps.
    @Test func optionsOutOfRangeAreUsageErrors() throws {
        let folder = try Self.sweepFolder()
        let sweep = folder.path("sweep.yaml"), store = folder.path("s.sqlite")
        #expect(try CLIHarness.run(["sweep", sweep, "--store", store]).status == 0)
        let cases: [([String], String)] = [
            (["analyze", "sobol", store, "--outcome", "coal_closed", "--resamples", "0"], "--resamples must be 100-100000; got 0"),
            (["analyze", "sobol", store, "--outcome", "coal_closed", "--resamples=-3"], "--resamples must be"),
            (["analyze", "sobol", store, "--outcome", "coal_closed", "--resamples", "100000000"], "--resamples must be 100-100000"),
            (["analyze", "quantiles", store, "--out", ""], "--out needs a file name"),
            (["analyze", "quantiles", store, "--out", folder.url.path], "is a folder"),
            (["analyze", "morris", store, "--outcome", "coal_closed", "--out", "x/"], "names a folder"),
            (["analyze", "morris", store, "--metric", "capacity"], "give --outcome NAME, or --metric NAME --year YEAR"),
            (["sweep", sweep, "--store", store, "--threads", "0"], "--threads must be 1-1024; got 0"),
            (["sweep", sweep, "--store", store, "--threads", "100000"], "--threads must be 1-1024"),
            (["sweep", sweep, "--store", store, "--batch", "0"], "--batch must be 1-100000; got 0"),
            (["sweep", sweep, "--store", store, "--batch", "100001"], "--batch must be 1-100000"),
            (["sweep", sweep, "--store", store, "--shard", "0/2"], "--shard must be K/N"),
            (["sweep", sweep, "--store", store, "--shard", "3/2"], "--shard must be K/N"),
            (["sweep", sweep, "--store", store, "--shard", "1//2"], "--shard must be K/N"),
            (["sweep", sweep, "--store", store, "--shard", "1/9223372036854775807"], "--shard must be K/N"),
            (["sweep", sweep, "--store", ""], "--store needs a file name"),
            (["merge", store, store], "is also given as a shard"),
            (["merge", folder.path("all.sqlite"), store, store], "given twice"),
        ]
        for (arguments, message) in cases {
            let r = try CLIHarness.run(arguments)
            #expect(r.status == 64 && r.stderr.contains(message), "\(arguments): \(r.status) \(r.stderr)")
        }
        // A batch too large for this machine's memory is refused before any work.
        let huge = try CLIHarness.run(["sweep", sweep, "--store", folder.path("h.sqlite"), "--batch", "100000"])
        // A Jilin experiment is estimated at about 800 KiB: 100,000 need some 78 GiB.
        if ProcessInfo.processInfo.physicalMemory / 2 < 100_000 * (700 << 10) {
            #expect(huge.status == 64 && huge.stderr.contains("--batch 100000 needs about"), "\(huge.stderr)")
        }
        #expect(folder.contents == ["s.sqlite", "sweep.yaml"], "no store is created by a refused command")
    }

    /// `--out` with a one-character file name (Foundation's path splitting traps on those) writes
    /// the file in the working folder.
    @Test func aOneCharacterOutputNameIsWritten() throws {
        let folder = try Self.sweepFolder()
        let store = folder.path("s.sqlite")
        #expect(try CLIHarness.run(["sweep", folder.path("sweep.yaml"), "--store", store]).status == 0)
        let r = try CLIHarness.run(["analyze", "quantiles", store, "--metric", "capacity", "--out", "x"], in: folder.url)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: folder.path("x"), encoding: .utf8)
        #expect(text.hasPrefix("policy,metric,sector,year,unit,n,mean,p05,p25,p50,p75,p95\nplan,capacity,coal,2015,"))
    }

    /// A metric that is zero in every draw and year (Jilin's coal has no bank losses) is drawn.
    @Test func aFanChartOfAMetricZeroThroughoutIsDrawn() throws {
        let folder = try Self.sweepFolder()
        let store = folder.path("s.sqlite")
        #expect(try CLIHarness.run(["sweep", folder.path("sweep.yaml"), "--store", store]).status == 0)
        let q = try CLIHarness.run(["analyze", "quantiles", store, "--metric", "bank_losses", "--sector", "iron"])
        #expect(q.status == 0 && q.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",0,0,0,0,0,0") }, "\(q.stdout)")
        let r = try CLIHarness.run(["chart", "--fan", store, "--metric", "bank_losses", "--sector", "iron", "--out", folder.path("charts")])
        #expect(r.status == 0, "\(r.stderr)")
        // A PNG (signature, then an IHDR of a real size); checked here rather than through the
        // shared image checks, which live in another test target on other branches.
        let png = try Data(contentsOf: folder.url.appendingPathComponent("charts/fan-bank_losses-iron.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 1000)
        let width = png.dropFirst(16).prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(width >= 400, "PNG width \(width)")
    }
}
