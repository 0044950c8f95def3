@testable import CapSimStore
import Foundation
import GRDB
import Testing

/// Stores that keep outcomes only: the same summaries as a store with series, commits that a kill
/// cannot tear, shards that merge, and the older layout read as before.
@Suite struct OutcomesOnlyStoreTests {
    typealias Folder = SweepStoreTests.Folder

    /// 600 experiments of two policies, two series × three years; one cell spread over more than
    /// 256 values (so its quantiles come from the histogram), the others few values or constant.
    static func layout(outcomesOnly: Bool) -> StoreLayout {
        var l = SweepStoreTests.layout
        l.experimentCount = 600
        l.info["design_points"] = "300"
        l.outcomesOnly = outcomesOnly
        return l
    }

    static func record(_ e: Int) -> ExperimentRecord {
        let spread = Double((e &* 2_654_435_761) % 100_003) / 7.0
        return ExperimentRecord(experiment: e, policy: e < 300 ? "plan" : "welfare", point: e % 300, parameters: [Double(e % 41)],
                                outcomes: [Double(e) * 1.5],
                                series: [4897, spread, Double(e % 5), -spread * 1e9, 0, Double(e % 3) - 1])
    }

    static func fill(_ store: SweepStore, _ experiments: Range<Int>, batch: Int = 50) throws {
        var start = experiments.lowerBound
        while start < experiments.upperBound {
            try store.append((start..<min(experiments.upperBound, start + batch)).map(record))
            start += batch
        }
    }

    /// The reference: the same experiments with their series kept.
    static func withSeries(_ folder: Folder) throws -> SweepStore {
        let store = try SweepStore.open(path: folder.path("series.sqlite"), layout: layout(outcomesOnly: false), shard: "1/1")
        try fill(store, 0..<600)
        try store.refreshSummaries()
        return store
    }

