import CapSimTestSupport
import Foundation
import Testing

/// The streamed writer writes the same bytes as the String writer it replaced: hashes of every
/// output file, computed from `capsim run` on main before the change (commit e511dc6).
@Suite(.serialized, .removesTemporaryFiles) struct OutputBytesTests {
    /// FNV-1a, 64 bits, of a file's bytes.
    static func fnv1a(_ url: URL) throws -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in try Data(contentsOf: url) {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return String(h, radix: 16)
    }

    static func hashes(of folder: URL, _ names: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in names { out[name] = try fnv1a(folder.appendingPathComponent(name)) }
        return out
    }

    // FNV-1a of each file written by `capsim run` at e511dc6 (the String writer); summary.json's
    // since it gained the `headline` object and then the `warnings` array (the other keys' bytes are
    // checked by RunSummaryAndBOMTests).
    static let jilin: [String: String] = ["closures.csv": "5b6ad6c125e90fa1", "enterprises.csv": "92514007803c075f", "openings.csv": "b9106a2e3b01f873", "projections.csv": "a0697bfb0d762d55", "summary.json": "463e998b99e73d64"]
    static let qinghai: [String: String] = ["closures.csv": "4f20a9d9c93b5584", "enterprises.csv": "3e172ce2bd6718c4", "openings.csv": "f88c46e6553c80ea", "projections.csv": "d8f16bf990f9343c", "summary.json": "e09ab34f74f35868"]
    static let generated: [String: String] = ["closures.csv": "17b7ecd4ea2fc248", "enterprises.csv": "46e25c95d85c74b0", "openings.csv": "c931750e6ccc7ac4", "projections.csv": "9de37d113a0e22ee", "summary.json": "d53c98a7e62caa0e"]
    static let generatedBOM: [String: String] = ["closures.csv": "efed67741f4a17c3", "enterprises.csv": "6f0d3445ffb1d671", "openings.csv": "e0101dbd1c16ef19", "projections.csv": "125f37fcd4637e27", "summary.json": "d53c98a7e62caa0e"]

    static let runFiles = ["projections.csv", "closures.csv", "openings.csv", "enterprises.csv", "summary.json"]

    @Test(arguments: [
        ("Scenarios/jilin-2016/scenario.yaml", OutputBytesTests.jilin),
        ("Scenarios/qinghai-2016/scenario.yaml", OutputBytesTests.qinghai),
    ])
    func bundledRunsWriteTheBytesTheyWroteBefore(scenario: String, expected: [String: String]) throws {
        let dir = try temporaryFolder("bytes")
        let run = try CLIHarness.run(["run", scenario, "--out", dir.path])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(try Self.hashes(of: dir, expected.keys.sorted()) == expected)
    }

    @Test func generatedProvinceRunWritesTheBytesItWroteBefore() throws {
        let dir = try temporaryFolder("bytes-gen")
        let gen = try CLIHarness.run(["generate", "--preset", "province", "--seed", "7", "--out", dir.path])
        try #require(gen.status == 0, "\(gen.stderr)")
        let out = dir.appendingPathComponent("out")
        let run = try CLIHarness.run(["run", dir.appendingPathComponent("scenario.yaml").path, "--out", out.path])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(try Self.hashes(of: out, Self.runFiles) == Self.generated)
        let bom = try CLIHarness.run(["run", dir.appendingPathComponent("scenario.yaml").path, "--out", out.path, "--bom"])
        try #require(bom.status == 0, "\(bom.stderr)")
        #expect(try Self.hashes(of: out, Self.runFiles) == Self.generatedBOM)
    }
}
