import Foundation
import GRDB

/// Checks a store's integrity and shape before anything reads it, and reads its layout: every
/// table and column there, every value of the type its column promises, every series blob as long
/// as its series and years say, and the three per-experiment tables holding the same experiments
/// (two in an outcomes-only store, whose `summary_state` is checked as it is loaded).
/// A store damaged by hand, by a disk or by another program is refused with its name and what is
/// wrong, rather than read into numbers (or a crash).
struct StoreCheck {
    /// The store, named in every error.
    var path: String

    /// Stores up to this size get SQLite's `PRAGMA quick_check` (a pass over every page: 0.09 s for
    /// a 105 MiB store from the page cache, about 1 s cold); larger ones only the checks of their
    /// shape, which read no blob's contents.
    static let quickCheckLimitBytes: Int64 = 1 << 30

    private func fail(_ message: String) -> StoreError { StoreError(path: path, message: message) }

    /// The layout and shard, after every check.
    func layout(_ db: Database) throws -> (StoreLayout, String) {
        try integrity(db)
        try columns(db, "sweep", ["key", "value"])
        try types(db, "sweep", ["key": ["text"], "value": ["text"]], key: "key")
        var info: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM sweep") {
            info[try row.decode(String.self, atIndex: 0)] = try row.decode(String.self, atIndex: 1)
        }
        func take(_ key: String) throws -> String {
            guard let v = info.removeValue(forKey: key) else { throw fail("sweep: no '\(key)' entry; the store is damaged") }
            return v
        }
        let fingerprint = try take("fingerprint")
        let countText = try take("experiment_count")
        guard let count = Int(countText), count >= 0 else {
            throw fail("sweep: experiment_count: '\(countText)' is not a count of experiments")
        }
        let yearsText = try take("years")
        let years = yearsText.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !years.isEmpty, years.allSatisfy({ $0 != nil }) else {
            throw fail("sweep: years: '\(yearsText)' is not a list of years")
        }
        let shard = try take("shard")
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw fail("sweep: shard: '\(shard)' is not K/N")
        }
        // Layout 1 (before outcomes-only stores) has no `store_layout` entry and always has series.
        let version = info.removeValue(forKey: "store_layout") ?? "1"
        guard let v = Int(version), v >= 1 else { throw fail("sweep: store_layout: '\(version)' is not a layout number") }
        guard v <= SweepStore.currentLayoutVersion else {
            throw fail("was written by a newer capsim (store layout \(v)); this capsim reads store layouts 1-\(SweepStore.currentLayoutVersion): "
                       + "use that capsim, or rerun the sweep into a new store")
        }
        let outcomesOnlyText = info.removeValue(forKey: "outcomes_only") ?? "false"
        guard outcomesOnlyText == "true" || outcomesOnlyText == "false" else {
            throw fail("sweep: outcomes_only: '\(outcomesOnlyText)' is not true or false; the store is damaged")
        }
        let outcomesOnly = outcomesOnlyText == "true"
        if outcomesOnly && v < 2 { throw fail("sweep: outcomes_only is true in a store of layout 1; the store is damaged") }
        if let points = info["design_points"], Int(points).map({ $0 >= 0 }) != true {
            throw fail("sweep: design_points: '\(points)' is not a count")
        }

        let parameters = try names(db, "parameters")
        let outcomes = try names(db, "outcome_names")
        try columns(db, "series_columns", ["position", "metric", "sector", "unit"])
        try types(db, "series_columns", ["position": ["integer"], "metric": ["text"], "sector": ["text"], "unit": ["text"]],
                  key: "position")
        let seriesRows = try Row.fetchAll(db, sql: "SELECT position, metric, sector, unit FROM series_columns ORDER BY position")
        var series: [StoreLayout.SeriesInfo] = []
        for (i, row) in seriesRows.enumerated() {
            guard try row.decode(Int.self, atIndex: 0) == i else { throw fail("series_columns: positions are not 0, 1, 2, …") }
            series.append(.init(metric: try row.decode(atIndex: 1), sector: try row.decode(atIndex: 2), unit: try row.decode(atIndex: 3)))
        }

        let number = ["real", "integer"]
        try columns(db, "experiments", ["experiment", "policy", "point"] + parameters)
        try types(db, "experiments", ["experiment": ["integer"], "policy": ["text"], "point": ["integer"]]
                  .merging(parameters.map { ($0, number) }) { a, _ in a }, key: "experiment")
        try columns(db, "outcomes", ["experiment", "policy"] + outcomes)
        try types(db, "outcomes", ["experiment": ["integer"], "policy": ["text"]]
                  .merging(outcomes.map { ($0, number + ["null"]) }) { a, _ in a }, key: "experiment")
        if outcomesOnly {
            try columns(db, "summary_state", ["policy", "state"])
            try types(db, "summary_state", ["policy": ["text"], "state": ["blob"]], key: "policy")
        } else {
            try columns(db, "series", ["experiment", "policy", "values"])
            try types(db, "series", ["experiment": ["integer"], "policy": ["text"], "values": ["blob"]], key: "experiment")
        }
        try columns(db, "summaries", ["policy", "metric", "sector", "year", "unit", "n", "mean", "p05", "p25", "p50", "p75", "p95"])
        try types(db, "summaries", ["policy": ["text"], "metric": ["text"], "sector": ["text"], "year": ["integer"],
                                    "unit": ["text"], "n": ["integer"], "mean": number, "p05": number, "p25": number,
                                    "p50": number, "p75": number, "p95": number], key: "policy")

        // Every experiment in range, and in all three tables with the same policy.
        if let e = try Int.fetchOne(db, sql: "SELECT experiment FROM experiments WHERE experiment < 0 OR experiment >= ? LIMIT 1",
                                    arguments: [count]) {
            throw fail("experiments: experiment \(e) is outside 0..<\(count), the sweep's experiments")
        }
        let pairs = outcomesOnly ? [("experiments", "outcomes"), ("outcomes", "experiments")]
            : [("experiments", "outcomes"), ("experiments", "series"), ("outcomes", "experiments"), ("series", "experiments")]
        for (table, other) in pairs {
            if let e = try Int.fetchOne(db, sql: """
                SELECT a.experiment FROM \(table) a LEFT JOIN \(other) b USING (experiment)
                WHERE b.experiment IS NULL OR a.policy IS NOT b.policy LIMIT 1
                """) {
                throw fail("\(table): experiment \(e) has no matching row in \(other); the store is damaged")
            }
        }
        let blobBytes = series.count * years.count * 8
        if !outcomesOnly, let row = try Row.fetchOne(db, sql: "SELECT experiment, length(\"values\") FROM series WHERE length(\"values\") != ? LIMIT 1",
                                      arguments: [blobBytes]) {
            let e: Int = try row.decode(atIndex: 0), bytes: Int = try row.decode(atIndex: 1)
            throw fail("series: experiment \(e): values blob has \(bytes) bytes, not \(blobBytes) (\(series.count) series × "
                       + "\(years.count) years × 8); the store is damaged")
        }
        let layout = StoreLayout(fingerprint: fingerprint, experimentCount: count, parameterNames: parameters,
                                 outcomeNames: outcomes, seriesColumns: series, years: years.compactMap { $0 }, info: info,
                                 outcomesOnly: outcomesOnly)
        return (layout, shard)
    }

    /// `PRAGMA quick_check` on stores small enough for it to be quick.
    private func integrity(_ db: Database) throws {
        var st = stat()
        guard stat(path, &st) == 0, Int64(st.st_size) <= Self.quickCheckLimitBytes else { return }
        let found = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard found == ["ok"] else {
            throw fail("is damaged (SQLite quick_check: \(found.prefix(3).joined(separator: "; ")))")
        }
    }

    /// The names of a `position, name` table, in position order.
    private func names(_ db: Database, _ table: String) throws -> [String] {
        try columns(db, table, ["position", "name"])
        try types(db, table, ["position": ["integer"], "name": ["text"]], key: "position")
        var out: [String] = []
        for (i, row) in try Row.fetchAll(db, sql: "SELECT position, name FROM \(table) ORDER BY position").enumerated() {
            guard try row.decode(Int.self, atIndex: 0) == i else { throw fail("\(table): positions are not 0, 1, 2, …") }
            out.append(try row.decode(atIndex: 1))
        }
        return out
    }

    /// The table exists and has at least these columns.
    private func columns(_ db: Database, _ table: String, _ required: [String]) throws {
        guard try db.tableExists(table) else {
            throw fail(table == "sweep" ? "is not a capsim sweep store (no 'sweep' table)" : "has no '\(table)' table; the store is damaged")
        }
        let present = Set(try db.columns(in: table).map(\.name))
        if let missing = required.first(where: { !present.contains($0) }) {
            throw fail("\(table): no column '\(missing)'; the store is damaged")
        }
    }

    /// Every value of each column is of one of the storage classes allowed (`typeof`); the first
    /// that is not is named by its row's `key` and shown quoted.
    private func types(_ db: Database, _ table: String, _ allowed: [String: [String]], key: String) throws {
        for (column, classes) in allowed.sorted(by: { $0.key < $1.key }) {
            let c = quote(column), k = quote(key)
            let list = classes.map { "'\($0)'" }.joined(separator: ", ")
            if let row = try Row.fetchOne(db, sql: "SELECT quote(\(k)), typeof(\(c)), substr(quote(\(c)), 1, 40) FROM \(table) WHERE typeof(\(c)) NOT IN (\(list)) LIMIT 1") {
                let at: String = (try? row.decode(atIndex: 0)) ?? "?"
                let kind: String = (try? row.decode(atIndex: 1)) ?? "?"
                let value: String = (try? row.decode(atIndex: 2)) ?? "?"
                let expected = classes.contains("real") ? "a number" : classes.contains("blob") ? "a blob" : "\(classes[0])"
                throw fail("\(table): row with \(key) \(at): \(column) holds \(kind) \(value), not \(expected); the store is damaged")
            }
            // capsim stores finite numbers only (NaN is stored as NULL); an infinity is damage.
            if classes.contains("real"),
               let row = try Row.fetchOne(db, sql: "SELECT quote(\(k)) FROM \(table) WHERE \(c) IN (9e999, -9e999) LIMIT 1") {
                let at: String = (try? row.decode(atIndex: 0)) ?? "?"
                throw fail("\(table): row with \(key) \(at): \(column) is infinite, not a finite number; the store is damaged")
            }
        }
    }

    private func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
