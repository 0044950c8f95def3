import CapSimCluster
import CapSimStore
import Foundation
import Testing

/// Submit, status and resume against stand-ins for Slurm's commands (no cluster needed): the
/// commands run, the manifest, the states read, what is refused and what is left behind.
@Suite struct ClusterSweepTests {
    func submit(_ f: ClusterFixture, parts: Int = 4, maxRunning: Int? = nil) throws -> ClusterSweep.Submitted {
        try ClusterSweep(slurm: f.slurm).submit(sweep: f.sweep, folder: f.cluster, request: .init(parts: parts, maxRunning: maxRunning),
                                                capsim: f.capsim, dryRun: false)
    }

    @Test func submitWritesTheFolderThenTheArrayThenTheMergeAfterIt() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let done = try submit(f)
        #expect(done.arrayJob == "101" && done.mergeJob == "102")
        #expect(f.log("sbatch") == ["--parsable \(f.cluster)/array.sbatch",
                                    "--parsable --dependency=afterok:101 \(f.cluster)/merge.sbatch"])
        let manifest = try ClusterManifest.read(folder: f.cluster)
        #expect(manifest == done.manifest)
        #expect(manifest.submissions.map(\.parts) == [[1, 2, 3, 4]])
        #expect(manifest.job(ofPart: 3) == "101_3" && manifest.lastMergeJob == "102")
        // The parts tile the 16 experiments in order, as shards K/4 do.
        #expect(manifest.parts.map(\.experiments) == [0..<4, 4..<8, 8..<12, 12..<16])
        #expect(manifest.capsim == f.capsim && manifest.sweep == f.sweep)
        #expect(f.files(under: f.cluster) == ["array.sbatch", "cluster.json", "logs", "merge.sbatch"])
    }

    @Test func aMergeThatCannotBeSubmittedCancelsTheArrayAndLeavesNothing() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        try f.failSbatch(call: 2, message: "sbatch: error: Batch job submission failed: Invalid partition name specified")
        let error = #expect(throws: ClusterError.self) { try submit(f) }
        #expect(error?.message.contains("sbatch: error: Batch job submission failed: Invalid partition name specified") == true)
        #expect(error?.message.contains("nothing was submitted") == true)
        #expect(f.log("scancel") == ["101"], "the array just submitted is cancelled")
        #expect(!FileManager.default.fileExists(atPath: f.cluster), "the folder it created is removed")
    }

    @Test func aFailingArraySubmissionShowsSlurmsMessage() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        try FileManager.default.createDirectory(atPath: f.cluster, withIntermediateDirectories: true)
        try f.failSbatch(call: 1, message: "sbatch: error: Memory specification can not be satisfied")
        let error = #expect(throws: ClusterError.self) { try submit(f) }
        #expect(error?.message.hasPrefix("`sbatch --parsable \(f.cluster)/array.sbatch` failed (exit 1): "
                                         + "sbatch: error: Memory specification can not be satisfied") == true)
        #expect(f.log("sbatch").count == 1 && f.log("scancel").isEmpty)
        #expect(f.files(under: f.cluster).isEmpty, "a folder that existed stays, empty as it was")
    }

    @Test func missingSlurmCommandsAreNamedAndNothingIsWritten() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let empty = f.root.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let cluster = ClusterSweep(slurm: Slurm(searchPath: empty))
        let error = #expect(throws: ClusterError.self) {
            try cluster.submit(sweep: f.sweep, folder: f.cluster, request: .init(parts: 2), capsim: f.capsim, dryRun: false)
        }
        #expect(error?.message.hasPrefix("sbatch, scancel not found on PATH (\(empty))") == true)
        #expect(!FileManager.default.fileExists(atPath: f.cluster))
        // A dry run needs no Slurm; resuming it does.
        _ = try cluster.submit(sweep: f.sweep, folder: f.cluster, request: .init(parts: 2), capsim: f.capsim, dryRun: true)
        let resume = #expect(throws: ClusterError.self) { try cluster.resume(folder: f.cluster, dryRun: false) }
        #expect(resume?.message.contains("not found on PATH") == true)
        // Status works from the stores alone.
        let status = try cluster.status(folder: f.cluster)
        #expect(status.parts.map(\.state) == [.missing, .missing])
        #expect(status.parts.map(\.detail) == ["never submitted", "never submitted"])
    }

    @Test func partsBeyondTheExperimentsOrBelowOneAreRefused() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let too = #expect(throws: ClusterError.self) { try submit(f, parts: 17) }
        #expect(too?.message.hasPrefix("--parts 17: \(f.sweep) has 16 experiments, so at most 16 parts") == true)
        let zero = #expect(throws: ClusterError.self) { try submit(f, parts: 0) }
        #expect(zero?.message == "--parts 0: must be at least 1")
        #expect(!FileManager.default.fileExists(atPath: f.cluster))
        #expect(f.log("sbatch").isEmpty)
        // One experiment per part is the limit.
        #expect(try submit(f, parts: 16).manifest.parts.allSatisfy { $0.experimentCount == 1 })
    }

    @Test func aFolderThatCannotBeWrittenIsRefusedByTheAttempt() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let file = f.root.appendingPathComponent("a-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let cluster = ClusterSweep(slurm: f.slurm)
        let under = #expect(throws: ClusterError.self) {
            try cluster.submit(sweep: f.sweep, folder: file + "/cluster", request: .init(parts: 2), capsim: f.capsim, dryRun: true)
        }
        #expect(under?.message.hasPrefix("--store \(file)/cluster: cannot create the folder") == true)
        let notFolder = #expect(throws: ClusterError.self) {
            try cluster.submit(sweep: f.sweep, folder: file, request: .init(parts: 2), capsim: f.capsim, dryRun: true)
        }
        #expect(notFolder?.message == "--store \(file): exists and is not a folder")
        // Root may write anywhere the permission bits forbid, so only a real attempt tells: /sys
        // refuses new files even to root.
        #if os(Linux)
        let sys = #expect(throws: ClusterError.self) {
            try cluster.submit(sweep: f.sweep, folder: "/sys", request: .init(parts: 2), capsim: f.capsim, dryRun: true)
        }
        #expect(sys?.message.hasPrefix("--store /sys: cannot write in the folder") == true)
        #endif
        #expect(f.log("sbatch").isEmpty)
    }

    @Test func aFolderInUseOrHoldingAnotherSplitIsRefused() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        _ = try submit(f)
        let before = try String(contentsOfFile: f.cluster + "/cluster.json", encoding: .utf8)
        let again = #expect(throws: ClusterError.self) { try submit(f) }
        #expect(again?.message.contains("already holds a cluster sweep") == true)
        #expect(try String(contentsOfFile: f.cluster + "/cluster.json", encoding: .utf8) == before)

        let g = try ClusterFixture()
        defer { g.remove() }
        try FileManager.default.createDirectory(atPath: g.cluster, withIntermediateDirectories: true)
        try g.storePart(1, of: 2)
        let split = #expect(throws: ClusterError.self) { try submit(g, parts: 4) }
        #expect(split?.message == "\(g.cluster)/part-1.sqlite: holds shard 1/2, not 1/4; delete it or choose another folder")
        // The same split is fine: its task resumes the store.
        #expect(try submit(g, parts: 2).arrayJob == "101")
    }

    @Test func statusCombinesTheStoresWithTheQueue() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        _ = try submit(f)
        try f.storePart(1, of: 4)
        try f.storePart(2, of: 4, experiments: 4..<6)
        try f.storePart(4, of: 4)
        // The merge job 102 is gone from the queue, and sacct has no accounting storage.
        try f.queue(["101_1|COMPLETED|None", "101_2|CANCELLED|None", "101_3|RUNNING|None", "101_4|COMPLETED|None"])
        let status = try ClusterSweep(slurm: f.slurm).status(folder: f.cluster)
        #expect(status.parts.map(\.state) == [.done, .failed, .running, .done])
        #expect(status.parts.map(\.stored) == [4, 2, 0, 4])
        #expect(status.parts.map(\.job) == ["101_1", "101_2", "101_3", "101_4"])
        #expect(status.parts[1].detail == "CANCELLED")
        #expect(status.merge.state == .missing && status.merge.job == "102")
        #expect(status.notes == ["job 102 is no longer in the queue and sacct has no record (Slurm accounting storage is "
                                 + "disabled); states come from the stores"])
        #expect(f.log("squeue") == ["--noheader --array --states=all --jobs=101,102 --format=%i|%T|%r"])
        let text = status.text
        #expect(text.contains("\n2     4-7               2  failed   101_2  CANCELLED\n"))
        #expect(text.contains("parts: 2 done, 1 running, 1 failed; 10 of 16 experiments stored"))

        // An ended job whose store is short is a failure too, however it ended.
        try f.queue(["101_1|COMPLETED|None", "101_2|COMPLETED|None", "101_3|TIMEOUT|None", "101_4|COMPLETED|None",
                     "102|PENDING|DependencyNeverSatisfied"])
        let later = try ClusterSweep(slurm: f.slurm).status(folder: f.cluster)
        #expect(later.parts.map(\.state) == [.done, .failed, .failed, .done])
        #expect(later.parts[1].detail == "its job ended with 2 of 4 stored")
        #expect(later.parts[2].detail == "TIMEOUT")
        #expect(later.merge.state == .queued && later.merge.detail.hasPrefix("never runs"))
    }

    @Test func resumeIsRefusedWhilePartsRunAndNamesThem() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        _ = try submit(f)
        try f.storePart(1, of: 4)
        try f.queue(["101_1|COMPLETED|None", "101_2|CANCELLED|None", "101_3|RUNNING|None", "101_4|PENDING|Priority",
                     "102|PENDING|Dependency"])
        let error = #expect(throws: ClusterError.self) { try ClusterSweep(slurm: f.slurm).resume(folder: f.cluster, dryRun: false) }
        #expect(error?.message.hasPrefix("refused: parts 3 (job 101_3, running), 4 (job 101_4, queued) still run or wait") == true)
        #expect(error?.message.contains("scancel 101_3 101_4") == true)
        #expect(f.log("sbatch").count == 2 && f.log("scancel").isEmpty, "nothing resubmitted or cancelled")
    }

    @Test func resumeResubmitsOnlyTheFailedPartsThenTheMerge() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        _ = try submit(f, maxRunning: 2)
        try f.storePart(1, of: 4)
        try f.storePart(2, of: 4, experiments: 4..<5)
        try f.storePart(4, of: 4)
        try f.queue(["101_1|COMPLETED|None", "101_2|CANCELLED|None", "101_3|FAILED|NonZeroExitCode", "101_4|COMPLETED|None",
                     "102|PENDING|DependencyNeverSatisfied"])
        let cluster = ClusterSweep(slurm: f.slurm)
        let plan = try cluster.resume(folder: f.cluster, dryRun: true)
        #expect(plan.parts == [2, 3] && plan.arrayJob == nil)
        #expect(plan.commands == ["scancel 102", "sbatch --parsable --array=2,3%2 \(f.cluster)/array.sbatch",
                                  "sbatch --parsable --dependency=afterok:<array job> \(f.cluster)/merge.sbatch"])
        #expect(f.log("sbatch").count == 2 && f.log("scancel").isEmpty, "a dry run changes nothing")

        let resumed = try cluster.resume(folder: f.cluster, dryRun: false)
        #expect(resumed.cancelled == ["102"] && f.log("scancel") == ["102"], "the merge stuck on a failed part is cancelled")
        #expect(resumed.arrayJob == "103" && resumed.mergeJob == "104")
        #expect(f.log("sbatch").suffix(2) == ["--parsable --array=2,3%2 \(f.cluster)/array.sbatch",
                                              "--parsable --dependency=afterok:103 \(f.cluster)/merge.sbatch"])
        let manifest = try ClusterManifest.read(folder: f.cluster)
        #expect(manifest.submissions.map(\.parts) == [[1, 2, 3, 4], [2, 3]])
        #expect((1...4).map { manifest.job(ofPart: $0) } == ["101_1", "103_2", "103_3", "101_4"])
        #expect(manifest.lastMergeJob == "104")
    }

    @Test func resumeWithEveryPartDoneSubmitsTheMergeAloneOrNothing() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        _ = try submit(f, parts: 2)
        try f.storePart(1, of: 2)
        try f.storePart(2, of: 2)
        try f.queue(["101_1|COMPLETED|None", "101_2|COMPLETED|None", "102|FAILED|NonZeroExitCode"])
        let cluster = ClusterSweep(slurm: f.slurm)
        #expect(try cluster.status(folder: f.cluster).merge.state == .failed)
        let merge = try cluster.resume(folder: f.cluster, dryRun: false)
        #expect(merge.parts.isEmpty && merge.arrayJob == nil && merge.mergeJob == "103")
        #expect(f.log("sbatch").last == "--parsable \(f.cluster)/merge.sbatch", "no dependency: nothing to wait for")

        _ = try SweepStore.merge([f.cluster + "/part-1.sqlite", f.cluster + "/part-2.sqlite"], into: f.cluster + "/merged.sqlite")
        try f.queue(["101_1|COMPLETED|None", "101_2|COMPLETED|None", "103|COMPLETED|None"])
        #expect(try cluster.status(folder: f.cluster).merge.state == .done)
        let nothing = try cluster.resume(folder: f.cluster, dryRun: false)
        #expect(nothing.nothingToDo?.hasSuffix("merged.sqlite holds all 16 experiments") == true)
        #expect(f.log("sbatch").count == 3)
    }

    @Test func aBrokenManifestIsLocated() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let cluster = ClusterSweep(slurm: f.slurm)
        let none = #expect(throws: ClusterError.self) { try cluster.status(folder: f.root.path) }
        #expect(none?.message.hasPrefix("\(f.root.path)/cluster.json: no such file") == true)
        _ = try submit(f)
        let path = f.cluster + "/cluster.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"partMemoryMiB\"", with: "\"partMemory\"").write(toFile: path, atomically: true, encoding: .utf8)
        let missing = #expect(throws: ClusterError.self) { try cluster.status(folder: f.cluster) }
        #expect(missing?.message == "\(path): partMemoryMiB: missing")
        try text.replacingOccurrences(of: "\"firstExperiment\" : 4", with: "\"firstExperiment\" : \"four\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let wrong = #expect(throws: ClusterError.self) { try cluster.status(folder: f.cluster) }
        #expect(wrong?.message.hasPrefix("\(path): parts[1].firstExperiment:") == true)
    }
}
