import CapSimPaths
import CapSimIO
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation

/// A sweep run as a Slurm job array: `submit` writes a cluster folder (two batch scripts and
/// `cluster.json`) and submits it, `status` reports each part from its store and the scheduler,
/// `resume` resubmits only the parts that failed or never ran, then the merge.
///
/// The folder must be on a file system every node sees: the array tasks write their part stores
/// into it and the merge job reads them from it.
public struct ClusterSweep: Sendable {
    /// Slurm's commands.
    public var slurm: Slurm

    /// Uses the Slurm commands `slurm` finds.
    public init(slurm: Slurm = Slurm()) {
        self.slurm = slurm
    }

    // MARK: - submit

    /// What `submit` did.
    public struct Submitted: Sendable {
        /// The folder, absolute.
        public var folder: String
        /// The manifest as written.
        public var manifest: ClusterManifest
        /// The array job, when submitted.
        public var arrayJob: String?
        /// The merge job, when submitted.
        public var mergeJob: String?
        /// The `sbatch` command lines run (or, with `dryRun`, to run).
        public var commands: [String]
    }

    /// Writes the cluster folder of `sweep` at `folder` and, unless `dryRun`, submits the array
    /// and the merge after it.
    ///
    /// - Parameters:
    ///   - sweep: the sweep file.
    ///   - folder: the cluster folder (created if needed; refused if it already holds a cluster sweep).
    ///   - request: parts and resources.
    ///   - capsim: the capsim binary the jobs run (absolute).
    ///   - dryRun: write the folder, submit nothing.
    /// - Throws: `ClusterError` for bad options, a sweep file with errors (each issue located),
    ///   more parts than experiments, a folder that cannot be written or already in use, a Slurm
    ///   command missing or failing. Nothing stays written or submitted then.
    public func submit(sweep: String, folder: String, request: ClusterRequest, capsim: String,
                       dryRun: Bool) throws(ClusterError) -> Submitted {
        let problems = request.problems()
        guard problems.isEmpty else { throw ClusterError(problems.joined(separator: "\n")) }
        let dir = Self.absolute(folder)
        let runner = try Self.runner(sweep)
        let n = request.parts
        guard n <= runner.experimentCount else {
            throw ClusterError("--parts \(n): \(sweep) has \(runner.experimentCount) experiments, so at most "
                               + "\(runner.experimentCount) parts (each part runs at least one)")
        }
        guard FileManager.default.isExecutableFile(atPath: capsim) else {
            throw ClusterError("\(capsim): not an executable capsim binary (the jobs run it)")
        }
        if let problem = ClusterScripts.problemInDirective(dir) { throw ClusterError("--store \(dir): \(problem)") }
        try checkReusable(dir, runner: runner, parts: n)
        if !dryRun { try slurm.require(["sbatch", "scancel"]) }

        let parts = (1...n).map { k in
            let range = runner.experiments(shard: k, of: n)
            return ClusterManifest.Part(number: k, firstExperiment: range.lowerBound, experimentCount: range.count,
                                        store: "part-\(k).sqlite")
        }
        let sizing = try ClusterSizing.size(
            bytesPerExperiment: runner.bytesPerExperiment, seriesBytes: runner.series.count * runner.years.count * 8,
            runnerBatch: runner.batchSize(), largestPart: parts.map(\.experimentCount).max() ?? 1, request: request)
        var manifest = ClusterManifest(
            sweep: Self.absolute(sweep), capsim: capsim, fingerprint: runner.layout.fingerprint,
            experimentCount: runner.experimentCount, parts: parts, batchSize: sizing.batchSize,
            partMemoryMiB: sizing.partMemoryMiB, mergeMemoryMiB: sizing.mergeMemoryMiB, cpusPerTask: request.cpusPerTask,
            partition: request.partition, time: request.time, maxRunning: request.maxRunning,
            jobName: Self.jobName(sweep), submissions: [])

        let created = try Self.makeWritableFolder(dir)
        var written: [String] = []
        func undo() {
            for file in written { try? FileManager.default.removeItem(atPath: file) }
            for folder in created.reversed() { rmdir(folder) }
        }
        let arrayPath = dir + "/" + ClusterManifest.arrayScript, mergePath = dir + "/" + ClusterManifest.mergeScript
        let logs = dir + "/" + ClusterManifest.logFolder
        do {
            if !FileManager.default.fileExists(atPath: logs) {
                try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: false)
                written.append(logs)
            }
            written += [arrayPath, mergePath, dir + "/" + ClusterManifest.fileName]
            try AtomicOutput.write([(name: ClusterManifest.arrayScript, contents: ClusterScripts.array(manifest, folder: dir)),
                                    (name: ClusterManifest.mergeScript, contents: ClusterScripts.merge(manifest, folder: dir)),
                                    (name: ClusterManifest.fileName, contents: manifest.encoded())], to: dir)
        } catch {
            undo()
            throw ClusterError("\(error)")
        }
        let commands = ["sbatch --parsable \(arrayPath)", "sbatch --parsable --dependency=afterok:<array job> \(mergePath)"]
        if dryRun { return Submitted(folder: dir, manifest: manifest, commands: commands) }

