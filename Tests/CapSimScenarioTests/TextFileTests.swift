import Foundation
import Testing

@testable import CapSimScenario

/// Input files that cannot be read as text are named with what they are and where they were named;
/// long `extends:` chains are resolved reading each file once.
@Suite struct TextFileTests {
    func folder() -> TempFolder {
        let f = TempFolder()
        f.write("mines.csv", standardMines)
        f.write("base.yaml", scenarioText())
        return f
    }

    @Test func aChainOf300FilesReadsEachFileOnce() throws {
        let f = folder()
        var previous = "base.yaml"
        for i in 1...300 {
            f.write("v\(i).yaml", "extends: \(previous)\nname: v\(i)\n")
            previous = "v\(i).yaml"
        }
        var reads: [String: Int] = [:]
        let document = try ScenarioDocument.load(path: f.path("v300.yaml")) { path, at throws(ScenarioError) in
            reads[path, default: 0] += 1
            return try ScenarioDocument.parse(path, namedAt: at).root
        }
        #expect(document.chain.count == 301)
        #expect(reads.count == 301 && reads.values.allSatisfy { $0 == 1 })
        let scenario = try Scenario.load(document)
        #expect(scenario.name == "v300")
    }

    @Test func extendsMustBeText() {
        let f = folder()
        f.write("42", scenarioText())
        let v = f.write("v.yaml", "extends: 42\n")
        expectSingle(issues(loading: v), file: v, line: 1, field: "extends", message: "as text; got '42'")
        let quoted = f.write("q.yaml", "extends: \"42\"\nname: q\n")
        #expect(throws: Never.self) { _ = try Scenario.load(path: quoted) }
        let list = f.write("l.yaml", "extends: [base.yaml]\n")
        expectSingle(issues(loading: list), file: list, line: 1, field: "extends", message: "got a list")
    }

    @Test func extendsOfAFolderSaysSoAtTheExtendsLine() throws {
        let f = folder()
        try FileManager.default.createDirectory(atPath: f.path("sub"), withIntermediateDirectories: true)
        let v = f.write("sub/v.yaml", "name: x\nextends: ..\n")
        expectSingle(issues(loading: v), file: v, line: 2, field: "extends",
                     message: "scenario file '\(f.url.path)' is a directory, not a file")
    }

    @Test func aFIFOIsNamedWithoutBeingOpened() throws {
        let f = folder()
        let fifo = f.path("pipe.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening the FIFO for reading would block this test for ever; the type is checked first.
        expectSingle(issues(loading: fifo), file: fifo, line: nil, field: nil, message: "is a FIFO (named pipe), not a file")
        let s = f.write("s.yaml", scenarioText(tables: ["mines.csv", "pipe.yaml"]))
        expectSingle(issues(loading: s), file: s, line: 6, field: "facilityTables[1]",
                     message: "facility table '\(fifo)' is a FIFO (named pipe), not a file")
    }

    @Test func aDeviceOrFolderAsTheScenario() {
        expectSingle(issues(loading: "/dev/null"), file: "/dev/null", line: nil, field: nil,
                     message: "is a character device, not a file")
        let f = folder()
        expectSingle(issues(loading: f.url.path), file: f.url.path, line: nil, field: nil,
                     message: "is a directory, not a file")
    }

    @Test func invalidUTF8GivesTheLineAndByteOffset() throws {
        let f = folder()
        let bad = f.path("bad.yaml")
        try Data("name: x\nbaseYear: 2015\ntitle: caf".utf8 + [0xC3, 0x28] + Array("\n".utf8)).write(to: URL(fileURLWithPath: bad))
        expectSingle(issues(loading: bad), file: bad, line: 3, field: nil,
                     message: "not valid UTF-8: byte 0xC3 at byte offset 33")
        let mines = f.path("mines.csv")
        try Data(Array(header.utf8) + [0x0A, 0xFF]).write(to: URL(fileURLWithPath: mines))
        let s = f.write("s.yaml", scenarioText())
        expectSingle(issues(loading: s), file: mines, line: 2, field: nil,
                     message: "byte 0xFF at byte offset \(header.utf8.count + 1)")
    }

    @Test(arguments: [
        ([0x41, 0xC0, 0x80], 1), ([0xE0, 0x80, 0x80], 0), ([0xED, 0xA0, 0x80], 0), ([0xF4, 0x90, 0x80, 0x80], 0),
        ([0xE4, 0xB8], 0), ([0x41, 0x0A, 0x80], 2),
    ] as [([UInt8], Int)])
    func malformedSequencesAreFound(_ bytes: [UInt8], _ offset: Int) {
        #expect(TextFile.firstInvalidUTF8(Data(bytes))?.offset == offset)
    }

    @Test func wellFormedUTF8IsAccepted() {
        #expect(TextFile.firstInvalidUTF8(Data("吉林 café 😀 \u{10FFFF}".utf8)) == nil)
    }
}
