/// What a user asks of the cluster for a sweep: the number of parts and the resources of each
/// job. Checked by `validated()`; the memory and batch size are then sized by `ClusterSizing`.
public struct ClusterRequest: Sendable, Equatable {
    /// Parts (array tasks); part `K` runs shard `K/N`.
    public var parts: Int
    /// The partition (queue), or nil for the cluster's default.
    public var partition: String?
    /// The time limit per job in Slurm's format (`MM`, `HH:MM:SS`, `D-HH:MM`, ...), or nil for the
    /// partition's default.
    public var time: String?
    /// Memory per part, MiB, or nil to size it from the sweep.
    public var memoryMiB: Int?
    /// At most this many parts at once, or nil for no limit.
    public var maxRunning: Int?
    /// CPUs per part; each part runs as many threads.
    public var cpusPerTask: Int
    /// Experiments per batch, or nil to size it from the memory.
    public var batchSize: Int?

    /// Creates a request.
    public init(parts: Int, partition: String? = nil, time: String? = nil, memoryMiB: Int? = nil, maxRunning: Int? = nil,
                cpusPerTask: Int = 1, batchSize: Int? = nil) {
        self.parts = parts
        self.partition = partition
        self.time = time
        self.memoryMiB = memoryMiB
        self.maxRunning = maxRunning
        self.cpusPerTask = cpusPerTask
        self.batchSize = batchSize
    }

    /// Every problem with the options themselves, each naming its option; empty when none.
    public func problems() -> [String] {
        var out: [String] = []
        if parts < 1 { out.append("--parts \(parts): must be at least 1") }
        if cpusPerTask < 1 { out.append("--cpus-per-task \(cpusPerTask): must be at least 1") }
        if let k = maxRunning, k < 1 { out.append("--max-running \(k): must be at least 1") }
        if let b = batchSize, b < 1 { out.append("--batch \(b): must be at least 1") }
        if let m = memoryMiB, m < 1 { out.append("--mem: must be at least 1M") }
        if let t = time, !Self.isSlurmTime(t) {
            out.append("--time \(t): not a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED)")
        }
        if let p = partition, p.isEmpty || p.contains(where: { $0.isWhitespace || $0 == "#" }) {
            out.append("--partition '\(p)': a partition name has no spaces or #")
        }
        return out
    }

    /// Slurm's time formats: minutes, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`.
    static func isSlurmTime(_ text: String) -> Bool {
        if ["UNLIMITED", "INFINITE"].contains(text.uppercased()) { return true }
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return false }
        let clock = dayParts[dayParts.count - 1].split(separator: ":", omittingEmptySubsequences: false)
        let numbers = (dayParts.count == 2 ? [dayParts[0]] : []) + clock
        return clock.count <= 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Reads a memory size as Slurm writes it: a number of MiB, or with a suffix K, M, G or T.
    ///
    /// - Returns: MiB (a size in KiB rounded up), or nil if `text` is not a size.
    public static func memoryMiB(_ text: String) -> Int? {
        var digits = Substring(text.uppercased())
        var factorKiB = 1024
        switch digits.last {
        case "K": factorKiB = 1
        case "M": factorKiB = 1024
        case "G": factorKiB = 1024 * 1024
        case "T": factorKiB = 1024 * 1024 * 1024
        default: break
        }
        if let last = digits.last, "KMGT".contains(last) { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        let (kib, overflow) = n.multipliedReportingOverflow(by: factorKiB)
        guard !overflow else { return nil }
        return (kib + 1023) / 1024
    }
}
