/// Which enterprises a lever or a zombie action applies to. Every set condition must hold.
public struct EnterpriseFilter: Sendable, Equatable {
    /// Main sectors (the sector of most of the enterprise's base capacity); empty = any.
    public var sectors: [Sector]
    /// Owner type, if set.
    public var owner: OwnerType?
    /// Enterprise ids; empty = any.
    public var enterprises: [String]
    /// Only enterprises already flagged as zombies. Levers run before the year's zombie test, so
    /// for a lever that means an earlier year; a zombie action also sees this year's flag.
    public var zombiesOnly: Bool

    /// Creates a filter.
    public init(sectors: [Sector] = [], owner: OwnerType? = nil, enterprises: [String] = [], zombiesOnly: Bool = false) {
        self.sectors = sectors
        self.owner = owner
        self.enterprises = enterprises
        self.zombiesOnly = zombiesOnly
    }
}

/// A debt lever the plan can pull (A1 L215, G L56, docs/MODEL.md §8).
public enum DebtInstrumentKind: String, CaseIterable, Sendable {
    /// Waive a share of accrued but unpaid interest (免去应付未付利息).
    case interestWaiver = "interest_waiver"
    /// Suspend interest on the listed classes while active (停息挂账): not charged, carried as a memo.
    case interestSuspension = "interest_suspension"
    /// Convert a share of the listed classes into equity (债转股).
    case debtEquitySwap = "debt_equity_swap"
    /// Move a share of assets to a disposal company, with debt following the assets (债务随资产走).
    case assetStripping = "asset_stripping"
    /// Write off a share of the listed classes (核销).
    case writeOff = "write_off"
    /// Sell a share of assets at a recovery share of their book value; the proceeds repay the
    /// listed classes (a disposal platform's lever, §8.7).
    case assetSale = "asset_sale"
}

/// One lever with its eligibility, years and size.
public struct DebtInstrument: Sendable, Equatable {
    /// Identifier.
    public var id: String
    /// What it does.
    public var kind: DebtInstrumentKind
    /// Years in which it applies (each active year for the one-off kinds).
    public var years: ClosedRange<Int>
    /// Eligible enterprises.
    public var filter: EnterpriseFilter
    /// Creditor classes it acts on.
    public var creditors: [CreditorClass]
    /// Share acted on, in [0, 1]: of unpaid interest (waiver), of the classes' debt (swap, write-off),
    /// of assets (stripping). Ignored for suspension.
    public var share: Double
    /// Stripping only: share of each listed class's debt that follows the assets.
    public var debtFollowsShare: Double
    /// Stripping and swap only: the holding entity (§8.7) that receives the stripped assets and the
    /// debt that follows them, or the swapped equity; nil: they leave the model.
    public var recipient: String?
    /// Asset sale only: proceeds per yuan of book value sold, in [0, 1].
    public var recoveryShare: Double

    /// Creates an instrument.
    public init(id: String, kind: DebtInstrumentKind, years: ClosedRange<Int>, filter: EnterpriseFilter = .init(),
                creditors: [CreditorClass], share: Double = 1, debtFollowsShare: Double? = nil,
                recipient: String? = nil, recoveryShare: Double = 1) {
        self.id = id
        self.kind = kind
        self.years = years
        self.filter = filter
        self.creditors = creditors
        self.share = share
        self.debtFollowsShare = debtFollowsShare ?? share
        self.recipient = recipient
        self.recoveryShare = recoveryShare
    }
}

/// What happens to a zombie enterprise.
public enum ZombieActionKind: String, CaseIterable, Sendable {
    /// Flagged and counted only.
    case none
    /// Liquidation: creditors recover their class's recovery rate, the rest is written off, the
    /// enterprise exits and its units close the next year.
    case bankruptcy
    /// Merged into a stronger enterprise, which takes its assets, debt and units.
    case merger
}

/// A zombie action for the zombies its filter matches.
public struct ZombieAction: Sendable, Equatable {
    /// Zombies it applies to.
    public var filter: EnterpriseFilter
    /// What happens.
    public var kind: ZombieActionKind
    /// Bankruptcy: share of each class's debt recovered, in [0, 1] (`CreditorClass.allCases` order).
    public var recovery: [Double]
    /// Merger: the acquiring enterprise's id.
    public var acquirer: String?

