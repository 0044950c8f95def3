import Dispatch
import Foundation

/// Slurm's client commands (`sbatch`, `squeue`, `sacct`, `scancel`), run as subprocesses found on
/// a search path. A command that is missing or fails becomes a `ClusterError` carrying its
/// standard error, so the user sees Slurm's own message.
public struct Slurm: Sendable {
    /// The folders searched for the commands, `:`-separated like `PATH`.
    public var searchPath: String

    /// Commands found on `searchPath` (the process's `PATH` by default).
    public init(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") {
        self.searchPath = searchPath
    }

    /// The executable `tool` on the search path, or nil.
    public func locate(_ tool: String) -> String? {
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = String(folder) + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Fails unless every one of `tools` is on the search path.
    public func require(_ tools: [String]) throws(ClusterError) {
        let missing = tools.filter { locate($0) == nil }
        guard missing.isEmpty else { throw notFound(missing) }
    }

    private func notFound(_ tools: [String]) -> ClusterError {
        ClusterError("\(tools.joined(separator: ", ")) not found on PATH (\(searchPath)): Slurm's commands are needed; "
                     + "run this on the cluster's login node, or install slurm-wlm (scripts/setup)")
    }

    /// What a finished command printed.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs `tool arguments…` and returns what it printed, whatever its exit status.
    public func execute(_ tool: String, _ arguments: [String]) throws(ClusterError) -> Output {
        guard let path = locate(tool) else { throw notFound([tool]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ClusterError("\(path): cannot start: \(error.localizedDescription)")
        }
        // Standard error is drained on another thread, so neither pipe can fill and block the child.
        let errorData = CapturedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.value = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// Runs `tool arguments…` and returns its standard output; a non-zero exit throws with the
    /// command line and its standard error.
    @discardableResult
    public func run(_ tool: String, _ arguments: [String]) throws(ClusterError) -> String {
        let output = try execute(tool, arguments)
        guard output.status == 0 else { throw Self.failure(tool, arguments, output) }
        return output.stdout
    }

    static func failure(_ tool: String, _ arguments: [String], _ output: Output) -> ClusterError {
        let said = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = said.isEmpty ? output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : said
        return ClusterError("`\(([tool] + arguments).joined(separator: " "))` failed (exit \(output.status))"
                            + (shown.isEmpty ? "" : ": \(shown)"))
    }

    /// Submits `script` with `sbatch --parsable` and the extra `options` (given before the script,
    /// so they override its `#SBATCH` lines) and returns the job id.
    public func submit(_ script: String, options: [String]) throws(ClusterError) -> String {
        let arguments = ["--parsable"] + options + [script]
        let printed = try run("sbatch", arguments)
        // `--parsable` prints `jobid` or `jobid;cluster`.
        let id = printed.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw ClusterError("`sbatch \(arguments.joined(separator: " "))` printed '\(printed.trimmingCharacters(in: .whitespacesAndNewlines))', not a job id")
        }
        return id
    }

    /// Cancels jobs or array tasks (`123`, `123_4`).
    public func cancel(_ jobs: [String]) throws(ClusterError) {
        guard !jobs.isEmpty else { return }
        try run("scancel", jobs)
    }

    /// The scheduler's states of `jobs` (job ids; an array job's tasks come back as `ID_TASK`),
    /// keyed by `ID` or `ID_TASK`, and a note when a source had nothing to say.
    ///
    /// `squeue --states=all` knows queued, running and recently ended jobs (until the
    /// controller's `MinJobAge` purges them); jobs it no longer knows are looked up with `sacct`,
    /// which answers only where accounting storage is configured.
    public func states(of jobs: [String]) throws(ClusterError) -> (states: [String: JobState], notes: [String]) {
        guard !jobs.isEmpty else { return ([:], []) }
        var states: [String: JobState] = [:]
        var notes: [String] = []
        let queue = try execute("squeue", ["--noheader", "--array", "--states=all", "--jobs=" + jobs.joined(separator: ","),
                                           "--format=%i|%T|%r"])
        if queue.status == 0 {
            states.merge(Self.parseSqueue(queue.stdout)) { _, new in new }
        } else if !queue.stderr.contains("Invalid job id") {
            // A single unknown job id makes squeue fail; several unknown among known ones do not.
            throw Self.failure("squeue", ["--jobs=" + jobs.joined(separator: ",")], queue)
        }
        let known = Set(states.keys.map { $0.split(separator: "_").first.map(String.init) ?? $0 })
        let unknown = jobs.filter { !known.contains($0) }
        let label = (unknown.count == 1 ? "job " : "jobs ") + unknown.joined(separator: ", ")
            + (unknown.count == 1 ? " is" : " are")
        if !unknown.isEmpty, locate("sacct") != nil {
            let history = try execute("sacct", ["--noheader", "--parsable2", "--allocations",
                                                "--jobs=" + unknown.joined(separator: ","), "--format=JobID,State"])
            if history.status == 0 {
                states.merge(Self.parseSacct(history.stdout)) { old, _ in old }
            } else {
                let said = history.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                notes.append("\(label) no longer in the queue and sacct has no record ("
                             + (said.isEmpty ? "exit \(history.status)" : said) + "); states come from the stores")
            }
        } else if !unknown.isEmpty {
            notes.append("\(label) no longer in the queue (and sacct is not on PATH); states come from the stores")
        }
        return (states, notes)
    }

    /// Lines `ID[_TASK]|STATE|REASON` of `squeue --format=%i|%T|%r`.
    static func parseSqueue(_ text: String) -> [String: JobState] {
        var out: [String: JobState] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard f.count >= 2, !f[0].isEmpty else { continue }
            let reason = f.count > 2 && f[2] != "None" && !f[2].isEmpty ? f[2] : nil
            out[f[0]] = JobState(name: f[1], reason: reason)
        }
        return out
    }

    /// Lines `ID[_TASK]|STATE` of `sacct --parsable2 --format=JobID,State` (a state may read
    /// `CANCELLED by 0`).
    static func parseSacct(_ text: String) -> [String: JobState] {
        var out: [String: JobState] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2, !f[0].isEmpty, !f[0].contains(".") else { continue }
            let words = f[1].split(separator: " ")
            guard let name = words.first else { continue }
            out[f[0]] = JobState(name: String(name), reason: words.count > 1 ? words.dropFirst().joined(separator: " ") : nil)
        }
        return out
    }
}

/// Bytes read on another thread, handed back after it is joined.
private final class CapturedData: @unchecked Sendable {
    var value = Data()
}
