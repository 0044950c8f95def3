import CapSimTestSupport
import Foundation
@testable import CapSimIO
import Testing

/// Files appear whole or not at all; a failed write leaves nothing it made; temporaries of killed
/// writers are removed by the next write into the folder, and nobody else's files are.
@Suite(.removesTemporaryFiles) struct AtomicOutputTests {
    static func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// Rows enough to need many buffers.
    static func bigTable(_ csv: CSVWriter) throws {
        for i in 0..<20_000 { try csv.row(["row", String(i), "有色,金属"]) }
    }

    @Test func streamedFilesAppearWholeWithNothingElseBeside() throws {
        let out = temporaryPath("atomic").appendingPathComponent("a/b")
        try AtomicOutput.write([.init(name: "t.csv", write: Self.bigTable), .init(name: "s.json") { $0.raw(Array("{}\n".utf8)) }],
                               to: out.path, csvByteOrderMark: true)
        #expect(try Self.names(out) == ["s.json", "t.csv"])
        let expected = CSVWriter()
        try Self.bigTable(expected)
        #expect(try [UInt8](Data(contentsOf: out.appendingPathComponent("t.csv"))) == AtomicOutput.utf8ByteOrderMark + expected.bytes)
        #expect(try String(contentsOf: out.appendingPathComponent("s.json"), encoding: .utf8) == "{}\n")
    }

    /// A full disk, injected through the writer's system-call seam after 100 kB: the error says so
    /// and names the file, the folders the call created are gone, and a folder that was there keeps
    /// its files untouched.
    @Test func aFullDiskLeavesNothingAndSaysSo() throws {
        var budget = 100_000
        let full = AtomicOutput.System(write: { fd, bytes, n in
            guard budget > 0 else {
                errno = ENOSPC
                return -1
            }
            let taken = min(n, budget)
            budget -= taken
            return write(fd, bytes, taken)
        })
        let root = try temporaryFolder("atomic-full")
        let fresh = root.appendingPathComponent("new/out")
        do {
            try AtomicOutput.write([.init(name: "t.csv", write: Self.bigTable)], to: fresh.path, csvByteOrderMark: false, system: full)
            Issue.record("a full disk did not fail the write")
        } catch {
            #expect("\(error)" == "no space left on device writing \(fresh.path)/t.csv")
        }
        #expect(try Self.names(root) == [], "the folders the write created are removed")

        budget = 100_000
        let existing = try temporaryFolder("atomic-existing")
        try Data("old\n".utf8).write(to: existing.appendingPathComponent("t.csv"))
        #expect(throws: AtomicOutput.Failure.self) {
            try AtomicOutput.write([.init(name: "t.csv", write: Self.bigTable)], to: existing.path, csvByteOrderMark: false,
                                   system: full)
        }
        #expect(try Self.names(existing) == ["t.csv"])
        #expect(try String(contentsOf: existing.appendingPathComponent("t.csv"), encoding: .utf8) == "old\n")
    }

    /// Another failure (here the table's own code) also removes every temporary.
    @Test func aFailingTableLeavesNoTemporary() throws {
        struct Broken: Error {}
        let out = try temporaryFolder("atomic-broken")
        #expect(throws: Broken.self) {
            try AtomicOutput.write([.init(name: "a.csv", write: Self.bigTable), .init(name: "b.csv") { _ in throw Broken() }],
                                   to: out.path)
        }
        #expect(try Self.names(out) == [])
    }

    /// Leftovers of a dead writer go; a live writer's, other hidden files and other names stay.
    @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
        let out = try temporaryFolder("atomic-stale")
        let dead = Int32.max - 1  // above any pid_max: no such process
        let kept = [".capsim-tmp-1-42-projections.csv",  // pid 1 is alive
                    ".capsim-tmp-\(getpid())-7-closures.csv",  // this process: a writer may be running
                    ".capsim-tmp-x-1-a.csv", ".keep", ".projections.csv.tmp-123-456", "notes.txt"]
        let stale = [".capsim-tmp-\(dead)-99-projections.csv", ".capsim-tmp-\(dead)-5-enterprises.csv"]
        for name in kept + stale { try Data("x".utf8).write(to: out.appendingPathComponent(name)) }
        try AtomicOutput.write([(name: "t.csv", contents: "a\n")], to: out.path)
        #expect(try Self.names(out) == (kept + ["t.csv"]).sorted())
    }

    @Test func aFileWhereTheFolderShouldBeIsAnError() throws {
        let root = try temporaryFolder("atomic-file")
        let file = root.appendingPathComponent("out")
        try Data("x".utf8).write(to: file)
        #expect(throws: AtomicOutput.Failure.self) { try AtomicOutput.write([(name: "t.csv", contents: "a\n")], to: file.path) }
        #expect(try Self.names(root) == ["out"])
    }
}
