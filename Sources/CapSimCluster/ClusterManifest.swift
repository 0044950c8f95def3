import CapSimIO
import Foundation

/// What a cluster folder holds (`cluster.json`): the sweep, the capsim binary the jobs run, the
/// parts and their experiments, the resources asked for, and every submission's job ids.
///
/// `capsim cluster status` and `resume` read only this file, the part stores and the scheduler.
/// It is rewritten whole (to a temporary name, then renamed) after each submission.
public struct ClusterManifest: Codable, Sendable, Equatable {
    /// The file's name in the folder.
    public static let fileName = "cluster.json"
    /// The array job's script in the folder.
    public static let arrayScript = "array.sbatch"
    /// The merge job's script in the folder.
    public static let mergeScript = "merge.sbatch"
    /// The merged store in the folder.
    public static let mergedStore = "merged.sqlite"
    /// The folder of the jobs' logs.
    public static let logFolder = "logs"

    /// The layout version of this file.
    public var format: Int = 1
    /// The sweep file, absolute.
    public var sweep: String
    /// The capsim binary the jobs run, absolute.
    public var capsim: String
    /// The sweep's fingerprint (sweep file and scenario files), as in its stores.
    public var fingerprint: String
    /// Experiments in the whole sweep.
    public var experimentCount: Int
    /// The parts, in order; part `K` is shard `K/N`.
    public var parts: [Part]
    /// Experiments per batch (one transaction each) in every part.
    public var batchSize: Int
    /// Memory requested per part (array task), MiB.
    public var partMemoryMiB: Int
    /// Memory requested for the merge job, MiB.
    public var mergeMemoryMiB: Int
    /// CPUs per array task, which are the task's threads.
    public var cpusPerTask: Int
    /// The partition, if one was named.
    public var partition: String?
    /// The time limit per job in Slurm's format, if one was given.
    public var time: String?
    /// At most this many parts run at once, if limited (`--array=…%K`).
    public var maxRunning: Int?
    /// The array job's name; the merge job's is `JOBNAME-merge`.
    public var jobName: String
    /// Every submission, oldest first.
    public var submissions: [Submission]

    /// One part of the sweep: shard `number/N`.
    public struct Part: Codable, Sendable, Equatable {
        /// 1-based part number, the array task id.
        public var number: Int
        /// The first experiment of the part.
        public var firstExperiment: Int
        /// Experiments in the part.
        public var experimentCount: Int
        /// The part's store, relative to the folder.
        public var store: String

        /// The part's experiment indices.
        public var experiments: Range<Int> { firstExperiment..<(firstExperiment + experimentCount) }
    }

    /// One `sbatch` of the array (some or all parts) and the merge after it.
    public struct Submission: Codable, Sendable, Equatable {
        /// The parts submitted (array task ids); empty when only the merge was.
        public var parts: [Int]
        /// The array job's id, when parts were submitted.
        public var arrayJob: String?
        /// The merge job's id.
        public var mergeJob: String
        /// When, in ISO 8601 (UTC).
        public var submitted: String
    }

    /// The job id (`ARRAY_TASK`) that last ran part `number`, if it was ever submitted.
    public func job(ofPart number: Int) -> String? {
        guard let s = submissions.last(where: { $0.parts.contains(number) }), let array = s.arrayJob else { return nil }
        return "\(array)_\(number)"
    }

    /// The merge job last submitted, if any.
    public var lastMergeJob: String? { submissions.last?.mergeJob }

    /// The file's text: sorted keys, indented, so it reads and diffs well.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes `cluster.json` into `folder` atomically.
    public func write(to folder: String) throws(ClusterError) {
        do {
            try AtomicOutput.write([(name: Self.fileName, contents: encoded())], to: folder)
        } catch {
            throw ClusterError("\(error)")
        }
    }

    /// Reads `folder/cluster.json`.
    public static func read(folder: String) throws(ClusterError) -> ClusterManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
                throw ClusterError("\(folder): no such folder")
            }
            throw ClusterError("\(path): no such file; \(folder) is not a cluster folder (`capsim cluster submit SWEEP --store \(folder) ...` makes one)")
        }
        do {
            let manifest = try JSONDecoder().decode(ClusterManifest.self, from: data)
            guard manifest.format == 1 else {
                throw ClusterError("\(path): format \(manifest.format) is not one this capsim reads (1)")
            }
            return manifest
        } catch let error as ClusterError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw ClusterError("\(path): \(Self.field(context.codingPath + [key])): missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ClusterError("\(path): \(Self.field(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw ClusterError("\(path): \(context.codingPath.isEmpty ? "" : Self.field(context.codingPath) + ": ")not valid JSON: "
                               + ((context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                                   ?? context.debugDescription))
        } catch {
            throw ClusterError("\(path): \(error)")
        }
    }

    private static func field(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
    }
}
