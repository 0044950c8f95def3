/// Every scenario's finance policy and sector paths as flat, typed arrays (docs/MODEL.md §8.0).
///
/// Built once per batch, before the first year, so the year step reads numbers by index only: no
/// dictionary, no `String`, no optional. Layout: the scenario index `s` is innermost everywhere
/// (`S` scenarios, `E` enterprises, `C` creditor classes, `Y` reported years, `Q` sectors). Scenarios
/// with fewer levers or actions than the batch's largest count are padded with entries that never
/// apply (eligible nowhere).
struct CompiledFinancePolicy {
    /// An enterprise filter without its zombies-only condition, as a dictionary key.
    private struct FilterKey: Hashable {
        var sectors: [Sector]
        var owner: OwnerType?
        var enterprises: [String]
    }

    /// Lever kinds as codes.
    enum LeverCode {
        static let interestWaiver: UInt8 = 0
        static let interestSuspension: UInt8 = 1
        static let debtEquitySwap: UInt8 = 2
        static let assetStripping: UInt8 = 3
        static let writeOff: UInt8 = 4
        static let assetSale: UInt8 = 5
    }

    /// Zombie action kinds as codes.
    enum ActionCode {
        static let none: UInt8 = 0
        static let bankruptcy: UInt8 = 1
        static let merger: UInt8 = 2
    }

    let scenarioCount: Int
    /// `[s]`: share of a closed unit's book value written off.
    let writeDownShare: [Double]
    /// `[s]`: share of the surplus after interest repaid.
    let repaymentShare: [Double]
    /// `[(y · Q + sector) · S + s]`: utilisation in reported year `y`.
    let utilisation: [Double]
    /// `[(y · Q + sector) · S + s]`: price index in reported year `y`.
    let priceIndex: [Double]

    /// Levers per scenario after padding.
    let leverCount: Int
    /// `[k · S + s]`, lever `k` of scenario `s`: kind code, first and last year, share, share of debt
    /// following stripped assets, creditor classes as a bit set over `CreditorClass.index`, zombies only.
    let leverKind: [UInt8]
    let leverFirst: [Int]
    let leverLast: [Int]
    let leverShare: [Double]
    let leverFollows: [Double]
    let leverCreditors: [UInt8]
    let leverZombiesOnly: [Bool]
    /// `[k · S + s]`: the receiving holding entity's enterprise index (stripping, swap), −1 for none.
    let leverRecipient: [Int32]
    /// `[k · S + s]`: asset sale's proceeds per yuan of book value sold.
    let leverRecovery: [Double]
    /// `[(k · E + e) · S + s]`: lever `k`'s filter matches enterprise `e` in scenario `s`, zombie
    /// flag aside (main sector, owner type and id are fixed, so this is known before the first year).
    let leverEligible: [Bool]

    /// `[s]`: zombie criteria.
    let haltedMonths: [Double]
    let debtToAssets: [Double]
    let lossYears: [Int]
    let requireAll: [Bool]
    /// `[e · S + s]`: the first zombie action whose filter matches `e` in scenario `s`, −1 if none.
    /// The filter's zombies-only condition always holds when an action is chosen (the flag is set
    /// just before), so the choice is fixed before the first year.
    let firstAction: [Int32]
    /// `[a · S + s]`: action `a`'s kind code.
    let actionKind: [UInt8]
    /// `[(a · C + c) · S + s]`: bankruptcy recovery rate of class `c`.
    let actionRecovery: [Double]
    /// `[a · S + s]`: merger acquirer's enterprise index, −1 when unknown or not given.
    let actionAcquirer: [Int32]
    /// `[s]`: wind-up kind code (§8.8): 0 none, 1 liquidation, 2 absorption.
    let windUpKind: [UInt8]
    /// `[c · S + s]`: liquidation recovery share of class `c`.
    let windUpRecovery: [Double]
    /// `[s]`: absorbing enterprise's index, −1 when unknown or not given.
    let windUpAcquirer: [Int32]

