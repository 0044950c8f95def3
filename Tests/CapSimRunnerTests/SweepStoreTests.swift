@testable import CapSimRunner
@testable import CapSimStore
import Foundation
import GRDB
import Testing

/// The store's file handling: creation that a kill cannot strand, one writer at a time, waiting
/// for a program holding it, refusing damaged stores, and reading without writing.
@Suite struct SweepStoreTests {
    /// A folder removed when the test ends.
    final class Folder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    /// Two series over three years, one parameter, one outcome, four experiments of two policies.
    static let layout = StoreLayout(
        fingerprint: "f00d", experimentCount: 4, parameterNames: ["threshold"], outcomeNames: ["coal_closed"],
        seriesColumns: [.init(metric: "capacity", sector: "coal", unit: "10kt/yr"),
                        .init(metric: "bank_losses", sector: "coal", unit: "yuan")],
        years: [2015, 2016, 2017], info: ["design": "monte_carlo", "design_points": "2"])

    static func record(_ e: Int) -> ExperimentRecord {
        ExperimentRecord(experiment: e, policy: e < 2 ? "plan" : "welfare", point: e % 2, parameters: [20 + Double(e)],
                         outcomes: [Double(e) * 1.5], series: (0..<6).map { Double(e * 10 + $0) })
    }

    /// A finished store of `layout` at `path`.
    @discardableResult
    static func makeStore(_ path: String) throws -> [ExperimentRecord] {
        let store = try SweepStore.open(path: path, layout: layout, shard: "1/1")
        let records = (0..<4).map(record)
        try store.append(records)
        try store.refreshSummaries()
        try store.close()
        return records
    }

    /// Runs SQL on the file with a plain connection (a program other than capsim editing it).
    static func edit(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    // MARK: - creation

    @Test func aNewStoreAppearsOnlyWhole() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        let records = try Self.makeStore(path)
        #expect(folder.contents == ["s.sqlite"], "no temporary, -wal or -shm file is left")
        #expect(try SweepStore.read(path: path).records() == records)
        #expect(folder.contents == ["s.sqlite"], "a reader leaves nothing behind")
    }

