import CapSimPaths
import CapSimSweep
import Foundation
import GRDB

/// The shape of a sweep's results, fixed when its store is created: a store only accepts
/// experiments of the sweep it was made for.
public struct StoreLayout: Sendable, Equatable {
    /// Identifies the sweep: a hash of the sweep file and of every scenario file and table it reads.
    public var fingerprint: String
    /// Experiments in the whole sweep (all shards).
    public var experimentCount: Int
    /// Parameter names, the columns of `experiments` after `experiment, policy, point`.
    public var parameterNames: [String]
    /// Outcome names, the columns of `outcomes` after `experiment, policy`.
    public var outcomeNames: [String]
    /// The yearly series stored per experiment, in blob order.
    public var seriesColumns: [SeriesInfo]
    /// The series' years, base year first.
    public var years: [Int]
    /// Descriptive facts shown to a planner (design, seed, files); part of the comparison.
    public var info: [String: String]
    /// True when the store keeps only parameters and outcomes per experiment, no series; the
    /// per-year summaries are then accumulated as experiments are stored (docs/SWEEP.md).
    public var outcomesOnly: Bool

    /// Creates a layout.
    public init(fingerprint: String, experimentCount: Int, parameterNames: [String], outcomeNames: [String],
                seriesColumns: [SeriesInfo], years: [Int], info: [String: String], outcomesOnly: Bool = false) {
        self.outcomesOnly = outcomesOnly
        self.fingerprint = fingerprint
        self.experimentCount = experimentCount
        self.parameterNames = parameterNames
        self.outcomeNames = outcomeNames
        self.seriesColumns = seriesColumns
        self.years = years
        self.info = info
    }

    /// One series: a metric of one sector.
    public struct SeriesInfo: Sendable, Hashable {
        /// Metric name as in `projections.csv`.
        public var metric: String
        /// Sector name.
        public var sector: String
        /// Unit.
        public var unit: String

        /// Creates a series description.
        public init(metric: String, sector: String, unit: String) {
            self.metric = metric
            self.sector = sector
            self.unit = unit
        }
    }
}

/// What one experiment produced.
public struct ExperimentRecord: Sendable, Equatable {
    /// Index in the whole sweep, `0..<experimentCount`.
    public var experiment: Int
    /// The policy variant's name.
    public var policy: String
    /// Index of the design point (the same point is run under every policy).
    public var point: Int
    /// Parameter values, in layout order.
    public var parameters: [Double]
    /// Outcome values, in layout order.
    public var outcomes: [Double]
    /// Series values, `[column × years + yearIndex]`; empty when read from an outcomes-only store.
    public var series: [Double]

    /// Creates a record.
    public init(experiment: Int, policy: String, point: Int, parameters: [Double], outcomes: [Double], series: [Double]) {
        self.experiment = experiment
        self.policy = policy
        self.point = point
        self.parameters = parameters
        self.outcomes = outcomes
        self.series = series
    }
}

/// A problem with a store file, naming it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The store's path.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A sweep's results in one SQLite file, readable with any SQLite tool (docs/SWEEP.md lists the
/// tables). Experiments are added in transactions, so a killed run leaves only whole batches, and
/// running again adds exactly the missing ones.
public final class SweepStore: @unchecked Sendable {
    // A DatabaseQueue serialises every access, so the class may cross threads.

    /// The file.
    public let path: String
    /// What the store holds.
    public let layout: StoreLayout
    /// The part of the sweep this store is for, `K/N`; `1/1` for a whole sweep or a merge.
    public let shard: String
    private let queue: DatabaseQueue
    /// The writer's lock on the file; nil for a reader.
    private let lock: WriterLock?
    private var closed = false

    /// Seconds a lock another program holds is waited for.
    private let busyTimeout: Double

    /// Outcomes-only stores: the per-year summaries' state of every stored experiment (committed
    /// and pending), the records not yet committed, and when the last commit was.
    private var accumulator: SummaryAccumulator
    private var pending: [ExperimentRecord] = []
    private var lastCommit = Date()
    /// Outcomes-only stores: seconds of work between commits (0: commit at every `append`).
    public var commitInterval: Double = SweepStore.defaultCommitInterval
    /// Set when a commit failed after the accumulator took its records: the store takes no more.
    private var broken: StoreError?

    /// Outcomes-only stores commit at least this often, in seconds of work (a kill loses at most
    /// that much, which the next run redoes), and at `close()` and `refreshSummaries()`.
    public static let defaultCommitInterval = 10.0
    /// Outcomes-only stores commit at least every this many experiments, so pending records stay small.
    public static let maxPendingExperiments = 100_000

    private init(path: String, layout: StoreLayout, shard: String, queue: DatabaseQueue, lock: WriterLock?, busyTimeout: Double) {
        self.accumulator = SummaryAccumulator(width: layout.seriesColumns.count * layout.years.count)
        self.busyTimeout = busyTimeout
        self.path = path
        self.layout = layout
        self.shard = shard
        self.queue = queue
        self.lock = lock
    }

