/// Splits a year's central award funds between sectors (docs/MODEL.md §7.6).
///
/// Base part, `baseShare × amount`: in proportion to
/// `(capacityWeight × cut_σ / Σ cut + workersWeight × displaced_σ / Σ displaced) × difficulty_σ`.
/// Reward part, `(1 − baseShare) × amount`: in proportion to over-fulfilment
/// `max(0, cut_σ − target_σ)` of sectors with a target that year. A part with nothing to split
/// on stays unallocated.
public enum AwardFundAllocation {
    /// The split of one year's amount.
    public struct Split: Sendable, Equatable {
        /// Yuan allocated per sector.
        public var bySector: [Sector: Double]
        /// Yuan not allocated (no cut, no displaced workers, or no over-fulfilment).
        public var unallocated: Double
    }

    /// Splits `amount` between the fund's sectors given each sector's capacity cut (10 kt/yr),
    /// workers displaced (persons) and target (10 kt/yr; absent when the sector has none that year).
    public static func split(amount: Double, fund: AwardFund, capacityCut: [Sector: Double],
                             displaced: [Sector: Double], target: [Sector: Double]) -> Split {
        var out: [Sector: Double] = [:]
        var unallocated = 0.0
        let sectors = Sector.allCases.filter { fund.sectors.contains($0) }
        let totalCut = sectors.reduce(0) { $0 + (capacityCut[$1] ?? 0) }
        let totalDisplaced = sectors.reduce(0) { $0 + (displaced[$1] ?? 0) }
        var weight: [Sector: Double] = [:]
        for σ in sectors {
            let cutShare = totalCut > 0 ? (capacityCut[σ] ?? 0) / totalCut : 0
            let workerShare = totalDisplaced > 0 ? (displaced[σ] ?? 0) / totalDisplaced : 0
            weight[σ] = (fund.capacityWeight * cutShare + fund.workersWeight * workerShare) * (fund.difficulty[σ] ?? 1)
        }
        let base = fund.baseShare * amount
        let totalWeight = sectors.reduce(0) { $0 + weight[$1]! }
        if totalWeight > 0 {
            for σ in sectors { out[σ, default: 0] += base * weight[σ]! / totalWeight }
        } else {
            unallocated += base
        }
        let reward = amount - base
        var excess: [Sector: Double] = [:]
        for σ in sectors { if let t = target[σ] { excess[σ] = max(0, (capacityCut[σ] ?? 0) - t) } }
        let totalExcess = excess.values.reduce(0, +)
        if totalExcess > 0 {
            for σ in sectors { out[σ, default: 0] += reward * (excess[σ] ?? 0) / totalExcess }
        } else {
            unallocated += reward
        }
        return Split(bySector: out, unallocated: unallocated)
    }
}
