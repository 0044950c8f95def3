/// A quantity of an enterprise's accounts per year (yuan unless stated), docs/MODEL.md §8.
public enum FinanceMetric: Sendable, Equatable, Hashable {
    /// Debt owed to one creditor class at the end of the year.
    case debtByClass(CreditorClass)
    case debtOpening, debt, assets, equity
    case revenue, operatingCost, profit
    /// Interest charged on the year's opening debt (suspended interest is not charged).
    case interestCharged
    case interestPaid, interestCapitalised, interestSuspended, interestWaived
    case newBorrowing, repaid, swapped, strippedDebt, strippedAssets, writtenOff
    case mergedIn, mergedOut
    /// Losses of banks: bank debt written off, waived or lost in bankruptcy.
    case bankLosses
    case assetWriteDown
    /// Enterprises flagged as zombies this year (count).
    case zombies
    case bankruptcies, mergers
    /// Enterprises still operating as separate entities at the end of the year (count).
    case enterprisesActive

    /// Every metric, in output order.
    public static let allCases: [FinanceMetric] =
        CreditorClass.allCases.map { .debtByClass($0) } + [
            .debtOpening, .debt, .assets, .equity, .revenue, .operatingCost, .profit, .interestCharged,
            .interestPaid, .interestCapitalised, .interestSuspended, .interestWaived, .newBorrowing, .repaid,
            .swapped, .strippedDebt, .strippedAssets, .writtenOff, .mergedIn, .mergedOut, .bankLosses,
            .assetWriteDown, .zombies, .bankruptcies, .mergers, .enterprisesActive,
        ]

    /// Position in `allCases`.
    public var index: Int { FinanceMetric.allCases.firstIndex(of: self)! }

    /// Name in `projections.csv`.
    public var name: String {
        switch self {
        case let .debtByClass(c): return "debt.\(c.rawValue)"
        case .debtOpening: return "debt_opening"
        case .debt: return "debt"
        case .assets: return "assets"
        case .equity: return "equity"
        case .revenue: return "revenue"
        case .operatingCost: return "operating_cost"
        case .profit: return "profit"
        case .interestCharged: return "interest_charged"
        case .interestPaid: return "interest_paid"
        case .interestCapitalised: return "interest_capitalised"
        case .interestSuspended: return "interest_suspended"
        case .interestWaived: return "interest_waived"
        case .newBorrowing: return "new_borrowing"
        case .repaid: return "debt_repaid"
        case .swapped: return "debt_swapped"
        case .strippedDebt: return "debt_stripped"
        case .strippedAssets: return "assets_stripped"
        case .writtenOff: return "debt_written_off"
        case .mergedIn: return "debt_merged_in"
        case .mergedOut: return "debt_merged_out"
        case .bankLosses: return "bank_losses"
        case .assetWriteDown: return "asset_write_down"
        case .zombies: return "zombies"
        case .bankruptcies: return "bankruptcies"
        case .mergers: return "mergers"
        case .enterprisesActive: return "enterprises_active"
        }
    }

    /// Unit written beside the value.
    public var unit: String {
        switch self {
        case .zombies, .bankruptcies, .mergers, .enterprisesActive: return "enterprises"
        default: return "yuan"
        }
    }

    /// Whether the value is a stock at the end of the year (not a flow in the year).
    public var isStock: Bool {
        switch self {
        case .debtByClass, .debtOpening, .debt, .assets, .equity, .enterprisesActive: return true
        default: return false
        }
    }
}