    /// What a kill while creating can leave, with today's code and older versions', is taken as a
    /// fresh store or removed.
    @Test(arguments: ["empty file", "database without tables", "killed temporary file"])
    func whatAKilledCreationLeavesDoesNotStrandTheStore(_ leftover: String) throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        switch leftover {
        case "empty file":
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        case "database without tables":
            // An older capsim killed after SQLite made the file and before the tables were committed.
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA page_size = 65536")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try queue.close()
        default:
            // This version killed while building its temporary store: half a SQLite file, no lock held.
            let temp = folder.path(".s.sqlite.creating-99999-7")
            try Self.makeStore(folder.path("other.sqlite"))
            let whole = try Data(contentsOf: URL(fileURLWithPath: folder.path("other.sqlite")))
            try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: temp))
            try FileManager.default.removeItem(atPath: folder.path("other.sqlite"))
        }
        if leftover != "killed temporary file" {
            let error = #expect(throws: StoreError.self) { try SweepStore.read(path: path) }
            #expect(error?.description.contains("\(path): is not a capsim sweep store (it has no tables") == true)
        }
        let records = try Self.makeStore(path)
        #expect(try SweepStore.read(path: path).records() == records)
        #expect(folder.contents == ["s.sqlite"])
    }

    /// A kill between linking a new store into place and removing its temporary name leaves a
    /// second name of the store: the next open removes the name and keeps the store.
    @Test func aSecondNameOfTheStoreLeftByAKillIsRemoved() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        let records = try Self.makeStore(path)
        #expect(link(path, folder.path(".s.sqlite.creating-4242-1")) == 0)
        let store = try SweepStore.open(path: path, layout: Self.layout, shard: "1/1")
        #expect(try store.records() == records)
        try store.close()
        #expect(folder.contents == ["s.sqlite"])
    }

    @Test func aTemporaryStoreOfARunningCreationIsLeftAlone() throws {
        let folder = try Folder()
        let temp = folder.path(".s.sqlite.creating-1-2")
        let fd = open(temp, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        try Self.makeStore(folder.path("s.sqlite"))
        #expect(folder.contents == [".s.sqlite.creating-1-2", "s.sqlite"])
        close(fd)
    }

    // MARK: - one writer

    @Test func oneWriterAtATime() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        let first = try SweepStore.open(path: path, layout: Self.layout, shard: "1/1")
        let error = #expect(throws: StoreError.self) { try SweepStore.open(path: path, layout: Self.layout, shard: "1/1") }
        #expect(error?.description.hasPrefix("\(path): another capsim sweep") == true)
        #expect(error?.description.contains("is writing this store") == true)
        // Readers are not writers: they read while the sweep runs.
        try first.append([Self.record(0)])
        #expect(try SweepStore.read(path: path).completed() == [0])
        try first.close()
        let second = try SweepStore.open(path: path, layout: Self.layout, shard: "1/1")
        #expect(try second.completed() == [0])
        try second.close()
        #expect(folder.contents == ["s.sqlite"], "no lock file")
    }

    /// A `sqlite3` shell holding a write transaction: the start waits the busy timeout, then names
    /// the store and the program; a shell that lets go within the timeout is waited for.
    @Test func anotherProgramHoldingTheStoreIsWaitedForThenNamed() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        try Self.makeStore(path)
        let shell = try Self.sqliteShell(path)
        try shell.hold(marker: folder.path("held"))
        let start = Date()
        let error = #expect(throws: StoreError.self) {
            try SweepStore.open(path: path, layout: Self.layout, shard: "1/1", busyTimeout: 0.5)
        }
        #expect(Date().timeIntervalSince(start) >= 0.5)
        let text = error?.description ?? ""
        #expect(text.hasPrefix("\(path): is held by another program (process \(shell.process.processIdentifier), sqlite3)"), "\(text)")
        #expect(text.contains("waited 0.5 s"))
        // Released 0.3 s into a 10 s wait: the open goes ahead.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { shell.send("ROLLBACK;\n") }
        let store = try SweepStore.open(path: path, layout: Self.layout, shard: "1/1", busyTimeout: 10)
        #expect(try store.completed() == [0, 1, 2, 3])
        try store.close()
        shell.finish()
    }

    final class Shell: @unchecked Sendable {
        let process = Process()
        let input = Pipe(), output = Pipe()
        func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }
        /// Opens a write transaction and waits until the shell has it (the shell's standard output
        /// is a buffered pipe, so it says so through a file).
        func hold(marker: String) throws {
            send("BEGIN IMMEDIATE;\nINSERT INTO sweep VALUES ('held', '1');\n.output \(marker)\nSELECT 'ready';\n.output stdout\n")
            let deadline = Date().addingTimeInterval(20)
            while (try? String(contentsOfFile: marker, encoding: .utf8))?.contains("ready") != true {
                guard process.isRunning, Date() < deadline else { throw StoreError(path: marker, message: "the sqlite3 shell did not start") }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        func finish() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func sqliteShell(_ path: String) throws -> Shell {
        let shell = Shell()
        let found = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        shell.process.executableURL = URL(fileURLWithPath: try #require(found, "the sqlite3 shell (scripts/setup installs it)"))
        shell.process.arguments = [path]
        shell.process.standardInput = shell.input
        shell.process.standardOutput = shell.output
        shell.process.standardError = FileHandle.nullDevice
        try shell.process.run()
        return shell
    }

    // MARK: - damaged stores

    /// Each kind of damage is refused by readers, by a resuming writer and by merge, with the
    /// store's name and what is wrong.
    @Test(arguments: [
        ("DROP TABLE series", "has no 'series' table"),
        ("DROP TABLE summaries", "has no 'summaries' table"),
        ("DROP TABLE parameters", "has no 'parameters' table"),
        ("DROP TABLE sweep", "is not a capsim sweep store (no 'sweep' table)"),
        ("ALTER TABLE outcomes DROP COLUMN coal_closed", "outcomes: no column 'coal_closed'"),
        ("UPDATE series SET \"values\" = substr(\"values\", 1, 20) WHERE experiment = 2",
         "series: experiment 2: values blob has 20 bytes, not 48"),
        ("UPDATE experiments SET threshold = 'abc' WHERE experiment = 1",
         "experiments: row with experiment 1: threshold holds text 'abc', not a number"),
        ("UPDATE outcomes SET coal_closed = 'lots' WHERE experiment = 3",
         "outcomes: row with experiment 3: coal_closed holds text 'lots', not a number"),
        ("UPDATE summaries SET p50 = 'x' WHERE year = 2016", "summaries: row with policy 'plan': p50 holds text 'x'"),
        ("UPDATE series SET \"values\" = 'text' WHERE experiment = 0", "series: row with experiment 0: values holds text"),
        ("UPDATE summaries SET mean = 9e999 WHERE year = 2017", "summaries: row with policy 'plan': mean is infinite"),
        ("DELETE FROM series WHERE experiment = 1", "experiments: experiment 1 has no matching row in series"),
        ("DELETE FROM sweep WHERE key = 'years'", "sweep: no 'years' entry"),
        ("UPDATE sweep SET value = 'many' WHERE key = 'experiment_count'", "sweep: experiment_count: 'many'"),
        ("UPDATE experiments SET experiment = 9 WHERE experiment = 3", "experiments: experiment 9 is outside 0..<4"),
    ])
    func damagedStoresAreRefusedWithTheirNameAndWhatIsWrong(_ damage: String, _ message: String) throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        try Self.makeStore(path)
        try Self.edit(path, damage)
        let read = #expect(throws: StoreError.self) { try SweepStore.read(path: path) }
        #expect(read?.description.hasPrefix("\(path): ") == true)
        #expect(read?.description.contains(message) == true, "\(read?.description ?? "")")
        let resume = #expect(throws: StoreError.self) { try SweepStore.open(path: path, layout: Self.layout, shard: "1/1") }
        #expect(resume?.description.contains(message) == true, "\(resume?.description ?? "")")
        let merged = folder.path("all.sqlite")
        let merge = #expect(throws: StoreError.self) { try SweepStore.merge([path], into: merged) }
        #expect(merge?.description.contains(message) == true, "\(merge?.description ?? "")")
        #expect(!FileManager.default.fileExists(atPath: merged))
    }

    @Test func aTruncatedOrForeignFileIsRefused() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        try Self.makeStore(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let cut = #expect(throws: StoreError.self) { try SweepStore.read(path: path) }
        #expect(cut?.description.hasPrefix("\(path): is damaged") == true, "\(cut?.description ?? "")")
        try Data("policy,metric\n".utf8).write(to: URL(fileURLWithPath: path))
        let csv = #expect(throws: StoreError.self) { try SweepStore.read(path: path) }
        #expect(csv?.description.contains("not a SQLite database") == true, "\(csv?.description ?? "")")
        let dir = #expect(throws: StoreError.self) { try SweepStore.read(path: folder.url.path) }
        #expect(dir?.description.contains("is not a regular file") == true)
    }

    // MARK: - reading without writing

    /// Every read mode gives the same records and summaries; none writes to the store, and the
    /// modes for read-only files (immutable, read-only) create no file.
    @Test(arguments: [SweepStore.ReadMode.queryOnly, .readOnly, .immutable])
    func everyReadModeReadsTheSameAndWritesNothing(_ mode: SweepStore.ReadMode) throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        let records = try Self.makeStore(path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try SweepStore.read(path: path, busyTimeout: 1, mode: mode)
        #expect(try store.records() == records)
        #expect(try store.summaries().count == 2 * 2 * 3)
        #expect(throws: StoreError.self) { try store.append([Self.record(0)]) }
        try store.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        if mode != .readOnly { #expect(folder.contents == ["s.sqlite"]) }
    }

    @Test func theReadModeFollowsWhetherTheFolderIsWritable() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        try Self.makeStore(path)
        #expect(SweepStore.readMode(path) == .queryOnly)
        // As root (CI) chmod does not stop writing, and the mode rightly stays; a read-only mount
        // is tested through the binary in SweepStoreCommandTests.
        guard getuid() != 0 else { return }
        chmod(folder.url.path, 0o555)
        defer { chmod(folder.url.path, 0o755) }
        #expect(SweepStore.readMode(path) == .immutable)
        #expect(try SweepStore.read(path: path).completed() == [0, 1, 2, 3])
    }

    // MARK: - identity

    @Test func pathsInTheFingerprintAreRelativeToTheSweepFile() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(SweepRunner.relative("q/sweeps/../jilin/scenario.yaml", from: "q/sweeps/mc.yaml") == "../jilin/scenario.yaml")
        #expect(SweepRunner.relative(cwd + "/q/jilin/scenario.yaml", from: "q/sweeps/mc.yaml") == "../jilin/scenario.yaml")
        #expect(SweepRunner.relative("./q/sweeps/data/f.csv", from: cwd + "/q/sweeps/mc.yaml") == "data/f.csv")
        #expect(SweepRunner.relative("/a/b.yaml", from: "/c/d/e.yaml") == "../../a/b.yaml")
    }
}
