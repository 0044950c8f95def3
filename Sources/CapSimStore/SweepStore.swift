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

    /// Creates a layout.
    public init(fingerprint: String, experimentCount: Int, parameterNames: [String], outcomeNames: [String],
                seriesColumns: [SeriesInfo], years: [Int], info: [String: String]) {
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
    /// Series values, `[column × years + yearIndex]`.
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

    private init(path: String, layout: StoreLayout, shard: String, queue: DatabaseQueue) {
        self.path = path
        self.layout = layout
        self.shard = shard
        self.queue = queue
    }

    /// Opens the store at `path` for the sweep `layout`, creating it if there is none.
    ///
    /// - Throws: `StoreError` when the file exists but holds another sweep or another shard, or
    ///   cannot be opened.
    public static func open(path: String, layout: StoreLayout, shard: String) throws(StoreError) -> SweepStore {
        let exists = FileManager.default.fileExists(atPath: path)
        let queue = try connect(path, writing: true)
        if exists {
            let store = try openExisting(path: path, queue: queue)
            guard store.layout == layout else {
                throw StoreError(path: path, message: "holds the results of a different sweep (the sweep file or the scenario "
                                 + "changed since it was written); delete it, or write to another store")
            }
            guard store.shard == shard else {
                throw StoreError(path: path, message: "holds shard \(store.shard) of this sweep, not \(shard)")
            }
            return store
        }
        do {
            try queue.write { db in try create(db, layout: layout, shard: shard) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StoreError(path: path, message: "cannot create the store: \(error)")
        }
        return SweepStore(path: path, layout: layout, shard: shard, queue: queue)
    }

    /// Opens an existing store to read it.
    public static func read(path: String) throws(StoreError) -> SweepStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(path: path, message: "no such store") }
        return try openExisting(path: path, queue: connect(path, writing: false))
    }

    /// A connection; the writer's sets the page size and journal, a reader's (which may look at a
    /// store another process is writing) changes nothing.
    private static func connect(_ path: String, writing: Bool) throws(StoreError) -> DatabaseQueue {
        do {
            var config = Configuration()
            // Readers open read-write too (SQLite falls back to read-only on a read-only file), so
            // the last connection to close removes the -wal and -shm files.
            if writing {
                config.prepareDatabase { db in
                    // Large pages hold an experiment's series blob (about 18 KB) without overflow
                    // chains; only takes effect on a new file.
                    try db.execute(sql: "PRAGMA page_size = 65536")
                    // WAL: a killed writer leaves the last committed batch intact, and reads do not block.
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            }
            return try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError(path: path, message: "cannot open as SQLite: \(error)")
        }
    }

    private static func create(_ db: Database, layout: StoreLayout, shard: String) throws {
        try db.execute(sql: "CREATE TABLE sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        var info = layout.info
        info["fingerprint"] = layout.fingerprint
        info["experiment_count"] = String(layout.experimentCount)
        info["years"] = layout.years.map(String.init).joined(separator: ",")
        info["shard"] = shard
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
        try db.execute(sql: "CREATE TABLE series (experiment INTEGER PRIMARY KEY REFERENCES experiments, policy TEXT NOT NULL, \"values\" BLOB NOT NULL)")
        try db.execute(sql: """
            CREATE TABLE summaries (policy TEXT NOT NULL, metric TEXT NOT NULL, sector TEXT NOT NULL, year INTEGER NOT NULL,
              unit TEXT NOT NULL, n INTEGER NOT NULL, mean REAL, p05 REAL, p25 REAL, p50 REAL, p75 REAL, p95 REAL,
              PRIMARY KEY (policy, metric, sector, year))
            """)
    }

    private static func openExisting(path: String, queue: DatabaseQueue) throws(StoreError) -> SweepStore {
        do {
            return try queue.read { db in
                guard try db.tableExists("sweep") else {
                    throw StoreError(path: path, message: "is not a capsim sweep store (no 'sweep' table)")
                }
                var info = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM sweep")
                    .map { ($0["key"] as String, $0["value"] as String) })
                let fingerprint = info.removeValue(forKey: "fingerprint") ?? ""
                let count = Int(info.removeValue(forKey: "experiment_count") ?? "") ?? 0
                let years = (info.removeValue(forKey: "years") ?? "").split(separator: ",").compactMap { Int($0) }
                let shard = info.removeValue(forKey: "shard") ?? "1/1"
                let parameters = try String.fetchAll(db, sql: "SELECT name FROM parameters ORDER BY position")
                let outcomes = try String.fetchAll(db, sql: "SELECT name FROM outcome_names ORDER BY position")
                let series = try Row.fetchAll(db, sql: "SELECT metric, sector, unit FROM series_columns ORDER BY position")
                    .map { StoreLayout.SeriesInfo(metric: $0["metric"], sector: $0["sector"], unit: $0["unit"]) }
                let layout = StoreLayout(fingerprint: fingerprint, experimentCount: count, parameterNames: parameters,
                                         outcomeNames: outcomes, seriesColumns: series, years: years, info: info)
                return SweepStore(path: path, layout: layout, shard: shard, queue: queue)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, message: "cannot be read as a sweep store: \(error)")
        }
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The experiments already stored, ascending.
    public func completed() throws(StoreError) -> [Int] {
        try access { db in try Int.fetchAll(db, sql: "SELECT experiment FROM experiments ORDER BY experiment") }
    }

    /// Adds `records` in one transaction: all of them are stored, or none.
    public func append(_ records: [ExperimentRecord]) throws(StoreError) {
        let p = layout.parameterNames.count, o = layout.outcomeNames.count
        let experimentsSQL = "INSERT INTO experiments VALUES (?, ?, ?" + String(repeating: ", ?", count: p) + ")"
        let outcomesSQL = "INSERT INTO outcomes VALUES (?, ?" + String(repeating: ", ?", count: o) + ")"
        try access { db in
            try db.inTransaction {
                let e = try db.cachedStatement(sql: experimentsSQL)
                let out = try db.cachedStatement(sql: outcomesSQL)
                let s = try db.cachedStatement(sql: "INSERT INTO series VALUES (?, ?, ?)")
                for r in records {
                    let head: [(any DatabaseValueConvertible)?] = [r.experiment, r.policy, r.point]
                    try e.execute(arguments: StatementArguments(head + r.parameters.map { $0 }))
                    let outHead: [(any DatabaseValueConvertible)?] = [r.experiment, r.policy]
                    try out.execute(arguments: StatementArguments(outHead + r.outcomes.map { $0.isNaN ? nil : $0 }))
                    try s.execute(arguments: [r.experiment, r.policy, Self.blob(r.series)])
                }
                return .commit
            }
        }
    }

    /// Every stored experiment, ascending; `range` limits the experiment indices read.
    public func records(_ range: Range<Int>? = nil) throws(StoreError) -> [ExperimentRecord] {
        let p = layout.parameterNames.count
        let lower = range?.lowerBound ?? 0, upper = range?.upperBound ?? Int.max
        return try access { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.*, o.*, s."values" FROM experiments e JOIN outcomes o USING (experiment) JOIN series s USING (experiment)
                WHERE experiment >= ? AND experiment < ? ORDER BY experiment
                """, arguments: [lower, upper])
            return rows.map { row in
                // Columns: experiment, policy, point, parameters…, experiment, policy, outcomes…, values.
                let outcomeStart = 3 + p + 2
                return ExperimentRecord(
                    experiment: row[0], policy: row[1], point: row[2],
                    parameters: (0..<p).map { row[3 + $0] },
                    outcomes: layout.outcomeNames.indices.map { (row[outcomeStart + $0] as Double?) ?? .nan },
                    series: Self.values(row[outcomeStart + layout.outcomeNames.count]))
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
    public func seriesSum(cells: [Int], policy: String) throws(StoreError) -> [Double] {
        try access { db in
            var out: [Double] = []
            let blobs = try Data.fetchCursor(db, sql: "SELECT \"values\" FROM series WHERE policy = ? ORDER BY experiment",
                                             arguments: [policy])
            while let blob = try blobs.next() {
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

    /// Recomputes `summaries` from every stored series, per policy: n, mean and the quantiles
    /// (linear interpolation between order statistics, `x[(n−1)p]`).
    ///
    /// Series are read in blocks of cells (a cell is one series in one year) sized so that a block
    /// of every experiment's values stays under `memoryBudgetBytes`: memory does not grow with
    /// the number of experiments, only the number of passes over the store does.
    public func refreshSummaries(memoryBudgetBytes: Int = 256 << 20) throws(StoreError) {
        let years = layout.years.count
        let columns = layout.seriesColumns
        let width = columns.count * years
        try access { db in
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM summaries")
                let insert = try db.cachedStatement(sql: "INSERT INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                let policies = try String.fetchAll(db, sql: "SELECT policy FROM series GROUP BY policy ORDER BY MIN(experiment)")
                for policy in policies {
                    let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE policy = ?", arguments: [policy]) ?? 0
                    guard n > 0, width > 0 else { continue }
                    let block = max(1, min(width, memoryBudgetBytes / (8 * n)))
                    var results = [[Double]](repeating: [], count: width)
                    var first = 0
                    while first < width {
                        let last = min(width, first + block)
                        var cells = [[Double]](repeating: [Double](repeating: 0, count: n), count: last - first)
                        let blobs = try Data.fetchCursor(db, sql: "SELECT \"values\" FROM series WHERE policy = ? ORDER BY experiment",
                                                         arguments: [policy])
                        var k = 0
                        while let blob = try blobs.next() {
                            Self.read(blob, cells: first..<last) { cell, value in cells[cell - first][k] = value }
                            k += 1
                        }
                        for cell in first..<last {
                            var column = cells[cell - first]
                            column.sort()
                            let mean = column.reduce(0, +) / Double(n)
                            results[cell] = [mean] + Self.summaryProbabilities.map { EmpiricalQuantile.of(sorted: column, at: $0) }
                        }
                        first = last
                    }
                    for (c, info) in columns.enumerated() {
                        for (y, year) in layout.years.enumerated() {
                            let r = results[c * years + y]
                            try insert.execute(arguments: [policy, info.metric, info.sector, year, info.unit, n,
                                                           r[0], r[1], r[2], r[3], r[4], r[5]])
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
                Summary(policy: $0["policy"], metric: $0["metric"], sector: $0["sector"], unit: $0["unit"], year: $0["year"],
                        n: $0["n"], mean: $0["mean"], p05: $0["p05"], p25: $0["p25"], p50: $0["p50"], p75: $0["p75"],
                        p95: $0["p95"])
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
        // Written to a temporary name and renamed, so a failed merge leaves no half store.
        let temp = path + ".partial"
        try? FileManager.default.removeItem(atPath: temp)
        do throws(StoreError) {
            let out = try open(path: temp, layout: layout, shard: "1/1")
            for (s, all) in contents {
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + 2000)
                    try out.append(s.records(all[start]..<(all[end - 1] + 1)))
                    start = end
                }
            }
            try out.refreshSummaries()
            try out.close()
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temp + suffix) }
            guard rename(temp, path) == 0 else {
                throw StoreError(path: path, message: "cannot rename \(temp): \(String(cString: strerror(errno)))")
            }
            return try read(path: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

    /// Checkpoints the write-ahead log into the main file, so the store is one self-contained file.
    public func close() throws(StoreError) {
        try access { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        do { try queue.close() } catch { throw StoreError(path: path, message: "cannot close: \(error)") }
    }

    /// Runs `body` on the queue, turning database errors into `StoreError`s naming the file.
    private func access<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.inDatabase(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, message: "\(error)")
        }
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
