@testable import CapSimCluster
import Foundation
import Testing

/// Slurm's commands as subprocesses: ids, states, and failures with their messages.
@Suite struct SlurmTests {
    @Test func squeueLinesBecomeStatesOfJobsAndArrayTasks() {
        let states = Slurm.parseSqueue("12_1|RUNNING|None\n12_2|PENDING|JobArrayTaskLimit\n13|PENDING|DependencyNeverSatisfied\n\n")
        #expect(states == ["12_1": JobState(name: "RUNNING"), "12_2": JobState(name: "PENDING", reason: "JobArrayTaskLimit"),
                           "13": JobState(name: "PENDING", reason: "DependencyNeverSatisfied")])
        #expect(states["12_1"]?.isActive == true && states["12_2"]?.isWaiting == true && states["13"]?.isStuck == true)
        #expect(JobState(name: "COMPLETING").isActive, "a cancelled task is COMPLETING until its processes are gone")
        #expect(!JobState(name: "CANCELLED").isActive && !JobState(name: "OUT_OF_MEMORY").isActive)
    }

    @Test func sacctLinesSkipStepsAndKeepTheCancellingUser() {
        let states = Slurm.parseSacct("12_1|COMPLETED\n12_1.batch|COMPLETED\n12_2|CANCELLED by 0\n13|FAILED\n")
        #expect(states == ["12_1": JobState(name: "COMPLETED"), "12_2": JobState(name: "CANCELLED", reason: "by 0"),
                           "13": JobState(name: "FAILED")])
    }

    @Test func aFailingCommandReportsItsStandardError() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        try Data("slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n".utf8)
            .write(to: f.root.appendingPathComponent("squeue.err"))
        let error = #expect(throws: ClusterError.self) { try f.slurm.states(of: ["5"]) }
        #expect(error?.message.hasSuffix("failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller (connect failure)") == true)
        // A job the controller has forgotten is not an error: squeue says "Invalid job id".
        try Data("slurm_load_jobs error: Invalid job id specified\n".utf8).write(to: f.root.appendingPathComponent("squeue.err"))
        let (states, notes) = try f.slurm.states(of: ["5"])
        #expect(states.isEmpty)
        #expect(notes.count == 1 && notes[0].contains("Slurm accounting storage is disabled"))
    }

    @Test func sbatchMustPrintAJobId() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        #expect(try f.slurm.submit("/x.sbatch", options: ["--array=2"]) == "101")
        #expect(f.log("sbatch") == ["--parsable --array=2 /x.sbatch"])
        try f.tool("sbatch", "echo 'Submitted batch job 7'")
        let error = #expect(throws: ClusterError.self) { try f.slurm.submit("/x.sbatch", options: []) }
        #expect(error?.message.hasSuffix("printed 'Submitted batch job 7', not a job id") == true)
    }

    @Test func toolsAreFoundOnTheSearchPathOnly() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        #expect(f.slurm.locate("sbatch") == f.bin.path + "/sbatch")
        #expect(f.slurm.locate("srun") == nil)
        let error = #expect(throws: ClusterError.self) { try f.slurm.run("srun", []) }
        #expect(error?.message.hasPrefix("srun not found on PATH (\(f.bin.path))") == true)
    }
}