    /// Creates an action.
    public init(filter: EnterpriseFilter = .init(), kind: ZombieActionKind, recovery: [CreditorClass: Double] = [:],
                acquirer: String? = nil) {
        self.filter = filter
        self.kind = kind
        self.recovery = CreditorClass.allCases.map { recovery[$0] ?? 0 }
        self.acquirer = acquirer
    }
}

/// Zombie identification (A1 L206) and what happens to zombies.
public struct ZombiePolicy: Sendable, Equatable {
    /// Months halted in the year at or above which the halt criterion holds (halted months =
    /// 12 × (1 − operating capacity / base capacity)).
    public var haltedMonths: Double
    /// Debt-to-assets ratio above which the leverage criterion holds.
    public var debtToAssets: Double
    /// Consecutive loss-making years at or above which the loss criterion holds.
    public var lossYears: Int
    /// true: a zombie meets all three criteria; false: any one.
    public var requireAll: Bool
    /// Actions, first matching applies; a zombie matching none is only flagged.
    public var actions: [ZombieAction]

    /// The seed's criteria (A1 L206): halted ≥ 6 months, debt/assets > 85 %, losses ≥ 3 years, any one.
    public static let seedDefaults = ZombiePolicy(haltedMonths: 6, debtToAssets: 0.85, lossYears: 3, requireAll: false,
                                                  actions: [])

    /// Creates a zombie policy.
    public init(haltedMonths: Double, debtToAssets: Double, lossYears: Int, requireAll: Bool, actions: [ZombieAction]) {
        self.haltedMonths = haltedMonths
        self.debtToAssets = debtToAssets
        self.lossYears = lossYears
        self.requireAll = requireAll
        self.actions = actions
    }
}

/// What happens to an enterprise whose last unit has closed (docs/MODEL.md §8.8): it is wound up,
/// a separate outcome from a zombie's bankruptcy.
public enum WindUpKind: String, CaseIterable, Sendable {
    /// Liquidated: creditors recover their class's recovery share of its remaining assets.
    case liquidation
    /// Absorbed by another enterprise, which takes its assets and debt.
    case absorption
}

/// The wind-up of enterprises with no unit left (§8.8).
public struct WindUpPolicy: Sendable, Equatable {
    /// Liquidation or absorption.
    public var kind: WindUpKind
    /// Liquidation: share of each class's debt recovered, in [0, 1] (`CreditorClass.allCases` order).
    public var recovery: [Double]
    /// Absorption: the absorbing enterprise's id.
    public var acquirer: String?

    /// Creates a wind-up policy.
    public init(kind: WindUpKind, recovery: [CreditorClass: Double] = [:], acquirer: String? = nil) {
        self.kind = kind
        self.recovery = CreditorClass.allCases.map { recovery[$0] ?? 0 }
        self.acquirer = acquirer
    }
}

/// Enterprise accounting parameters and debt levers of one scenario.
public struct FinancePolicy: Sendable, Equatable {
    /// Share of a closed unit's book value written off at closure, in [0, 1].
    public var assetWriteDownShare: Double
    /// Share of positive cash flow after interest used to repay interest-bearing debt, in [0, 1].
    public var repaymentShare: Double
    /// Levers, applied in order each year after the accounts.
    public var instruments: [DebtInstrument]
    /// Zombie identification and actions.
    public var zombies: ZombiePolicy
    /// The wind-up of enterprises whose units have all closed (§8.8); nil: they stay open and are
    /// tested as zombies like any enterprise.
    public var windUp: WindUpPolicy?

    /// Creates a finance policy.
    public init(assetWriteDownShare: Double, repaymentShare: Double, instruments: [DebtInstrument] = [],
                zombies: ZombiePolicy = .seedDefaults, windUp: WindUpPolicy? = nil) {
        self.assetWriteDownShare = assetWriteDownShare
        self.repaymentShare = repaymentShare
        self.instruments = instruments
        self.zombies = zombies
        self.windUp = windUp
    }
}
