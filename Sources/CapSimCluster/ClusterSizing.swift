/// The memory a part and the merge ask Slurm for, from the sweep runner's own estimate of an
/// experiment (`SweepRunner.bytesPerExperiment`, from one run of the base scenario).
///
/// A part holds at most two batches at once: the one running and the one waiting to be written
/// (`SweepRunner.run`). Its request is a fixed allowance for the process (runtime, the scenario's
/// tables, SQLite's cache) plus two batches, rounded up to 64 MiB. Given `--mem`, the batch is
/// the largest that fits; given neither, the runner's own batch (1 GiB of experiments, at most
/// 500), never more than the part's experiments.
public struct ClusterSizing: Sendable, Equatable {
    /// Memory a capsim process takes besides its batches, MiB: measured at 40 MB (debug build, a
    /// Jilin part in batches of one), doubled for larger scenarios' tables.
    public static let processMiB = 128
    /// The summaries' memory budget of a store (`SweepStore.refreshSummaries`), MiB.
    public static let summariesMiB = 256
    /// Experiments the merge copies per transaction (`SweepStore.merge`).
    public static let mergeChunk = 2000

    /// Experiments per batch.
    public var batchSize: Int
    /// Memory per part, MiB.
    public var partMemoryMiB: Int
    /// Memory for the merge, MiB.
    public var mergeMemoryMiB: Int

    /// Sizes the jobs of a sweep.
    ///
    /// - Parameters:
    ///   - bytesPerExperiment: the runner's estimate of one experiment while its batch runs.
    ///   - seriesBytes: one experiment's stored series (columns × years × 8).
    ///   - runnerBatch: the runner's own batch size (`SweepRunner.batchSize()`).
    ///   - largestPart: experiments in the largest part.
    ///   - request: the user's options; `memoryMiB` and `batchSize` are honoured.
    /// - Throws: `ClusterError` when `--mem` cannot hold even one experiment per batch, or
    ///   `--batch` does not fit in `--mem`.
    public static func size(bytesPerExperiment: Int, seriesBytes: Int, runnerBatch: Int, largestPart: Int,
                            request: ClusterRequest) throws(ClusterError) -> ClusterSizing {
        let mib = 1 << 20
        func need(_ batch: Int) -> Int { processMiB + (2 * batch * bytesPerExperiment + mib - 1) / mib }
        let batch: Int
        let memory: Int
        switch (request.memoryMiB, request.batchSize) {
        case let (m?, b?):
            guard need(b) <= m else {
                throw ClusterError("--mem \(m)M: too small for --batch \(b): a part needs about \(need(b)) MiB "
                                   + "(\(processMiB) MiB + 2 batches of \(bytesPerExperiment / 1024) KiB per experiment)")
            }
            (batch, memory) = (b, m)
        case let (m?, nil):
            guard need(1) <= m else {
                throw ClusterError("--mem \(m)M: too small: a part needs at least \(need(1)) MiB (\(processMiB) MiB "
                                   + "+ 2 batches of one experiment of \(bytesPerExperiment / 1024) KiB)")
            }
            let fits = (m - processMiB) * mib / max(1, 2 * bytesPerExperiment)
            (batch, memory) = (max(1, min(runnerBatch, largestPart, fits)), m)
        case let (nil, b?):
            (batch, memory) = (b, roundUp(need(min(b, largestPart))))
        case (nil, nil):
            let b = max(1, min(runnerBatch, largestPart))
            (batch, memory) = (b, roundUp(need(b)))
        }
        // The merge: its chunk of records (series, parameters, outcomes: about 3 copies while read
        // and written) and the summaries' blocks.
        let mergeNeed = processMiB + summariesMiB + (3 * mergeChunk * seriesBytes + mib - 1) / mib
        return ClusterSizing(batchSize: batch, partMemoryMiB: memory, mergeMemoryMiB: roundUp(mergeNeed))
    }

    private static func roundUp(_ mib: Int) -> Int { (mib + 63) / 64 * 64 }
}