    init(_ policies: [Policy], enterprises: [Enterprise], mainSector: [Sector], years: [Int]) {
        let finance = policies.map { p -> FinancePolicy in
            guard let f = p.finance else { preconditionFailure("every scenario of a finance batch models debt") }
            return f
        }
        let S = policies.count, E = enterprises.count, C = CreditorClass.allCases.count
        let Q = Sector.allCases.count
        scenarioCount = S
        writeDownShare = finance.map(\.assetWriteDownShare)
        repaymentShare = finance.map(\.repaymentShare)
        var u = [Double](repeating: 0, count: years.count * Q * S), pi = u
        for (y, year) in years.enumerated() {
            for sector in Sector.allCases {
                for s in 0..<S {
                    let sp = policies[s].sector(sector)
                    u[(y * Q + sector.index) * S + s] = sp.utilisation(in: year)
                    pi[(y * Q + sector.index) * S + s] = sp.priceIndex(in: year)
                }
            }
        }
        utilisation = u
        priceIndex = pi

        var index: [String: Int] = [:]
        for (e, enterprise) in enterprises.enumerated() { index[enterprise.id] = e }
        let owners = enterprises.map(\.owner), ids = enterprises.map(\.id)
        // Each distinct filter is evaluated over the enterprises once: the scenarios of a sweep
        // mostly share their filters, so a batch has few distinct ones.
        var masks: [FilterKey: [Bool]] = [:]
        func mask(_ filter: EnterpriseFilter) -> [Bool] {
            let key = FilterKey(sectors: filter.sectors, owner: filter.owner, enterprises: filter.enterprises)
            if let known = masks[key] { return known }
            let wanted = Set(filter.enterprises)
            let named = ids.map { wanted.isEmpty || wanted.contains($0) }
            let m = (0..<E).map { e in
                (filter.sectors.isEmpty || filter.sectors.contains(mainSector[e]))
                    && (filter.owner == nil || owners[e] == filter.owner) && named[e]
            }
            masks[key] = m
            return m
        }

        let L = finance.map(\.instruments.count).max() ?? 0
        leverCount = L
        var kind = [UInt8](repeating: LeverCode.interestSuspension, count: L * S)
        var first = [Int](repeating: Int.max, count: L * S), last = [Int](repeating: Int.min, count: L * S)
        var share = [Double](repeating: 0, count: L * S), follows = share
        var creditors = [UInt8](repeating: 0, count: L * S)
        var zombiesOnly = [Bool](repeating: false, count: L * S)
        var recipient = [Int32](repeating: -1, count: L * S)
        var recovery = [Double](repeating: 0, count: L * S)
        var eligible = [Bool](repeating: false, count: L * E * S)
        for s in 0..<S {
            for (k, inst) in finance[s].instruments.enumerated() {
                let i = k * S + s
                switch inst.kind {
                case .interestWaiver: kind[i] = LeverCode.interestWaiver
                case .interestSuspension: kind[i] = LeverCode.interestSuspension
                case .debtEquitySwap: kind[i] = LeverCode.debtEquitySwap
                case .assetStripping: kind[i] = LeverCode.assetStripping
                case .writeOff: kind[i] = LeverCode.writeOff
                case .assetSale: kind[i] = LeverCode.assetSale
                }
                if let id = inst.recipient {
                    guard let t = index[id] else { preconditionFailure("no holding entity \(id)") }
                    recipient[i] = Int32(t)
                }
                recovery[i] = inst.recoveryShare
                first[i] = inst.years.lowerBound
                last[i] = inst.years.upperBound
                share[i] = inst.share
                follows[i] = inst.debtFollowsShare
                creditors[i] = inst.creditors.reduce(0) { $0 | UInt8(1 << $1.index) }
                zombiesOnly[i] = inst.filter.zombiesOnly
                let m = mask(inst.filter)
                for e in 0..<E { eligible[(k * E + e) * S + s] = m[e] }
            }
        }
        leverKind = kind
        leverFirst = first
        leverLast = last
        leverShare = share
        leverFollows = follows
        leverCreditors = creditors
        leverZombiesOnly = zombiesOnly
        leverRecipient = recipient
        leverRecovery = recovery
        leverEligible = eligible

        haltedMonths = finance.map(\.zombies.haltedMonths)
        debtToAssets = finance.map(\.zombies.debtToAssets)
        lossYears = finance.map(\.zombies.lossYears)
        requireAll = finance.map(\.zombies.requireAll)
        let A = finance.map(\.zombies.actions.count).max() ?? 0
        var chosen = [Int32](repeating: -1, count: E * S)
        var actionKind = [UInt8](repeating: ActionCode.none, count: A * S)
        var actionRecoveryRates = [Double](repeating: 0, count: A * C * S)
        var acquirer = [Int32](repeating: -1, count: A * S)
        for s in 0..<S {
            let actions = finance[s].zombies.actions
            let actionMasks = actions.map { mask($0.filter) }
            for (a, action) in actions.enumerated() {
                switch action.kind {
                case .none: actionKind[a * S + s] = ActionCode.none
                case .bankruptcy: actionKind[a * S + s] = ActionCode.bankruptcy
                case .merger: actionKind[a * S + s] = ActionCode.merger
                }
                for c in 0..<C { actionRecoveryRates[(a * C + c) * S + s] = action.recovery[c] }
                if let id = action.acquirer, let e = index[id] { acquirer[a * S + s] = Int32(e) }
            }
            for e in 0..<E {
                if let a = actionMasks.firstIndex(where: { $0[e] }) { chosen[e * S + s] = Int32(a) }
            }
        }
        firstAction = chosen
        self.actionKind = actionKind
        actionRecovery = actionRecoveryRates
        actionAcquirer = acquirer
        var windKind = [UInt8](repeating: 0, count: S), windRecovery = [Double](repeating: 0, count: C * S)
        var windAcquirer = [Int32](repeating: -1, count: S)
        for s in 0..<S {
            guard let w = finance[s].windUp else { continue }
            windKind[s] = w.kind == .liquidation ? 1 : 2
            for c in 0..<C { windRecovery[c * S + s] = w.recovery[c] }
            if let id = w.acquirer, let e = index[id] { windAcquirer[s] = Int32(e) }
        }
        windUpKind = windKind
        windUpRecovery = windRecovery
        windUpAcquirer = windAcquirer
    }
}
