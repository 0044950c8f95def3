import Foundation
import Testing
import CapSimTestSupport

/// `capsim generate` through the real binary: the files it writes validate and run.
@Suite(.serialized, .removesTemporaryFiles) struct GenerateCommandTests {
    static func tempDir() -> URL {
        temporaryPath("generate")
    }

    @Test func provinceGeneratesValidatesAndRuns() throws {
        let dir = Self.tempDir()
        let gen = try CLIHarness.run(["generate", "--preset", "province", "--seed", "3", "--out", dir.path])
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(gen.stdout.contains("synthetic-province: 500 facilities, 9 regions"))
        #expect(gen.stdout.contains("wrote \(dir.path)/scenario.yaml"))
        for name in ["scenario.yaml", "facilities.csv", "enterprises.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name) missing")
        }
        let scenario = dir.appendingPathComponent("scenario.yaml").path
        let validate = try CLIHarness.run(["validate", scenario])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("ok: no errors"))
        let out = dir.appendingPathComponent("out")
        let run = try CLIHarness.run(["run", scenario, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["projections.csv", "closures.csv", "openings.csv", "enterprises.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) missing")
        }
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect((p(2016, "coal", "capacity_closed") ?? 0) > 0)
    }

    @Test func sameOptionsWriteIdenticalFiles() throws {
        let a = Self.tempDir(), b = Self.tempDir()
        for dir in [a, b] {
            let r = try CLIHarness.run(["generate", "--preset", "province", "--facilities", "200", "--years", "3",
                                        "--seed", "11", "--name", "twin", "--out", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for name in ["scenario.yaml", "facilities.csv", "enterprises.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name))
            let y = try Data(contentsOf: b.appendingPathComponent(name))
            #expect(x == y, "\(name) differs")
        }
        let yaml = try String(contentsOf: a.appendingPathComponent("scenario.yaml"), encoding: .utf8)
        #expect(yaml.contains("name: \"twin\"") && yaml.contains("endYear: 2018 "))
    }

    @Test func badOptionsWriteNothing() throws {
        let dir = Self.tempDir()
        let r = try CLIHarness.run(["generate", "--preset", "province", "--years", "0", "--out", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: years must be at least 1"))
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
