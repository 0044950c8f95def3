/// The two batch scripts of a cluster folder, plain bash with `#SBATCH` lines a user can read
/// and edit before submitting (docs/CLUSTER.md).
///
/// - `array.sbatch`: a job array, one task per part; task `K` runs
///   `capsim sweep SWEEP --shard K/N --store DIR/part-K.sqlite --threads $SLURM_CPUS_PER_TASK`,
///   which resumes its own store when the part is submitted again.
/// - `merge.sbatch`: `capsim merge` of every part into `DIR/merged.sqlite`, submitted with
///   `--dependency=afterok:<array job>`; it writes a new file and renames it over the old one.
public enum ClusterScripts {
    /// The array job's script for `manifest`, whose folder is `folder` (absolute).
    public static func array(_ manifest: ClusterManifest, folder: String) -> String {
        let n = manifest.parts.count
        let limit = manifest.maxRunning.map { "%\($0)" } ?? ""
        var lines = [
            "#!/bin/bash",
            "# capsim cluster: the sweep \(manifest.sweep)",
            "# in \(n) part\(n == 1 ? "" : "s") of its \(manifest.experimentCount) experiments, one Slurm array task per part.",
            "# Written by `capsim cluster submit`; edit the #SBATCH lines if your cluster needs it, then",
            "# `capsim cluster resume \(folder)` submits what is not done (docs/CLUSTER.md).",
            "#SBATCH --job-name=\(manifest.jobName)",
            "#SBATCH --array=1-\(n)\(limit)",
            "#SBATCH --cpus-per-task=\(manifest.cpusPerTask)",
            "#SBATCH --mem=\(manifest.partMemoryMiB)M",
        ]
        lines += resources(manifest)
        lines += [
            "#SBATCH --chdir=\(folder)",
            "#SBATCH --output=\(ClusterManifest.logFolder)/part-%a-job%A.out",
            "set -euo pipefail",
            "part=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch, as a job array}",
            "threads=${SLURM_CPUS_PER_TASK:-1}",
            "# OpenBLAS's own thread pool no larger than the task's CPUs (capsim's workers are the parallelism).",
            "export OPENBLAS_NUM_THREADS=$threads",
            "# Experiments per batch: each batch is one transaction, and two batches fit in --mem.",
            "exec \(quoted(manifest.capsim)) sweep \(quoted(manifest.sweep)) --shard \"$part/\(n)\" \\",
            "    --store \(quoted(folder))/part-\"$part\".sqlite --threads \"$threads\" --batch \(manifest.batchSize)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The merge job's script for `manifest`, whose folder is `folder` (absolute).
    public static func merge(_ manifest: ClusterManifest, folder: String) -> String {
        let n = manifest.parts.count
        var lines = [
            "#!/bin/bash",
            "# capsim cluster: merges the \(n) part stores into \(ClusterManifest.mergedStore), once every part has",
            "# succeeded (submitted with --dependency=afterok:<array job>). Written by `capsim cluster submit`.",
            "#SBATCH --job-name=\(manifest.jobName)-merge",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --mem=\(manifest.mergeMemoryMiB)M",
        ]
        lines += resources(manifest)
        lines += [
            "#SBATCH --chdir=\(folder)",
            "#SBATCH --output=\(ClusterManifest.logFolder)/merge-job%j.out",
            "set -euo pipefail",
            "dir=\(quoted(folder))",
            "# Every part is named, so a missing one fails the merge instead of being left out.",
            "rm -f \"$dir/\(ClusterManifest.mergedStore).new\"",
            "\(quoted(manifest.capsim)) merge \"$dir/\(ClusterManifest.mergedStore).new\" \"$dir\"/part-{1..\(n)}.sqlite",
            "mv -f \"$dir/\(ClusterManifest.mergedStore).new\" \"$dir/\(ClusterManifest.mergedStore)\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func resources(_ manifest: ClusterManifest) -> [String] {
        (manifest.partition.map { ["#SBATCH --partition=\($0)"] } ?? []) + (manifest.time.map { ["#SBATCH --time=\($0)"] } ?? [])
    }

    /// `text` as one bash word: in single quotes, each `'` written as `'\''`.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Why `path` cannot appear in an `#SBATCH` line (whitespace, quotes, `%`, `\`), or nil.
    ///
    /// Slurm splits those lines at whitespace and expands `%` in file names, so the folder's
    /// path must have neither.
    public static func problemInDirective(_ path: String) -> String? {
        if let c = path.first(where: { $0.isWhitespace || "%\"'\\".contains($0) }) {
            let shown = c.isWhitespace ? "whitespace" : "'\(c)'"
            return "its path has \(shown), which an #SBATCH line cannot hold; choose a folder without spaces, quotes, % or \\"
        }
        return nil
    }

    /// Task ids as Slurm's `--array` list: `2,4`, runs of three or more as ranges (`1-3,7`).
    public static func arrayList(_ ids: [Int]) -> String {
        var out: [String] = []
        var i = 0
        let sorted = Array(Set(ids)).sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            if j - i >= 2 {
                out.append("\(sorted[i])-\(sorted[j])")
            } else {
                out += sorted[i...j].map(String.init)
            }
            i = j + 1
        }
        return out.joined(separator: ",")
    }
}