    deinit {
        // SQLite's connection first, then the lock's descriptor (see `WriterLock`).
        if !closed { try? queue.close() }
        lock?.release()
    }

    /// How long a store held by another program (a `sqlite3` shell in a transaction) is waited
    /// for before giving up, in seconds.
    public static let defaultBusyTimeout = 10.0

    /// Opens the store at `path` for the sweep `layout`, creating it if there is none, and holds
    /// it for this process alone until `close()` (or the process ends).
    ///
    /// A new store is built under a hidden temporary name and linked into place only once its
    /// tables and metadata are committed, so a store at `path` is always whole; a killed
    /// creation leaves only the temporary file, which the next `open` removes. An empty file, or a
    /// SQLite file without any table (what an older capsim killed while creating left), is taken
    /// as a fresh store.
    ///
    /// - Throws: `StoreError` when the file exists but holds another sweep or another shard, is
    ///   damaged, another `capsim sweep` is writing it, another program keeps it locked for more
    ///   than `busyTimeout` seconds, or it cannot be opened.
    public static func open(path: String, layout: StoreLayout, shard: String,
                            busyTimeout: Double = defaultBusyTimeout) throws(StoreError) -> SweepStore {
        StoreFile.removeStaleCreations(path)
        for _ in 0..<5 {
            if let store = try openForWriting(path: path, layout: layout, shard: shard, busyTimeout: busyTimeout) {
                return store
            }
        }
        throw StoreError(path: path, message: "was replaced by another program while being opened; run again")
    }

