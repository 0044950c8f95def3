/// Places a year's pool of displaced workers into channels (docs/MODEL.md §7.2).
///
/// Channels are tried in order; within a channel, sectors in sector order. A channel takes from a
/// sector `min(eligible, share × pool at the start of the year, capacity left this year, capacity
/// left in total)`, drawn from every eligible cell in proportion; the rest spills to the next channel.
public enum ChannelAllocation {
    /// Capacity a channel still has, persons.
    public struct Capacity: Sendable, Equatable {
        /// Left over the whole run.
        public var total: Double
        /// Left this year.
        public var thisYear: Double

        /// Creates a capacity.
        public init(total: Double, thisYear: Double) {
            self.total = total
            self.thisYear = thisYear
        }
    }

    /// Share of cell `cell` eligible for `channel`: 1, or the share within its
    /// `withinYearsOfRetirement` of the retirement age.
    public static func eligibleShare(_ channel: ResettlementChannel, cell: Int, _ structure: WorkforceStructure) -> Double {
        let sex: Sex = cell < structure.bandCount ? .male : .female
        let band = cell % structure.bandCount
        if structure.isPastRetirement(sex, band) { return 0 }
        guard let years = channel.withinYearsOfRetirement else { return 1 }
        return structure.shareWithin(years, ofRetirement: sex, band: band)
    }

    /// Allocates `pool` (per sector index, per cell; reduced in place) and returns the persons
    /// placed per channel, per sector index, per cell.
    public static func allocate(pool: inout [[Double]], channels: [ResettlementChannel],
                                capacity: inout [Capacity], structure: WorkforceStructure) -> [[[Double]]] {
        precondition(capacity.count == channels.count, "one capacity per channel")
        let cells = structure.cellCount
        let poolAtStart = pool.map { $0.reduce(0, +) }
        var placed = Array(repeating: Array(repeating: [Double](repeating: 0, count: cells), count: pool.count),
                           count: channels.count)
        for (c, channel) in channels.enumerated() {
            let eligibleShares = (0..<cells).map { eligibleShare(channel, cell: $0, structure) }
            for sector in Sector.allCases where sector.index < pool.count && channel.accepts(sector) {
                let σ = sector.index
                let eligible = (0..<cells).map { pool[σ][$0] * eligibleShares[$0] }
                let available = eligible.reduce(0, +)
                guard available > 0 else { continue }
                var take = min(available, capacity[c].total, capacity[c].thisYear)
                if let share = channel.share { take = min(take, share * poolAtStart[σ]) }
                guard take > 0 else { continue }
                let factor = take / available
                for j in 0..<cells where eligible[j] > 0 {
                    let moved = eligible[j] * factor
                    pool[σ][j] -= moved
                    placed[c][σ][j] += moved
                }
                capacity[c].total -= take
                capacity[c].thisYear -= take
            }
        }
        return placed
    }
}