    @Test func summariesEqualThoseOfAStoreWithSeries() throws {
        let folder = try Folder()
        let reference = try Self.withSeries(folder)
        let store = try SweepStore.open(path: folder.path("o.sqlite"), layout: Self.layout(outcomesOnly: true), shard: "1/1")
        store.commitInterval = 0
        try Self.fill(store, 0..<600, batch: 37)
        try store.refreshSummaries()
        #expect(try store.summaries() == reference.summaries())
        #expect(try store.summaries().count == 2 * 6)
        // Records without their series; everything else as stored with series.
        let records = try store.records()
        #expect(records == (try reference.records()).map { var r = $0; r.series = []; return r })
        try store.close()
        let read = try SweepStore.read(path: folder.path("o.sqlite"))
        #expect(read.layout.outcomesOnly && read.layout == Self.layout(outcomesOnly: true))
        #expect(try read.summaries() == reference.summaries())
        #expect(throws: StoreError.self) { try read.seriesSum(cells: [0], policy: "plan") }
        // No series table at all.
        try read.close()
        let tables = try DatabaseQueue(path: folder.path("o.sqlite")).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables == ["experiments", "outcome_names", "outcomes", "parameters", "series_columns", "summaries",
                           "summary_state", "sweep"])
    }

    /// What is pending when the process dies is lost with its part of the summaries; what was
    /// committed is whole; running the rest again gives the uninterrupted store.
    @Test func aStoreDroppedWithPendingRecordsResumesExactly() throws {
        let folder = try Folder()
        let reference = try Self.withSeries(folder)
        let path = folder.path("o.sqlite")
        do {
            let store = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "1/1")
            store.commitInterval = 0
            try Self.fill(store, 0..<250)       // committed batch by batch
            store.commitInterval = 3600
            try Self.fill(store, 250..<400)     // pending: never committed, as if killed
        }
        let reopened = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "1/1")
        #expect(try reopened.completed() == Array(0..<250))
        try Self.fill(reopened, 250..<600)      // the rest, committed at close
        try reopened.close()
        let done = try SweepStore.read(path: path)
        #expect(try done.completed() == Array(0..<600))
        // Summaries are written by refreshSummaries (as `capsim sweep` does at the end).
        let writer = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "1/1")
        try writer.refreshSummaries()
        #expect(try writer.summaries() == reference.summaries())
        #expect(folder.contents.filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func shardsMergeToTheWholeStore() throws {
        let folder = try Folder()
        let reference = try Self.withSeries(folder)
        var parts: [String] = []
        for (k, range) in [(1, 0..<200), (2, 200..<450), (3, 450..<600)] {
            let path = folder.path("p\(k).sqlite")
            let store = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "\(k)/3")
            try Self.fill(store, range)
            try store.refreshSummaries()
            try store.close()
            parts.append(path)
        }
        let merged = try SweepStore.merge(parts.reversed(), into: folder.path("m.sqlite"))
        #expect(merged.layout.outcomesOnly)
        #expect(try merged.summaries() == reference.summaries())
        #expect(try merged.completed() == Array(0..<600))
    }

    @Test func aStoreOfTheOtherKindIsNotResumed() throws {
        let folder = try Folder()
        let path = folder.path("o.sqlite")
        try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "1/1").close()
        let e1 = #expect(throws: StoreError.self) {
            try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: false), shard: "1/1")
        }
        #expect(e1?.message.contains("was written with --outcomes-only") == true)
        let s = folder.path("s.sqlite")
        try SweepStore.open(path: s, layout: Self.layout(outcomesOnly: false), shard: "1/1").close()
        let e2 = #expect(throws: StoreError.self) {
            try SweepStore.open(path: s, layout: Self.layout(outcomesOnly: true), shard: "1/1")
        }
        #expect(e2?.message.contains("resume it without --outcomes-only") == true)
    }

    @Test func aDamagedSummaryStateIsRefused() throws {
        let folder = try Folder()
        let path = folder.path("o.sqlite")
        let store = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: true), shard: "1/1")
        try Self.fill(store, 0..<100)
        try store.close()
        for (sql, expected) in [
            ("DELETE FROM experiments WHERE experiment = 5; DELETE FROM outcomes WHERE experiment = 5",
             "summary_state: policy 'plan' counts 100 experiments, the experiments table 99"),
            ("UPDATE summary_state SET state = substr(state, 1, 100)", "summary_state: policy 'plan': the state blob is malformed"),
            ("UPDATE summary_state SET state = 'x'", "summary_state: row with policy 'plan': state holds text 'x', not a blob"),
            ("DROP TABLE summary_state", "has no 'summary_state' table"),
            ("UPDATE sweep SET value = 'maybe' WHERE key = 'outcomes_only'", "sweep: outcomes_only: 'maybe' is not true or false"),
        ] {
            let copy = folder.path("c.sqlite")
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try SweepStoreTests.edit(copy, sql)
            let error = #expect(throws: StoreError.self) { try SweepStore.read(path: copy) }
            #expect(error?.message.contains(expected) == true, "\(sql): \(error?.message ?? "")")
        }
    }

    /// A store written before layout 2 (no `store_layout` or `outcomes_only` entry) is read and
    /// resumed; one from a newer capsim is refused, saying so.
    @Test func olderLayoutsAreReadAndNewerOnesRefused() throws {
        let folder = try Folder()
        let path = folder.path("s.sqlite")
        let store = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: false), shard: "1/1")
        try Self.fill(store, 0..<100)
        try store.close()
        try SweepStoreTests.edit(path, "DELETE FROM sweep WHERE key IN ('store_layout', 'outcomes_only')")
        let old = try SweepStore.open(path: path, layout: Self.layout(outcomesOnly: false), shard: "1/1")
        try Self.fill(old, 100..<600)
        try old.refreshSummaries()
        #expect(try old.summaries() == Self.withSeries(folder).summaries())
        try old.close()
        try SweepStoreTests.edit(path, "INSERT INTO sweep VALUES ('store_layout', '3')")
        let error = #expect(throws: StoreError.self) { try SweepStore.read(path: path) }
        #expect(error?.message.contains("was written by a newer capsim (store layout 3)") == true, "\(error?.message ?? "")")
    }
}
