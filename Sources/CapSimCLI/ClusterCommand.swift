import ArgumentParser
import CapSimCluster
import Foundation

/// `capsim cluster`: a sweep as a Slurm job array (submit, status, resume); docs/CLUSTER.md.
public struct ClusterCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Run a sweep on a Slurm cluster: one array task per part, then a merge job.",
        discussion: """
            The folder given to --store must be on a file system every node sees. It receives
            array.sbatch and merge.sbatch (plain scripts you may edit), cluster.json, the part
            stores part-K.sqlite, logs/ and, at the end, merged.sqlite.

            Examples:
              capsim cluster submit Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/cluster --parts 4 --dry-run
                  Write the scripts of the Jilin sweep in 4 parts into runs/cluster, submit nothing
                  (without --dry-run it submits them and prints the job ids).
              capsim cluster status runs/cluster
                  Each part's state and experiments stored, then the merge's.
              capsim cluster resume runs/cluster --dry-run
                  The scancel and sbatch lines a resubmission of the failed and missing parts would
                  run (without --dry-run it runs them).
            """,
        subcommands: [Submit.self, Status.self, Resume.self])

    public init() {}

    /// Prints a cluster error (one line per problem) and exits with status 1.
    static func fail(_ error: ClusterError) throws -> Never {
        for line in error.message.split(separator: "\n") { printError("error: " + line) }
        throw ExitCode(1)
    }

    /// The running capsim binary, absolute: the jobs run the same one.
    static func executable() -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the batch scripts of a sweep in N parts and submit them (sbatch): the array, then the merge.",
            discussion: """
                Part K runs `capsim sweep SWEEP --shard K/N --store DIR/part-K.sqlite` with
                --cpus-per-task threads; the merge job waits for every part (afterok) and writes
                DIR/merged.sqlite, identical to a single-machine run's store. Memory per part is
                sized from one run of the base scenario (two batches of experiments and the
                process), unless --mem is given, in which case the batch is made to fit.

                Examples:
                  capsim cluster submit Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/cluster-4 --parts 4 --dry-run
                      Write runs/cluster-4/array.sbatch, merge.sbatch and cluster.json; submit nothing.
                      Edit the scripts if needed, then `capsim cluster resume runs/cluster-4` submits them;
                      without --dry-run, submit submits them at once.
                  capsim cluster submit Scenarios/jilin-2016/sweeps/threshold-price.yaml --store runs/cluster-100 --parts 100 --partition compute --time 00:30:00 --cpus-per-task 4 --max-running 50 --dry-run
                      100 parts of 100 experiments on partition compute, 4 CPUs and 30 minutes
                      each, at most 50 at once.
                """)

        @Argument(help: "The sweep YAML file.")
        var sweep: String

        @Option(name: .long, help: "The cluster folder (on a file system every node sees).")
        var store: String

        @Option(name: .long, help: "Parts: array tasks, each a shard of the experiments.")
        var parts: Int

        @Option(name: .long, help: "Slurm partition (default: the cluster's default).")
        var partition: String?

        @Option(name: .long, help: "Time limit per job, e.g. 30, 02:00:00, 1-00:00 (default: the partition's).")
        var time: String?

        @Option(name: .long, help: "Memory per part, e.g. 2G or 1500M (default: sized from the sweep).")
        var mem: String?

        @Option(name: .long, help: "At most K parts running at once.")
        var maxRunning: Int?

        @Option(name: .long, help: "CPUs per part, which are its threads.")
        var cpusPerTask: Int = 1

        @Option(name: .long, help: "Experiments per batch (default: as many as fit in the memory, at most 500).")
        var batch: Int?

        @Flag(name: .long, help: "Write the scripts and cluster.json but submit nothing.")
        var dryRun = false

        func validate() throws {
            guard parts >= 1 else { throw ValidationError("--parts must be at least 1") }
            if let mem, ClusterRequest.memoryMiB(mem) == nil {
                throw ValidationError("--mem \(mem): not a size; give MiB, or a number with K, M, G or T (e.g. 2G)")
            }
        }

        func run() throws {
            let request = ClusterRequest(parts: parts, partition: partition, time: time, memoryMiB: mem.flatMap(ClusterRequest.memoryMiB),
                                         maxRunning: maxRunning, cpusPerTask: cpusPerTask, batchSize: batch)
            let done: ClusterSweep.Submitted
            do {
                done = try ClusterSweep().submit(sweep: sweep, folder: store, request: request,
                                                 capsim: ClusterCommand.executable(), dryRun: dryRun)
            } catch {
                try ClusterCommand.fail(error)
            }
            let m = done.manifest
            let smallest = m.parts.map(\.experimentCount).min() ?? 0, largest = m.parts.map(\.experimentCount).max() ?? 0
            print("\(sweep): \(m.experimentCount) experiments in \(m.parts.count) part\(m.parts.count == 1 ? "" : "s") of "
                  + (smallest == largest ? "\(largest)" : "\(smallest)-\(largest)")
                  + "; per part \(m.cpusPerTask) CPU\(m.cpusPerTask == 1 ? "" : "s"), "
                  + "\(m.partMemoryMiB) MiB, batches of \(m.batchSize); merge \(m.mergeMemoryMiB) MiB")
            print("wrote \(done.folder)/\(ClusterManifest.arrayScript), \(ClusterManifest.mergeScript) and \(ClusterManifest.fileName)")
            if let array = done.arrayJob, let merge = done.mergeJob {
                print("submitted array job \(array) (parts 1-\(m.parts.count)) and merge job \(merge) (after \(array))")
                print("watch it with `capsim cluster status \(done.folder)`")
            } else {
                print("not submitted (--dry-run); it would run:")
                for c in done.commands { print("  " + c) }
                print("edit the scripts if needed, then `capsim cluster resume \(done.folder)` submits them")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per part: done, queued, running, failed or missing, and experiments stored; then the merge.",
            discussion: """
                States come from the part stores and the scheduler (squeue; sacct for jobs the
                queue has forgotten, where accounting is configured).

                Example:
                  capsim cluster status runs/cluster
                      One line per part (experiments, stored, state, job), the merge, a total.
                """)

        @Argument(help: "The cluster folder.")
        var folder: String

        func run() throws {
            do {
                print(try ClusterSweep().status(folder: folder).text)
            } catch {
                try ClusterCommand.fail(error)
            }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resubmit only the parts that failed or never ran (each resumes its own store), then the merge.",
            discussion: """
                Refused while a part is still queued or running. A merge job left waiting on a
                failed part is cancelled and submitted again after the new array.

                Examples:
                  capsim cluster resume runs/cluster --dry-run
                      Say what would be cancelled and submitted; without --dry-run, do it.
                """)

        @Argument(help: "The cluster folder.")
        var folder: String

        @Flag(name: .long, help: "Say what would be cancelled and submitted; do nothing.")
        var dryRun = false

        func run() throws {
            let resumed: ClusterSweep.Resumed
            do {
                resumed = try ClusterSweep().resume(folder: folder, dryRun: dryRun)
            } catch {
                try ClusterCommand.fail(error)
            }
            if let reason = resumed.nothingToDo {
                print("nothing to resume: \(reason)")
                return
            }
            let parts = (resumed.parts.count == 1 ? "part " : "parts ") + resumed.parts.map(String.init).joined(separator: ", ")
            if dryRun {
                print("would resubmit " + (resumed.parts.isEmpty ? "the merge only" : "\(parts), then the merge") + ":")
                for c in resumed.commands { print("  " + c) }
                return
            }
            for job in resumed.cancelled { print("cancelled merge job \(job) (it waited on a failed part)") }
            if let array = resumed.arrayJob, let merge = resumed.mergeJob {
                print("resubmitted \(parts) as array job \(array); merge job \(merge) (after \(array))")
            } else if let merge = resumed.mergeJob {
                print("every part is done; submitted merge job \(merge)")
            }
        }
    }
}
