import CapSimStore
import Foundation
import Testing

/// Whether a Slurm cluster answers here (`sinfo` lists a node that takes jobs), checked once;
/// prints why the Slurm tests are skipped when it does not.
enum LocalSlurm {
    static let answers: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sinfo", "--noheader", "--format=%t"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        var states = ""
        if (try? process.run()) != nil {
            states = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
        }
        let ready = process.terminationStatus == 0
            && states.split(separator: "\n").contains { ["idle", "mix", "alloc"].contains(String($0)) }
        if !ready {
            print("ClusterSlurmTests skipped: no Slurm cluster answers `sinfo` with a usable node here "
                  + "(start the local one with `bash scripts/slurm-up`; .ci/run does)")
        }
        return ready
    }()
}

/// Whole sweeps on a real Slurm cluster (the single-node one of `scripts/slurm-up` in CI): the
/// merged store of a job array equals a single-machine run's in every table, also after a part
/// is cancelled mid-run and resumed.
@Suite(.serialized) struct ClusterSlurmTests {
    /// The folder, the sweep file and a single-machine run's store of it.
    struct Setup {
        var dir: URL
        var sweep: String
        var cluster: String
        var reference: String
    }

    func setup(samples: Int) throws -> Setup {
        let dir = try ClusterCommandTests.temporaryFolder()
        let sweep = try ClusterCommandTests.jilinSweep(samples: samples, in: dir)
        let reference = dir.appendingPathComponent("single.sqlite").path
        let single = try CLIHarness.run(["sweep", sweep, "--store", reference, "--threads", "2"])
        #expect(single.status == 0, "\(single.stderr)")
        return Setup(dir: dir, sweep: sweep, cluster: dir.appendingPathComponent("cluster").path, reference: reference)
    }

    /// The jobs of the folder's manifest: every array job and merge job submitted.
    func jobs(_ cluster: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: cluster + "/cluster.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let submissions = manifest["submissions"] as? [[String: Any]] else { return [] }
        return submissions.flatMap { s in [s["arrayJob"], s["mergeJob"]].compactMap { $0 as? String } }
    }

    /// Cancels whatever the folder's jobs still have queued or running, then removes the folder.
    func tearDown(_ s: Setup) {
        let jobs = jobs(s.cluster)
        if !jobs.isEmpty {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["scancel"] + jobs
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { process.waitUntilExit() }
        }
        try? FileManager.default.removeItem(at: s.dir)
    }

    /// Polls `capsim cluster status` until `done` holds of its text or `seconds` pass; returns the last text.
    func waitForStatus(_ cluster: String, seconds: Double, until done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = ""
        while Date() < deadline {
            let status = try CLIHarness.run(["cluster", "status", cluster])
            #expect(status.status == 0, "\(status.stderr)")
            text = status.stdout
            if done(text) { return text }
            Thread.sleep(forTimeInterval: 0.3)
        }
        return text
    }

    /// Both stores hold the same rows in every table: `sweep`, `parameters`, `outcome_names` and
    /// `series_columns` (the layout and shard), `experiments`, `outcomes` and `series` (the
    /// records), and `summaries`.
    func expectIdentical(_ a: String, _ b: String) throws {
        let x = try SweepStore.read(path: a), y = try SweepStore.read(path: b)
        #expect(x.layout == y.layout)
        #expect(x.shard == y.shard)
        let rx = try x.records(), ry = try y.records()
        #expect(rx.count == x.layout.experimentCount && rx.count == ry.count)
        #expect(rx == ry)
        #expect(try x.summaries() == y.summaries())
    }

    /// The logs of the folder, for a failure message.
    func logs(_ cluster: String) -> String {
        let folder = cluster + "/logs"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { name in
            "--- \(name)\n" + ((try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }

    // Skipped, with the reason printed, where no Slurm cluster answers; CI starts one.
    @Test(.enabled(if: LocalSlurm.answers, "no Slurm cluster answers `sinfo` (bash scripts/slurm-up starts one)"))
    func fourPartsOnSlurmMergeIntoTheSingleMachineStore() throws {
        let s = try setup(samples: 40)
        defer { tearDown(s) }
        let submit = try CLIHarness.run(["cluster", "submit", s.sweep, "--store", s.cluster, "--parts", "4"])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.contains("80 experiments in 4 parts of 20"))
        let text = try waitForStatus(s.cluster, seconds: 90) { $0.contains("merge: done") || $0.contains("merge: failed") }
        #expect(text.contains("merge: done"), "\(text)\n\(logs(s.cluster))")
        #expect(text.contains("parts: 4 done; 80 of 80 experiments stored"))
        try expectIdentical(s.cluster + "/merged.sqlite", s.reference)
    }

    @Test(.enabled(if: LocalSlurm.answers, "no Slurm cluster answers `sinfo` (bash scripts/slurm-up starts one)"))
    func aPartCancelledMidRunIsResumedToTheSameStore() throws {
        let s = try setup(samples: 60)
        defer { tearDown(s) }
        // Batches of 2, so part 2 is caught with some of its 30 experiments stored.
        let submit = try CLIHarness.run(["cluster", "submit", s.sweep, "--store", s.cluster, "--parts", "4", "--batch", "2"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let array = try #require(jobs(s.cluster).first)
        let part2 = s.cluster + "/part-2.sqlite"
        var stored = 0
        let deadline = Date().addingTimeInterval(60)
        while stored < 2 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            stored = (try? SweepStore.read(path: part2).completed().count) ?? 0
        }
        let cancel = Process()
        cancel.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cancel.arguments = ["scancel", "\(array)_2"]
        try cancel.run()
        cancel.waitUntilExit()
        #expect(cancel.terminationStatus == 0)
        #expect(stored >= 2, "part 2 stored nothing within 60 s\n\(logs(s.cluster))")

        // Part 4 waits for a CPU (or runs): a resubmission now is refused and names it.
        let early = try CLIHarness.run(["cluster", "resume", s.cluster])
        #expect(early.status == 1)
        #expect(early.stderr.hasPrefix("error: refused: part"), "\(early.stderr)")
        #expect(early.stderr.contains("4 (job \(array)_4, "), "\(early.stderr)")

        let settled = try waitForStatus(s.cluster, seconds: 90) { !$0.contains(" running ") && !$0.contains(" queued ") }
        #expect(settled.contains("\n2     30-59"), "\(settled)")
        let cancelled = try SweepStore.read(path: part2).completed().count
        #expect(cancelled >= 2 && cancelled < 30, "part 2 was not cancelled mid-run: \(cancelled) stored\n\(settled)")
        #expect(settled.contains("parts: 3 done, 1 failed"), "\(settled)")
        #expect(settled.contains("merge: queued"), "the merge waits on the failed part: \(settled)")

        let resume = try CLIHarness.run(["cluster", "resume", s.cluster])
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stdout.contains("cancelled merge job"))
        #expect(resume.stdout.contains("resubmitted part 2 as array job"))
        let text = try waitForStatus(s.cluster, seconds: 90) { $0.contains("merge: done") || $0.contains("merge: failed") }
        #expect(text.contains("merge: done"), "\(text)\n\(logs(s.cluster))")
        // The resubmitted task ran only what the cancelled one had not stored.
        #expect(logs(s.cluster).contains("already stored \(cancelled), to run \(30 - cancelled)"), "\(logs(s.cluster))")
        try expectIdentical(s.cluster + "/merged.sqlite", s.reference)
    }
}