    /// One attempt of `open`; nil when the file at `path` changed under it (created or replaced
    /// by another process between two steps), to try again.
    private static func openForWriting(path: String, layout: StoreLayout, shard: String,
                                       busyTimeout: Double) throws(StoreError) -> SweepStore? {
        var st = stat()
        if stat(path, &st) != 0 {
            guard errno == ENOENT else {
                throw StoreError(path: path, message: "cannot be opened: \(String(cString: strerror(errno)))")
            }
            return try createNew(path: path, layout: layout, shard: shard, busyTimeout: busyTimeout)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StoreError(path: path, message: "is not a regular file") }
        guard let lock = try WriterLock.acquire(path) else {
            let who = StoreFile.holders(of: path).map { "process \($0.pid)" }
            throw StoreError(path: path, message: "another capsim sweep"
                             + (who.isEmpty ? "" : " (" + who.joined(separator: ", ") + ")")
                             + " is writing this store; one sweep at a time writes a store: wait for it to finish, "
                             + "or write to another store")
        }
        guard lock.isOn(path) else {
            lock.release()
            return nil
        }
        do throws(StoreError) {
            let queue = try connect(path, busyTimeout: busyTimeout)
            do throws(StoreError) {
                try probeWriteLock(queue, path: path, busyTimeout: busyTimeout)
                if try isUninitialised(queue, path: path, busyTimeout: busyTimeout) {
                    try initialise(queue, path: path, layout: layout, shard: shard, busyTimeout: busyTimeout)
                    return SweepStore(path: path, layout: layout, shard: shard, queue: queue, lock: lock, busyTimeout: busyTimeout)
                }
                let store = try openExisting(path: path, queue: queue, lock: lock, busyTimeout: busyTimeout)
                var otherMode = store.layout
                otherMode.outcomesOnly = layout.outcomesOnly
                if store.layout.outcomesOnly != layout.outcomesOnly && otherMode == layout {
                    throw StoreError(path: path, message: store.layout.outcomesOnly
                                     ? "was written with --outcomes-only (no per-experiment series); resume it with --outcomes-only, or write to another store"
                                     : "keeps per-experiment series; resume it without --outcomes-only, or write to another store")
                }
                guard store.layout == layout else {
                    throw StoreError(path: path, message: "holds the results of a different sweep (the sweep file or the scenario "
                                     + "changed since it was written); delete it, or write to another store")
                }
                guard store.shard == shard else {
                    throw StoreError(path: path, message: "holds shard \(store.shard) of this sweep, not \(shard)")
                }
                try store.loadAccumulator()
                return store
            } catch {
                try? queue.close()
                throw error
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// Builds a store under a temporary name, locked from the start, and links it to `path`; nil
    /// when another process put a store at `path` meanwhile.
    private static func createNew(path: String, layout: StoreLayout, shard: String,
                                  busyTimeout: Double) throws(StoreError) -> SweepStore? {
        let temp = StoreFile.creatingName(path)
        let lock = try WriterLock.create(temp, for: path)
        func discard() {
            for suffix in ["-wal", "-shm", ""] { unlink(temp + suffix) }
            lock.release()
        }
        do throws(StoreError) {
            let building = try connect(temp, busyTimeout: busyTimeout)
            do throws(StoreError) {
                try initialise(building, path: path, layout: layout, shard: shard, busyTimeout: busyTimeout)
                // Checkpointed and closed, so the file alone is the whole store when it is linked.
                try execute(building, path: path, "PRAGMA wal_checkpoint(TRUNCATE)")
                do { try building.close() } catch { throw StoreError(path: path, message: "cannot create the store: \(error)") }
            } catch {
                try? building.close()
                throw error
            }
        } catch {
            discard()
            throw error
        }
        // link, not rename: it never replaces a store another process made in the meantime.
        guard link(temp, path) == 0 else {
            let reason = errno
            discard()
            if reason == EEXIST { return nil }
            throw StoreError(path: path, message: "cannot create the store: \(String(cString: strerror(reason)))")
        }
        for suffix in ["-wal", "-shm", ""] { unlink(temp + suffix) }
        // The lock is on the inode now at `path`.
        do {
            let queue = try connect(path, busyTimeout: busyTimeout)
            return SweepStore(path: path, layout: layout, shard: shard, queue: queue, lock: lock, busyTimeout: busyTimeout)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Opens an existing store to read it, after checking its integrity and shape. Nothing is
    /// written: the connection is read-only at the SQL level, and on a read-only file or folder
    /// (a read-only mount) SQLite opens the file read-only, as `immutable` when there is no
    /// write-ahead log to read.
    ///
    /// - Throws: `StoreError` naming the store and what is wrong: missing, not a store, damaged
    ///   (a table or column missing, a blob of the wrong length, text in a number column, a failed
    ///   `PRAGMA quick_check`), or held by another program for more than `busyTimeout` seconds.
    public static func read(path: String, busyTimeout: Double = defaultBusyTimeout) throws(StoreError) -> SweepStore {
        try read(path: path, busyTimeout: busyTimeout, mode: nil)
    }

    /// `read`, in the given mode (tests: a read-only mount cannot always be made) or the one
    /// `readMode` picks.
    static func read(path: String, busyTimeout: Double, mode: ReadMode?) throws(StoreError) -> SweepStore {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw StoreError(path: path, message: errno == ENOENT ? "no such store" : "cannot be read: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StoreError(path: path, message: "is not a regular file") }
        let queue = try connect(path, busyTimeout: busyTimeout, readMode: mode ?? readMode(path))
        do throws(StoreError) {
            if try isUninitialised(queue, path: path, busyTimeout: busyTimeout) {
                throw StoreError(path: path, message: "is not a capsim sweep store (it has no tables: an empty file, or a "
                                 + "sweep killed before it created the store)")
            }
            let store = try openExisting(path: path, queue: queue, lock: nil, busyTimeout: busyTimeout)
            try store.loadAccumulator()
            return store
        } catch {
            try? queue.close()
            throw error
        }
    }

    /// How a reader opens a store.
    enum ReadMode: Equatable {
        /// Read-write at the file level (so the last connection to close removes the `-wal` and
        /// `-shm` files, leaving nothing behind), `query_only` at the SQL level.
        case queryOnly
        /// `SQLITE_OPEN_READONLY`: a read-only file or folder with a write-ahead log and its
        /// shared-memory file present.
        case readOnly
        /// `immutable=1`: a read-only file or folder without a write-ahead log; SQLite takes no
        /// locks and creates no file.
        case immutable
    }

    /// The way to read the store at `path`.
    static func readMode(_ path: String) -> ReadMode {
        if StoreFile.writable(path) { return .queryOnly }
        var st = stat()
        let hasLog = stat(path + "-wal", &st) == 0 && st.st_size > 0
        return hasLog ? .readOnly : .immutable
    }

    /// A connection with a busy timeout; a writer's sets the page size and the journal.
    static func connect(_ path: String, busyTimeout: Double, readMode: ReadMode? = nil) throws(StoreError) -> DatabaseQueue {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        let target: String
        switch readMode {
        case nil:
            target = path
            config.prepareDatabase { db in
                // Large pages hold an experiment's series blob (about 18 KB) without overflow
                // chains; only takes effect on a new file.
                try db.execute(sql: "PRAGMA page_size = 65536")
                // WAL: a killed writer leaves the last committed batch intact, and reads do not block.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        case .queryOnly?:
            target = StoreFile.uri(path, "mode=rw")
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        case .readOnly?:
            target = StoreFile.uri(path, "mode=ro")
            config.readonly = true
        case .immutable?:
            target = StoreFile.uri(path, "mode=ro&immutable=1")
            config.readonly = true
        }
        do {
            return try DatabaseQueue(path: target, configuration: config)
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            if case .readOnly? = readMode, (error as? DatabaseError)?.resultCode == .SQLITE_CANTOPEN {
                throw StoreError(path: path, message: "has a write-ahead log (\(PathText.split(path).name)-wal) that cannot be read "
                                 + "in a read-only folder without its -shm file; copy the store with both files to a writable folder")
            }
            if (error as? DatabaseError)?.resultCode == .SQLITE_NOTADB {
                throw StoreError(path: path, message: "is not a capsim sweep store (not a SQLite database)")
            }
            if let e = error as? DatabaseError, e.resultCode == .SQLITE_CORRUPT {
                throw StoreError(path: path, message: "is damaged (SQLite: \(e.message ?? "database disk image is malformed"))")
            }
            throw StoreError(path: path, message: "cannot be opened as SQLite: \(error)")
        }
    }

    /// Takes and releases SQLite's write lock, so a program holding it (a `sqlite3` shell in a
    /// transaction) is found at the start, after the busy timeout, not after a batch's work.
    private static func probeWriteLock(_ queue: DatabaseQueue, path: String, busyTimeout: Double) throws(StoreError) {
        do {
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "COMMIT")
            }
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            throw StoreError(path: path, message: "cannot be written: \(error)")
        }
    }

    /// True for a file without any table: empty, or a database whose creation never committed.
    private static func isUninitialised(_ queue: DatabaseQueue, path: String, busyTimeout: Double) throws(StoreError) -> Bool {
        do {
            return try queue.inDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0 } == 0
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            if (error as? DatabaseError)?.resultCode == .SQLITE_NOTADB {
                throw StoreError(path: path, message: "is not a capsim sweep store (not a SQLite database)")
            }
            throw StoreError(path: path, message: "cannot be read: \(error)")
        }
    }

    /// Creates the tables and metadata in one transaction.
    private static func initialise(_ queue: DatabaseQueue, path: String, layout: StoreLayout, shard: String, busyTimeout: Double) throws(StoreError) {
        do {
            try queue.write { db in try create(db, layout: layout, shard: shard) }
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            throw StoreError(path: path, message: "cannot create the store: \(error)")
        }
    }

    private static func execute(_ queue: DatabaseQueue, path: String, _ sql: String) throws(StoreError) {
        do { try queue.inDatabase { db in try db.execute(sql: sql) } } catch {
            throw StoreError(path: path, message: "\(error)")
        }
    }

    private static func create(_ db: Database, layout: StoreLayout, shard: String) throws {
        try db.execute(sql: "CREATE TABLE sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        var info = layout.info
        info["fingerprint"] = layout.fingerprint
        info["experiment_count"] = String(layout.experimentCount)
        info["years"] = layout.years.map(String.init).joined(separator: ",")
        info["shard"] = shard
        info["store_layout"] = String(currentLayoutVersion)
        info["outcomes_only"] = layout.outcomesOnly ? "true" : "false"
        for (k, v) in info.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO sweep (key, value) VALUES (?, ?)", arguments: [k, v])
        }
        try db.execute(sql: "CREATE TABLE parameters (position INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        for (i, n) in layout.parameterNames.enumerated() {
            try db.execute(sql: "INSERT INTO parameters VALUES (?, ?)", arguments: [i, n])
        }
        try db.execute(sql: "CREATE TABLE outcome_names (position INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        for (i, n) in layout.outcomeNames.enumerated() {
            try db.execute(sql: "INSERT INTO outcome_names VALUES (?, ?)", arguments: [i, n])
        }
        try db.execute(sql: "CREATE TABLE series_columns (position INTEGER PRIMARY KEY, metric TEXT NOT NULL, sector TEXT NOT NULL, unit TEXT NOT NULL)")
        for (i, c) in layout.seriesColumns.enumerated() {
            try db.execute(sql: "INSERT INTO series_columns VALUES (?, ?, ?, ?)", arguments: [i, c.metric, c.sector, c.unit])
        }
        let params = layout.parameterNames.map { ", \(quoted($0)) REAL NOT NULL" }.joined()
        try db.execute(sql: "CREATE TABLE experiments (experiment INTEGER PRIMARY KEY, policy TEXT NOT NULL, point INTEGER NOT NULL\(params))")
        let outs = layout.outcomeNames.map { ", \(quoted($0)) REAL" }.joined()
        try db.execute(sql: "CREATE TABLE outcomes (experiment INTEGER PRIMARY KEY REFERENCES experiments, policy TEXT NOT NULL\(outs))")
        if layout.outcomesOnly {
            // What the per-year summaries need of every stored experiment, per policy; rewritten
            // in the transaction that stores the experiments it includes.
            try db.execute(sql: "CREATE TABLE summary_state (policy TEXT PRIMARY KEY, state BLOB NOT NULL)")
        } else {
            try db.execute(sql: "CREATE TABLE series (experiment INTEGER PRIMARY KEY REFERENCES experiments, policy TEXT NOT NULL, \"values\" BLOB NOT NULL)")
        }
        try db.execute(sql: """
            CREATE TABLE summaries (policy TEXT NOT NULL, metric TEXT NOT NULL, sector TEXT NOT NULL, year INTEGER NOT NULL,
              unit TEXT NOT NULL, n INTEGER NOT NULL, mean REAL, p05 REAL, p25 REAL, p50 REAL, p75 REAL, p95 REAL,
              PRIMARY KEY (policy, metric, sector, year))
            """)
    }

    private static func openExisting(path: String, queue: DatabaseQueue, lock: WriterLock?, busyTimeout: Double) throws(StoreError) -> SweepStore {
        do {
            let (layout, shard) = try queue.inDatabase { db in try StoreCheck(path: path).layout(db) }
            return SweepStore(path: path, layout: layout, shard: shard, queue: queue, lock: lock, busyTimeout: busyTimeout)
        } catch let error as StoreError {
            throw error
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            throw StoreError(path: path, message: "cannot be read as a sweep store: \(error)")
        }
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The store layout this capsim writes: 2 adds the `store_layout` and `outcomes_only` entries
    /// and, in outcomes-only stores, `summary_state` instead of `series`. A layout-1 store (no
    /// `store_layout` entry, always with series) is read and resumed as it is.
    public static let currentLayoutVersion = 2

    /// Outcomes-only stores: reads `summary_state`, checking that it counts exactly the stored
    /// experiments of each policy.
    private func loadAccumulator() throws(StoreError) {
        guard layout.outcomesOnly else { return }
        let width = layout.seriesColumns.count * layout.years.count
        var loaded = SummaryAccumulator(width: width)
        let path = self.path
        try access { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT policy, COUNT(*) FROM experiments GROUP BY policy") {
                counts[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1)
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.policy, s.state FROM summary_state s
                LEFT JOIN (SELECT policy, MIN(experiment) AS first FROM experiments GROUP BY policy) e USING (policy) ORDER BY e.first
                """)
            for row in rows {
                let policy: String = try row.decode(atIndex: 0)
                let state: Data = try row.decode(atIndex: 1)
                do throws(ByteReader.Malformed) { try loaded.decode(policy: policy, state) } catch {
                    throw StoreError(path: path, message: "summary_state: policy '\(policy)': the state blob is malformed; the store is damaged")
                }
            }
            for (policy, n) in counts.sorted(by: { $0.key < $1.key }) {
                let held = loaded.experiments(policy: policy)
                guard held == n || width == 0 else {
                    throw StoreError(path: path, message: "summary_state: policy '\(policy)' counts \(held) experiments, the "
                                     + "experiments table \(n); the store is damaged")
                }
            }
            for policy in loaded.policies where counts[policy] == nil {
                throw StoreError(path: path, message: "summary_state: policy '\(policy)' has no stored experiment; the store is damaged")
            }
        }
        accumulator = loaded
    }

    /// The size of the store's file, bytes (after `close()`, the whole store).
    public func fileBytes() -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// The experiments already stored, ascending.
    public func completed() throws(StoreError) -> [Int] {
        try access { db in try Int.fetchAll(db, sql: "SELECT experiment FROM experiments ORDER BY experiment") }
    }

    /// Adds `records` in one transaction: all of them are stored, or none.
    ///
    /// An outcomes-only store takes their series into its summaries' state and keeps the records
    /// in memory until `commitInterval` seconds have passed since its last commit (or
    /// `maxPendingExperiments` wait, or at `close()`); it then stores them and the state in one
    /// transaction, so a kill loses whole groups of records together with exactly their part of
    /// the summaries, which the next run redoes.
    public func append(_ records: [ExperimentRecord]) throws(StoreError) {
        guard layout.outcomesOnly else { return try insert(records, summaries: nil) }
        if let broken { throw broken }
        do throws(BadSeries) {
            try accumulator.add(records.map { ($0.policy, $0.series) })
        } catch {
            throw StoreError(path: path, message: "cannot store experiment \(records.first?.experiment ?? 0): \(error.message)")
        }
        pending += records.map { var r = $0; r.series = []; return r }
        if Date().timeIntervalSince(lastCommit) >= commitInterval || pending.count >= Self.maxPendingExperiments {
            try flush()
        }
    }

    /// Commits an outcomes-only store's pending records with the summaries' state.
    private func flush() throws(StoreError) {
        guard layout.outcomesOnly, !pending.isEmpty else { return }
        if let broken { throw broken }
        do throws(StoreError) {
            try insert(pending, summaries: accumulator)
        } catch {
            broken = error
            throw error
        }
        pending = []
        lastCommit = Date()
    }

    /// Inserts `records`, and with `summaries` rewrites `summary_state`, in one transaction.
    private func insert(_ records: [ExperimentRecord], summaries: SummaryAccumulator?) throws(StoreError) {
        let p = layout.parameterNames.count, o = layout.outcomeNames.count
        let keepsSeries = !layout.outcomesOnly
        let experimentsSQL = "INSERT INTO experiments VALUES (?, ?, ?" + String(repeating: ", ?", count: p) + ")"
        let outcomesSQL = "INSERT INTO outcomes VALUES (?, ?" + String(repeating: ", ?", count: o) + ")"
        try access { db in
            try db.inTransaction {
                let e = try db.cachedStatement(sql: experimentsSQL)
                let out = try db.cachedStatement(sql: outcomesSQL)
                let s = keepsSeries ? try db.cachedStatement(sql: "INSERT INTO series VALUES (?, ?, ?)") : nil
                for r in records {
                    let head: [(any DatabaseValueConvertible)?] = [r.experiment, r.policy, r.point]
                    try e.execute(arguments: StatementArguments(head + r.parameters.map { $0 }))
                    let outHead: [(any DatabaseValueConvertible)?] = [r.experiment, r.policy]
                    try out.execute(arguments: StatementArguments(outHead + r.outcomes.map { $0.isNaN ? nil : $0 }))
                    try s?.execute(arguments: [r.experiment, r.policy, Self.blob(r.series)])
                }
                if let summaries {
                    let state = try db.cachedStatement(sql: "INSERT OR REPLACE INTO summary_state VALUES (?, ?)")
                    for policy in summaries.policies { try state.execute(arguments: [policy, summaries.encode(policy: policy)]) }
                }
                return .commit
            }
        }
    }

    /// Every stored experiment, ascending; `range` limits the experiment indices read.
    public func records(_ range: Range<Int>? = nil) throws(StoreError) -> [ExperimentRecord] {
        let p = layout.parameterNames.count
        let lower = range?.lowerBound ?? 0, upper = range?.upperBound ?? Int.max
        let keepsSeries = !layout.outcomesOnly
        return try access { db in
            let rows = try Row.fetchAll(db, sql: keepsSeries ? """
                SELECT e.*, o.*, s."values" FROM experiments e JOIN outcomes o USING (experiment) JOIN series s USING (experiment)
                WHERE experiment >= ? AND experiment < ? ORDER BY experiment
                """ : """
                SELECT e.*, o.* FROM experiments e JOIN outcomes o USING (experiment)
                WHERE experiment >= ? AND experiment < ? ORDER BY experiment
                """, arguments: [lower, upper])
            return try rows.map { row in
                // Columns: experiment, policy, point, parameters…, experiment, policy, outcomes…, values.
                let outcomeStart = 3 + p + 2
                return ExperimentRecord(
                    experiment: try row.decode(atIndex: 0), policy: try row.decode(atIndex: 1), point: try row.decode(atIndex: 2),
                    parameters: try (0..<p).map { try row.decode(Double.self, atIndex: 3 + $0) },
                    outcomes: try layout.outcomeNames.indices.map { try row.decode(Double?.self, atIndex: outcomeStart + $0) ?? .nan },
                    series: keepsSeries ? try checkedValues(row.decode(Data.self, atIndex: outcomeStart + layout.outcomeNames.count)) : [])
            }
        }
    }

    /// One outcome's value for each stored experiment of `policy`, by experiment (NaN where it has none).
    public func outcome(_ index: Int, policy: String) throws(StoreError) -> [Double] {
        let column = Self.quoted(layout.outcomeNames[index])
        return try access { db in
            try Optional<Double>.fetchAll(db, sql: "SELECT \(column) FROM outcomes WHERE policy = ? ORDER BY experiment",
                                          arguments: [policy]).map { $0 ?? .nan }
        }
    }

    /// The sum of the series `cells` (a cell is a series in a year: `column × years + yearIndex`)
    /// for each stored experiment of `policy`, by experiment; reads one blob at a time.
    ///
    /// - Throws: `StoreError` for an outcomes-only store, which keeps no series.
    public func seriesSum(cells: [Int], policy: String) throws(StoreError) -> [Double] {
        guard !layout.outcomesOnly else {
            throw StoreError(path: path, message: "keeps outcomes only (written with --outcomes-only): it has no per-experiment "
                             + "series to analyse; analyse an outcome (--outcome), or rerun the sweep without --outcomes-only")
        }
        return try access { db in
            var out: [Double] = []
            let blobs = try Data.fetchCursor(db, sql: "SELECT \"values\" FROM series WHERE policy = ? ORDER BY experiment",
                                             arguments: [policy])
            while let blob = try blobs.next() {
                try checkLength(blob)
                var sum = 0.0
                for cell in cells { Self.read(blob, cells: cell..<(cell + 1)) { _, v in sum += v } }
                out.append(sum)
            }
            return out
        }
    }

    /// The number of stored experiments of `policy`.
    public func count(policy: String) throws(StoreError) -> Int {
        try access { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM experiments WHERE policy = ?", arguments: [policy]) ?? 0 }
    }

    /// The policies present, in order of their first experiment.
    public func policies() throws(StoreError) -> [String] {
        try access { db in try String.fetchAll(db, sql: "SELECT policy FROM experiments GROUP BY policy ORDER BY MIN(experiment)") }
    }

    // MARK: - summaries

    /// One line of the `summaries` table: a series' distribution over a policy's experiments in one year.
    public struct Summary: Sendable, Equatable {
        public var policy: String
        public var metric: String
        public var sector: String
        public var unit: String
        public var year: Int
        public var n: Int
        public var mean: Double
        /// The 5th, 25th, 50th, 75th and 95th percentiles.
        public var p05, p25, p50, p75, p95: Double
    }

    /// The quantile probabilities stored in `summaries`.
    public static let summaryProbabilities = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// Recomputes `summaries` per policy: n, mean and the quantiles (linear interpolation between
    /// order statistics, `x[(n−1)p]`), in one pass over the experiments.
    ///
    /// Each series in each year has a `SeriesSketch`: exact while it has at most 256 distinct
    /// values, else a histogram whose quantiles are within 2⁻⁸ (0.39 %) of the exact ones
    /// (docs/SWEEP.md, "Summaries"); the mean comes from an exact sum. A store with series reads
    /// every blob once, in chunks of at most `memoryBudgetBytes`; an outcomes-only store commits
    /// what it holds and writes the summaries it accumulated while experiments were stored. The
    /// result depends only on the stored experiments, not on batches, threads, shards or chunks.
    public func refreshSummaries(memoryBudgetBytes: Int = 256 << 20) throws(StoreError) {
        let width = layout.seriesColumns.count * layout.years.count
        var summaries: SummaryAccumulator
        if layout.outcomesOnly {
            try flush()
            summaries = accumulator
        } else {
            summaries = SummaryAccumulator(width: width)
            let chunk = max(1, memoryBudgetBytes / max(1, 8 * width))
            try access { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT policy, \"values\" FROM series ORDER BY experiment")
                var items: [(policy: String, series: [Double])] = []
                func drain() throws {
                    do throws(BadSeries) { try summaries.add(items) } catch {
                        throw StoreError(path: path, message: "series: \(error.message); the store is damaged")
                    }
                    items.removeAll(keepingCapacity: true)
                }
                while let row = try rows.next() {
                    let blob: Data = try row.decode(atIndex: 1)
                    items.append((try row.decode(atIndex: 0), try checkedValues(blob)))
                    if items.count >= chunk { try drain() }
                }
                try drain()
            }
        }
        try write(summaries)
    }

    /// Replaces `summaries` with the rows of `state`, policies in the order of their first experiment.
    private func write(_ state: SummaryAccumulator) throws(StoreError) {
        let years = layout.years.count
        let columns = layout.seriesColumns
        try access { db in
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM summaries")
                let insert = try db.cachedStatement(sql: "INSERT INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                let policies = try String.fetchAll(db, sql: "SELECT policy FROM experiments GROUP BY policy ORDER BY MIN(experiment)")
                for policy in policies {
                    guard let cells = state.sketches[policy] else { continue }
                    for (c, info) in columns.enumerated() {
                        for (y, year) in layout.years.enumerated() {
                            let sketch = cells[c * years + y]
                            let q = sketch.quantiles(Self.summaryProbabilities)
                            try insert.execute(arguments: [policy, info.metric, info.sector, year, info.unit, sketch.count,
                                                           sketch.mean, q[0], q[1], q[2], q[3], q[4]])
                        }
                    }
                }
                return .commit
            }
        }
    }

    /// Calls `body(cell, value)` for the cells `range` of a series blob.
    private static func read(_ data: Data, cells range: Range<Int>, _ body: (Int, Double) -> Void) {
        data.withUnsafeBytes { raw in
            for cell in range {
                body(cell, Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: cell * 8, as: UInt64.self))))
            }
        }
    }

    /// The `summaries` rows, optionally of one metric and sector, ordered by policy, metric, sector, year.
    public func summaries(metric: String? = nil, sector: String? = nil) throws(StoreError) -> [Summary] {
        try access { db in
            var sql = "SELECT * FROM summaries WHERE 1"
            var args: [any DatabaseValueConvertible] = []
            if let metric { sql += " AND metric = ?"; args.append(metric) }
            if let sector { sql += " AND sector = ?"; args.append(sector) }
            sql += " ORDER BY rowid"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map {
                Summary(policy: try $0.decode(forColumn: "policy"), metric: try $0.decode(forColumn: "metric"),
                        sector: try $0.decode(forColumn: "sector"), unit: try $0.decode(forColumn: "unit"),
                        year: try $0.decode(forColumn: "year"), n: try $0.decode(forColumn: "n"),
                        mean: try $0.decode(forColumn: "mean"), p05: try $0.decode(forColumn: "p05"),
                        p25: try $0.decode(forColumn: "p25"), p50: try $0.decode(forColumn: "p50"),
                        p75: try $0.decode(forColumn: "p75"), p95: try $0.decode(forColumn: "p95"))
            }
        }
    }

    // MARK: - merge

    /// Writes the shard stores `parts` into a new store at `path`, as one store of the whole
    /// sweep: the same rows a single run would have written.
    ///
    /// - Throws: `StoreError` when the parts are of different sweeps, overlap, or `path` exists.
    public static func merge(_ parts: [String], into path: String) throws(StoreError) -> SweepStore {
        guard !parts.isEmpty else { throw StoreError(path: path, message: "no shard stores to merge") }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, message: "already exists; merge writes a new store")
        }
        StoreFile.removeStaleCreations(path)
        // Each part is checked as any store read is (`read`): a damaged part is refused, naming it.
        let stores = try parts.map { (p: String) throws(StoreError) -> SweepStore in try read(path: p) }
        let layout = stores[0].layout
        for s in stores.dropFirst() where s.layout != layout {
            throw StoreError(path: s.path, message: "holds another sweep than \(stores[0].path); only shards of one sweep merge")
        }
        // Each part's experiments, read once; parts are copied in the order of their first experiment.
        let contents = try stores.map { (s: SweepStore) throws(StoreError) in (store: s, experiments: try s.completed()) }
            .sorted { ($0.experiments.first ?? 0) < ($1.experiments.first ?? 0) }
        var seen: [Int: String] = [:]
        for (s, experiments) in contents {
            for e in experiments {
                if let other = seen[e] {
                    throw StoreError(path: s.path, message: "experiment \(e) is also in \(other); shards must not overlap")
                }
                seen[e] = s.path
            }
        }
        // Written to a temporary name and linked into place, so a failed merge leaves no half store.
        let temp = StoreFile.creatingName(path)
        do throws(StoreError) {
            let out = try open(path: temp, layout: layout, shard: "1/1")
            for (s, all) in contents {
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + 2000)
                    let records = try s.records(all[start]..<(all[end - 1] + 1))
                    // Outcomes-only parts have no series: their summaries' states are merged below.
                    if layout.outcomesOnly { try out.insert(records, summaries: nil) } else { try out.append(records) }
                    start = end
                }
            }
            if layout.outcomesOnly {
                var merged = SummaryAccumulator(width: layout.seriesColumns.count * layout.years.count)
                for (s, _) in contents { merged.merge(s.accumulator) }
                out.accumulator = merged
                try out.insert([], summaries: merged)
            }
            try out.refreshSummaries()
            try out.close()
            for suffix in ["-wal", "-shm"] { unlink(temp + suffix) }
            // link, not rename: a store another process put at `path` meanwhile is not replaced.
            guard link(temp, path) == 0 else {
                throw StoreError(path: path, message: errno == EEXIST ? "already exists; merge writes a new store"
                                 : "cannot create: \(String(cString: strerror(errno)))")
            }
            unlink(temp)
            return try read(path: path)
        } catch {
            for suffix in ["-wal", "-shm", ""] { unlink(temp + suffix) }
            throw error
        }
    }

    /// Checkpoints the write-ahead log into the main file, so the store is one self-contained file.
    /// A writer's lock is released after the connection is closed.
    public func close() throws(StoreError) {
        guard !closed else { return }
        try flush()
        if lock != nil { try access { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
        do { try queue.close() } catch { throw StoreError(path: path, message: "cannot close: \(error)") }
        closed = true
        lock?.release()
    }

    /// Runs `body` on the queue, turning database errors into `StoreError`s naming the file.
    private func access<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.inDatabase(body)
        } catch let error as StoreError {
            throw error
        } catch {
            if StoreFile.isBusy(error) { throw StoreError(path: path, message: StoreFile.heldMessage(path, waited: busyTimeout)) }
            throw StoreError(path: path, message: "\(error)")
        }
    }

    /// A blob of the length the layout gives (checked for every blob when the store is opened; checked
    /// again as it is read, since another program may change the file in between).
    private func checkLength(_ blob: Data) throws {
        let expected = layout.seriesColumns.count * layout.years.count * 8
        guard blob.count == expected else {
            throw StoreError(path: path, message: "series: a values blob has \(blob.count) bytes, not \(expected); the store is damaged")
        }
    }

    private func checkedValues(_ blob: Data) throws -> [Double] {
        try checkLength(blob)
        return Self.values(blob)
    }

    /// Little-endian IEEE doubles, so a store moves between machines.
    static func blob(_ values: [Double]) -> Data {
        if 1.littleEndian == 1 { return values.withUnsafeBytes { Data($0) } }
        var data = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func values(_ data: Data) -> [Double] {
        var out = [Double](repeating: 0, count: data.count / 8)
        data.withUnsafeBytes { raw in
            for i in out.indices {
                out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
            }
        }
        return out
    }
}
