import CapSimTestSupport
import Foundation
import Testing

/// `capsim run` killed while writing, or on a full disk: what is left, and what the next run does.
@Suite(.serialized, .removesTemporaryFiles) struct OutputFailureTests {
    static func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    static func temporaries(_ folder: URL) -> [String] { names(folder).filter { $0.hasPrefix(".capsim-tmp-") } }

    /// A scenario whose enterprises.csv takes a while to write (about 60 MB), so that a kill lands in it.
    static func largeScenario(in dir: URL) throws -> String {
        let gen = try CLIHarness.run(["generate", "--facilities", "3000", "--years", "15", "--seed", "5", "--out", dir.path])
        try #require(gen.status == 0, "\(gen.stderr)")
        return dir.appendingPathComponent("scenario.yaml").path
    }

    /// SIGKILL while the tables are being written leaves hidden temporaries and no output file;
    /// the next run removes them and leaves only whole files.
    @Test func aKillDuringWritingIsCleanedUpByTheNextRun() throws {
        let dir = try temporaryFolder("kill")
        let scenario = try Self.largeScenario(in: dir)
        let out = dir.appendingPathComponent("out")
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["run", scenario, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until a temporary has grown past 1 MB: the run is then inside its write.
        let deadline = Date().addingTimeInterval(300)
        var writing = false
        while Date() < deadline && process.isRunning {
            if let temp = Self.temporaries(out).first,
               let size = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(temp).path)[.size] as? Int,
               size > 1_000_000 {
                writing = true
                break
            }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(writing, "the run finished or never wrote before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!Self.temporaries(out).isEmpty, "the kill left temporaries")
        #expect(Self.names(out).allSatisfy { $0.hasPrefix(".capsim-tmp-") }, "no output file appears before all are written")

        let rerun = try CLIHarness.run(["run", scenario, "--out", out.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.names(out) == ["closures.csv", "enterprises.csv", "openings.csv", "prefectures.csv", "projections.csv", "summary.json"])
    }

    /// Whether this process may mount a file system (root on Linux, with `mount` installed).
    static let canMount: Bool = {
        #if os(Linux)
        return geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")
        #else
        return false
        #endif
    }()

    static func sh(_ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: arguments[0])
        p.arguments = Array(arguments.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// On a 64 KiB file system the Jilin run cannot fit: it says the disk is full, naming the file,
    /// and leaves neither files nor the folder it created. (Skipped where mounting is not permitted:
    /// AtomicOutputTests injects the same error through the writer's seam.)
    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func aFullDiskSaysSoAndLeavesNothing() throws {
        let mount = try temporaryFolder("full-disk")
        guard try Self.sh(["/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.path]) == 0 else {
            Issue.record("mount -t tmpfs failed although running as root")
            return
        }
        defer { _ = try? Self.sh(["/bin/umount", mount.path]) }
        let out = mount.appendingPathComponent("runs/jilin")
        let result = try CLIHarness.run(["run", "Scenarios/jilin-2016/scenario.yaml", "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no space left on device writing \(out.path)/"), "\(result.stderr)")
        #expect(!result.stderr.contains("could not be created"))
        #expect(Self.names(mount) == [], "nothing is left on the full file system")
    }
}