        do throws(ClusterError) {
            let (arrayJob, mergeJob) = try submitPair(arrayScript: arrayPath, arrayOptions: [], mergeScript: mergePath)
            manifest.submissions.append(.init(parts: Array(1...n), arrayJob: arrayJob, mergeJob: mergeJob,
                                              submitted: Self.now()))
            do {
                try manifest.write(to: dir)
            } catch {
                try? slurm.cancel([arrayJob, mergeJob].compactMap { $0 })
                throw ClusterError("\(error) (the jobs just submitted were cancelled)")
            }
            return Submitted(folder: dir, manifest: manifest, arrayJob: arrayJob, mergeJob: mergeJob, commands: commands)
        } catch {
            undo()
            throw ClusterError(error.message + "\nnothing was submitted; \(dir) is as it was")
        }
    }

    /// Submits the array (if `arrayScript`), then the merge depending on it; cancels the array
    /// when the merge cannot be submitted, so the pair goes in whole or not at all.
    private func submitPair(arrayScript: String?, arrayOptions: [String], mergeScript: String) throws(ClusterError)
        -> (array: String?, merge: String)
    {
        guard let arrayScript else { return (nil, try slurm.submit(mergeScript, options: [])) }
        let array = try slurm.submit(arrayScript, options: arrayOptions)
        do {
            return (array, try slurm.submit(mergeScript, options: ["--dependency=afterok:\(array)"]))
        } catch {
            try? slurm.cancel([array])
            throw ClusterError(error.message + "\n(the array job \(array) just submitted was cancelled)")
        }
    }

    /// Refuses a folder already used by a cluster sweep, a merged store, or part stores of
    /// another sweep or split (a part store of this very split is resumed by its task).
    private func checkReusable(_ dir: String, runner: SweepRunner, parts n: Int) throws(ClusterError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw ClusterError("--store \(dir): exists and is not a folder") }
        if FileManager.default.fileExists(atPath: dir + "/" + ClusterManifest.fileName) {
            throw ClusterError("--store \(dir): already holds a cluster sweep (\(ClusterManifest.fileName)); "
                               + "see `capsim cluster status \(dir)`, continue it with `capsim cluster resume \(dir)`, "
                               + "or choose another folder")
        }
        if FileManager.default.fileExists(atPath: dir + "/" + ClusterManifest.mergedStore) {
            throw ClusterError("--store \(dir): already holds \(ClusterManifest.mergedStore); choose another folder")
        }
        for k in 1...n {
            let path = dir + "/part-\(k).sqlite"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let store: SweepStore
            do { store = try SweepStore.read(path: path) } catch { throw ClusterError("\(error)") }
            if store.layout != runner.layout {
                throw ClusterError("\(path): holds another sweep's results; delete it or choose another folder")
            }
            if store.shard != "\(k)/\(n)" {
                throw ClusterError("\(path): holds shard \(store.shard), not \(k)/\(n); delete it or choose another folder")
            }
        }
    }

    // MARK: - status

    /// Reads the state of every part and of the merge: experiments stored in each part's store,
    /// and the scheduler's word on its last job.
    ///
    /// Works without Slurm's commands too (states then come from the stores alone, with a note).
    public func status(folder: String) throws(ClusterError) -> ClusterStatus {
        let dir = Self.absolute(folder)
        let manifest = try ClusterManifest.read(folder: dir)
        var jobs = manifest.submissions.flatMap { s in [s.arrayJob, s.mergeJob].compactMap { $0 } }
        jobs = Array(Set(jobs)).sorted()
        var states: [String: JobState] = [:]
        var notes: [String] = []
        if !jobs.isEmpty {
            if slurm.locate("squeue") == nil {
                notes.append("squeue is not on PATH: the states come from the part stores alone")
            } else {
                (states, notes) = try slurm.states(of: jobs)
            }
        }
        let parts = manifest.parts.map { part in
            Self.partStatus(part, manifest: manifest, folder: dir, job: manifest.job(ofPart: part.number), states: states)
        }
        let merge = Self.mergeStatus(manifest, folder: dir, states: states)
        return ClusterStatus(folder: dir, manifest: manifest, parts: parts, merge: merge, notes: notes)
    }

    static func partStatus(_ part: ClusterManifest.Part, manifest: ClusterManifest, folder: String, job: String?,
                           states: [String: JobState]) -> PartStatus {
        let path = folder + "/" + part.store
        var stored = 0
        var storeProblem: String?
        if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try SweepStore.read(path: path)
                if store.layout.fingerprint != manifest.fingerprint {
                    storeProblem = "its store holds another sweep's results"
                } else if store.shard != "\(part.number)/\(manifest.parts.count)" {
                    storeProblem = "its store holds shard \(store.shard)"
                } else {
                    stored = try store.completed().filter { part.experiments.contains($0) }.count
                }
            } catch {
                storeProblem = "its store cannot be read: \(error.message)"
            }
        }
        let jobState = job.flatMap { states[$0] }
        var status = PartStatus(part: part, stored: stored, job: job, jobState: jobState, state: .missing, detail: "")
        if let s = jobState, s.isActive {
            status.state = s.isWaiting ? .queued : .running
            status.detail = s.description
        } else if let storeProblem {
            status.state = .failed
            status.detail = storeProblem
        } else if stored == part.experimentCount {
            status.state = .done
        } else if let s = jobState {
            status.state = .failed
            status.detail = s.isCompleted ? "its job ended with \(stored) of \(part.experimentCount) stored" : s.description
        } else if FileManager.default.fileExists(atPath: path) {
            status.state = .failed
            status.detail = "incomplete" + (job == nil ? " (no job of this folder ran it)" : "; the scheduler no longer knows its job")
        } else {
            status.detail = job == nil ? "never submitted" : "no store; the scheduler no longer knows its job"
        }
        return status
    }

    static func mergeStatus(_ manifest: ClusterManifest, folder: String, states: [String: JobState]) -> PartStatus {
        let path = folder + "/" + ClusterManifest.mergedStore
        let job = manifest.lastMergeJob
        let jobState = job.flatMap { states[$0] }
        let whole = ClusterManifest.Part(number: 0, firstExperiment: 0, experimentCount: manifest.experimentCount,
                                         store: ClusterManifest.mergedStore)
        var status = PartStatus(part: whole, stored: 0, job: job, jobState: jobState, state: .missing, detail: "")
        var storeProblem: String?
        if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try SweepStore.read(path: path)
                if store.layout.fingerprint == manifest.fingerprint {
                    status.stored = try store.completed().count
                } else {
                    storeProblem = "\(ClusterManifest.mergedStore) holds another sweep's results"
                }
            } catch {
                storeProblem = "\(ClusterManifest.mergedStore) cannot be read: \(error.message)"
            }
        }
        if let s = jobState, s.isActive {
            status.state = s.isWaiting ? .queued : .running
            status.detail = s.isStuck ? "never runs: a part it waits for failed (DependencyNeverSatisfied)" : s.description
        } else if let storeProblem {
            status.state = .failed
            status.detail = storeProblem
        } else if status.stored == manifest.experimentCount {
            status.state = .done
        } else if let s = jobState {
            status.state = .failed
            status.detail = s.isCompleted ? "ended, but \(ClusterManifest.mergedStore) has \(status.stored) of "
                + "\(manifest.experimentCount) experiments" : s.description
        } else if FileManager.default.fileExists(atPath: path) {
            status.state = .failed
            status.detail = "\(ClusterManifest.mergedStore) has \(status.stored) of \(manifest.experimentCount) experiments"
        } else {
            status.detail = job == nil ? "never submitted" : "the scheduler no longer knows its job"
        }
        return status
    }

    // MARK: - resume

    /// What `resume` did (or, with `dryRun`, would do).
    public struct Resumed: Sendable {
        /// The status it acted on.
        public var status: ClusterStatus
        /// Parts resubmitted.
        public var parts: [Int]
        /// Jobs cancelled: a merge that could never run.
        public var cancelled: [String]
        /// The new array job, when parts were resubmitted.
        public var arrayJob: String?
        /// The new merge job.
        public var mergeJob: String?
        /// The command lines run (or to run).
        public var commands: [String]
        /// Why nothing was submitted, when nothing needed to be.
        public var nothingToDo: String?
    }

    /// Resubmits the parts that failed or never ran (an array of just those task ids; each
    /// resumes its own store), then the merge after them; cancels a merge job left waiting on a
    /// failed part. With every part done but no merged store, submits the merge alone.
    ///
    /// - Throws: `ClusterError` when a part (or the merge) is still queued or running, naming
    ///   them; when the sweep file or scenario changed since submission; when a Slurm command is
    ///   missing or fails.
    public func resume(folder: String, dryRun: Bool) throws(ClusterError) -> Resumed {
        let dir = Self.absolute(folder)
        let manifest0 = try ClusterManifest.read(folder: dir)
        if !manifest0.submissions.isEmpty { try slurm.require(["squeue"]) }
        if !dryRun { try slurm.require(["sbatch", "scancel", "squeue"]) }
        let status = try self.status(folder: dir)
        var manifest = status.manifest
        let active = status.parts.filter { $0.state == .queued || $0.state == .running }
        guard active.isEmpty else {
            throw ClusterError("refused: part\(active.count == 1 ? "" : "s") "
                               + active.map { "\($0.part.number) (job \($0.job ?? "?"), \($0.state.rawValue))" }.joined(separator: ", ")
                               + " still \(active.count == 1 ? "runs or waits" : "run or wait"); wait for "
                               + (active.count == 1 ? "it" : "them") + " (`capsim cluster status \(dir)`) or cancel "
                               + (active.count == 1 ? "it" : "them") + " (`scancel \(active.compactMap(\.job).joined(separator: " "))`), then resume")
        }
        let redo = status.parts.filter { $0.state == .failed || $0.state == .missing }.map(\.part.number)
        var resumed = Resumed(status: status, parts: redo, cancelled: [], commands: [])
        let merge = status.merge
        let mergeActive = merge.jobState?.isActive == true
        if redo.isEmpty {
            if mergeActive {
                resumed.nothingToDo = "every part is done and the merge job \(merge.job ?? "?") is \(merge.state.rawValue)"
                return resumed
            }
            if merge.state == .done {
                resumed.nothingToDo = "every part is done and \(dir)/\(ClusterManifest.mergedStore) holds all "
                    + "\(manifest.experimentCount) experiments"
                return resumed
            }
        }
        if mergeActive, let job = merge.job {
            guard merge.jobState?.isWaiting == true else {
                throw ClusterError("refused: the merge job \(job) runs; wait for it (`capsim cluster status \(dir)`)")
            }
            // It waits on an array with a failed part: it can never run.
            resumed.cancelled = [job]
            resumed.commands.append("scancel \(job)")
        }
        if !redo.isEmpty {
            // The parts resume their stores: the sweep must still be the one they hold.
            let runner = try Self.runner(manifest.sweep)
            guard runner.layout.fingerprint == manifest.fingerprint else {
                throw ClusterError("\(manifest.sweep): the sweep file or its scenario changed since the parts were submitted, "
                                   + "so their stores cannot be resumed; submit the changed sweep into a new folder")
            }
        }
        let arrayPath = dir + "/" + ClusterManifest.arrayScript, mergePath = dir + "/" + ClusterManifest.mergeScript
        for script in (redo.isEmpty ? [] : [arrayPath]) + [mergePath] where !FileManager.default.fileExists(atPath: script) {
            throw ClusterError("\(script): missing; `capsim cluster submit` wrote it, and resume submits it as it is")
        }
        let arrayOptions = ["--array=" + ClusterScripts.arrayList(redo) + (manifest.maxRunning.map { "%\($0)" } ?? "")]
        if !redo.isEmpty { resumed.commands.append("sbatch --parsable \(arrayOptions[0]) \(arrayPath)") }
        resumed.commands.append("sbatch --parsable" + (redo.isEmpty ? "" : " --dependency=afterok:<array job>") + " \(mergePath)")
        if dryRun { return resumed }

        if !resumed.cancelled.isEmpty { try slurm.cancel(resumed.cancelled) }
        let (arrayJob, mergeJob) = try submitPair(arrayScript: redo.isEmpty ? nil : arrayPath, arrayOptions: arrayOptions,
                                                  mergeScript: mergePath)
        manifest.submissions.append(.init(parts: redo, arrayJob: arrayJob, mergeJob: mergeJob, submitted: Self.now()))
        do {
            try manifest.write(to: dir)
        } catch {
            try? slurm.cancel([arrayJob, mergeJob].compactMap { $0 })
            throw ClusterError("\(error); the jobs just submitted were cancelled")
        }
        resumed.arrayJob = arrayJob
        resumed.mergeJob = mergeJob
        return resumed
    }

    // MARK: - helpers

    static func runner(_ sweep: String) throws(ClusterError) -> SweepRunner {
        do {
            return try SweepRunner(spec: SweepSpec.load(path: sweep))
        } catch {
            throw ClusterError(error.issues.map(\.description).joined(separator: "\n"))
        }
    }

    /// `path` absolute against the current folder, without `.` and `..` parts.
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        let standard = base.standardizedFileURL.path
        return standard.count > 1 && standard.hasSuffix("/") ? String(standard.dropLast()) : standard
    }

    /// `capsim-NAME` from the sweep file's name, in the characters job names take everywhere.
    static func jobName(_ sweep: String) -> String {
        let name = PathText.split(sweep).name
        let stem = name.lastIndex(of: ".").map { $0 == name.startIndex ? name : String(name[..<$0]) } ?? name
        return "capsim-" + String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    /// Creates `dir` (and missing parents) and proves it writable by writing a file into it:
    /// permission bits say nothing for root, and a read-only mount only shows on the attempt.
    ///
    /// - Returns: the folders created, outermost first, so a failure can remove them.
    static func makeWritableFolder(_ dir: String) throws(ClusterError) -> [String] {
        var missing: [String] = []
        var probe = dir
        while !FileManager.default.fileExists(atPath: probe) && probe != "/" {
            missing.insert(probe, at: 0)
            probe = PathText.folder(of: probe)
        }
        var created: [String] = []
        for folder in missing {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                for c in created.reversed() { rmdir(c) }
                throw ClusterError("--store \(dir): cannot create the folder \(folder): \(reason)")
            }
            created.append(folder)
        }
        let test = dir + "/.capsim-write-test-\(ProcessInfo.processInfo.processIdentifier)"
        let fd = open(test, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            for c in created.reversed() { rmdir(c) }
            throw ClusterError("--store \(dir): cannot write in the folder: \(reason); the jobs write their stores there")
        }
        close(fd)
        unlink(test)
        return created
    }
}
