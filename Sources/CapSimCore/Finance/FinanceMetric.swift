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
    /// Debt received from another enterprise's stripping (a holding entity's, §8.7).
    case debtReceived
    /// Assets received: stripped assets, or equity from a swap (a holding entity's, §8.7).
    case assetsReceived
    /// Book value of assets sold by an asset sale (§8.7).
    case assetsSold
    /// Enterprises wound up this year because their last unit closed (count, §8.8).
    case windUps
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
            .debtReceived, .assetsReceived, .assetsSold, .windUps,
        ]

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case let .debtByClass(c): return c.index
        case .debtOpening: return 6
        case .debt: return 7
        case .assets: return 8
        case .equity: return 9
        case .revenue: return 10
        case .operatingCost: return 11
        case .profit: return 12
        case .interestCharged: return 13
        case .interestPaid: return 14
        case .interestCapitalised: return 15
        case .interestSuspended: return 16
        case .interestWaived: return 17
        case .newBorrowing: return 18
        case .repaid: return 19
        case .swapped: return 20
        case .strippedDebt: return 21
        case .strippedAssets: return 22
        case .writtenOff: return 23
        case .mergedIn: return 24
        case .mergedOut: return 25
        case .bankLosses: return 26
        case .assetWriteDown: return 27
        case .zombies: return 28
        case .bankruptcies: return 29
        case .mergers: return 30
        case .enterprisesActive: return 31
        case .debtReceived: return 32
        case .assetsReceived: return 33
        case .assetsSold: return 34
        case .windUps: return 35
        }
    }

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
        case .debtReceived: return "debt_received"
        case .assetsReceived: return "assets_received"
        case .assetsSold: return "assets_sold"
        case .windUps: return "wound_up"
        }
    }

    /// Unit written beside the value.
    public var unit: String {
        switch self {
        case .zombies, .bankruptcies, .mergers, .enterprisesActive, .windUps: return "enterprises"
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
