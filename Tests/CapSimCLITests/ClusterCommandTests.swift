import CapSimStore
import Foundation
import Testing

/// `capsim cluster` through the real binary: help, bad input, the memory request against a
/// part's measured peak, and (when a Slurm cluster answers) whole sweeps on it.
@Suite struct ClusterCommandTests {
    /// The bundled Jilin sweep at `samples` design points (× 2 policies), its scenario by absolute path.
    static func jilinSweep(samples: Int, in dir: URL) throws -> String {
        let bundled = CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/sweeps/threshold-price.yaml")
        var text = try String(contentsOf: bundled, encoding: .utf8)
        let scenario = "scenario: ../scenario.yaml", size = "samples: 5000 "
        #expect(text.contains(scenario) && text.contains(size), "the bundled sweep changed its layout")
        text = text.replacingOccurrences(of: scenario, with: "scenario: "
                                         + CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        text = text.replacingOccurrences(of: size, with: "samples: \(samples) ")
        let path = dir.appendingPathComponent("jilin-\(2 * samples).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-cluster-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs capsim with `PATH` replaced by `path`.
    static func run(_ arguments: [String], path: String) throws -> CLIHarness.Output {
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test(arguments: ["submit", "status", "resume"]) func everySubcommandHasAHelpExample(_ command: String) throws {
        let help = try CLIHarness.run(["cluster", command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"))
        #expect(help.stdout.contains("capsim cluster \(command) "))
    }

    @Test func badInputIsReportedAndNothingIsWritten() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweep = try Self.jilinSweep(samples: 4, in: dir)
        let folder = dir.appendingPathComponent("cluster").path
        // No Slurm on PATH.
        let empty = dir.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let noSlurm = try Self.run(["cluster", "submit", sweep, "--store", folder, "--parts", "2"], path: empty)
        #expect(noSlurm.status == 1)
        #expect(noSlurm.stderr.hasPrefix("error: sbatch, scancel not found on PATH (\(empty))"), "\(noSlurm.stderr)")
        let tooMany = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "9", "--dry-run"])
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr == "error: --parts 9: \(sweep) has 8 experiments, so at most 8 parts (each part runs at least one)\n")
        let zero = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--parts must be at least 1"))
        let mem = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "2", "--mem", "2X"])
        #expect(mem.status != 0 && mem.stderr.contains("--mem 2X: not a size"))
        let time = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "2", "--time", "1h", "--dry-run"])
        #expect(time.status == 1 && time.stderr.hasPrefix("error: --time 1h: not a Slurm time limit"))
        // A sweep file with an error is located as `capsim sweep` locates it.
        try CLIHarness.edit(URL(fileURLWithPath: sweep), replacing: "rules[coal-under-30]", with: "rules[coal-under-31]")
        let bad = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "2", "--dry-run"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error: \(sweep):11: parameters[0].path: unknown parameter path"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder))
        let status = try CLIHarness.run(["cluster", "status", folder])
        #expect(status.status == 1 && status.stderr == "error: \(folder): no such folder\n")
    }

    @Test func aPartsPeakMemoryFitsItsRequest() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweep = try Self.jilinSweep(samples: 30, in: dir)
        // The default size and a tight --mem, which shrinks the batch.
        for (name, extra) in [("default", [String]()), ("tight", ["--mem", "150M"])] {
            let folder = dir.appendingPathComponent(name).path
            let r = try CLIHarness.run(["cluster", "submit", sweep, "--store", folder, "--parts", "2", "--dry-run"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let manifest = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/cluster.json")))
                as? [String: Any])
            let batch = try #require(manifest["batchSize"] as? Int), memory = try #require(manifest["partMemoryMiB"] as? Int)
            if name == "tight" { #expect(memory == 150 && batch < 30) } else { #expect(batch == 30) }
            // Part 1 as its array task runs it, with 2 threads.
            let peakKiB = try Self.peakMemoryKiB(CLIHarness.binary.path, ["sweep", sweep, "--shard", "1/2", "--store",
                                                                            folder + "/part-1.sqlite", "--threads", "2",
                                                                            "--batch", String(batch)])
            #expect(peakKiB > 0 && peakKiB <= memory * 1024, "\(name): peak \(peakKiB / 1024) MiB, requested \(memory) MiB")
            #expect(try SweepStore.read(path: folder + "/part-1.sqlite").completed() == Array(0..<30))
        }
    }

    /// Runs `path arguments…` to its end and returns its peak resident memory, as GNU time reports it.
    ///
    /// Not `wait4` on a `posix_spawn`ed child: glibc spawns with `CLONE_VM`, and at `exec` the kernel
    /// records the high-water mark of the shared (parent's) memory as the child's `ru_maxrss`, so the
    /// figure was the test process's own size (172 MiB in a full run). GNU time forks, so its child
    /// starts from its own small image.
    static func peakMemoryKiB(_ path: String, _ arguments: [String]) throws -> Int {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-maxrss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", report.path, path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(path) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        let text = try String(contentsOf: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Int(text.split(separator: "\n").last ?? ""), "GNU time wrote '\(text)'")
    }
}
