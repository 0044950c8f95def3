/// The state of a cluster sweep: every part and the merge.
public struct ClusterStatus: Sendable {
    /// The cluster folder, absolute.
    public var folder: String
    /// Its manifest.
    public var manifest: ClusterManifest
    /// One entry per part, in order.
    public var parts: [PartStatus]
    /// The merge (its `part` stands for the whole sweep, number 0, in `merged.sqlite`).
    public var merge: PartStatus
    /// What the scheduler could not tell (jobs purged from the queue, no accounting storage).
    public var notes: [String]

    /// Parts per state.
    public func count(_ state: PartStatus.State) -> Int { parts.filter { $0.state == state }.count }

    /// The report `capsim cluster status` prints: a line per part, the merge, a total.
    public var text: String {
        var lines = ["\(manifest.sweep): \(manifest.experimentCount) experiments in \(parts.count) parts; folder \(folder)"]
        let width = max(5, String(manifest.experimentCount).count * 2 + 1)
        lines.append("part  " + "experiments".padding(toLength: max(11, width), withPad: " ", startingAt: 0)
                     + "  stored  state    job")
        for p in parts {
            let range = "\(p.part.firstExperiment)-\(p.part.firstExperiment + p.part.experimentCount - 1)"
            lines.append(String(p.part.number).padding(toLength: 4, withPad: " ", startingAt: 0) + "  "
                         + range.padding(toLength: max(11, width), withPad: " ", startingAt: 0) + "  "
                         + String(p.stored).leftPadded(6) + "  " + p.state.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                         + "  " + (p.job ?? "-") + (p.detail.isEmpty ? "" : "  " + p.detail))
        }
        lines.append("merge: \(merge.state.rawValue)" + (merge.job.map { ", job \($0)" } ?? "")
                     + (merge.state == .done ? ", \(folder)/\(ClusterManifest.mergedStore) holds all \(merge.stored) experiments" : "")
                     + (merge.detail.isEmpty ? "" : "; \(merge.detail)"))
        let totals = PartStatus.State.allCases.compactMap { s in count(s) > 0 ? "\(count(s)) \(s.rawValue)" : nil }
        let stored = parts.reduce(0) { $0 + $1.stored }
        lines.append("parts: " + totals.joined(separator: ", ") + "; \(stored) of \(manifest.experimentCount) experiments stored")
        for note in notes { lines.append("note: " + note) }
        if parts.contains(where: { $0.state == .failed || $0.state == .missing })
            && !parts.contains(where: { $0.state == .queued || $0.state == .running }) {
            lines.append("`capsim cluster resume \(folder)` resubmits the failed and missing parts, then the merge")
        }
        return lines.joined(separator: "\n")
    }
}

/// One part's state (or the merge's), from its store and its last job.
public struct PartStatus: Sendable {
    /// What a part is doing or has done.
    public enum State: String, Sendable, CaseIterable {
        /// Every experiment of the part is stored and its job has ended.
        case done
        /// Its job waits in the queue.
        case queued
        /// Its job runs.
        case running
        /// Its job ended without storing every experiment, or its store is unusable.
        case failed
        /// Never submitted, or no store and no job the scheduler knows.
        case missing
    }

    /// The part.
    public var part: ClusterManifest.Part
    /// Experiments of the part in its store.
    public var stored: Int
    /// Its last job (`ARRAY_TASK`, or the merge job's id), if ever submitted.
    public var job: String?
    /// The scheduler's state of that job, if it knows it.
    public var jobState: JobState?
    /// The part's state.
    public var state: State
    /// Why, for a state that needs a reason.
    public var detail: String
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
