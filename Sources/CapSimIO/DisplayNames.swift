import CapSimCore

/// A name to show a planner, in Chinese and English.
public struct DisplayName: Sendable, Equatable {
    /// The Chinese name (`煤炭`).
    public var zh: String
    /// The English name (`coal`).
    public var en: String

    /// Creates a name.
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// Both, for a header a reader of either language understands: `煤炭 coal`.
    public var both: String { zh + " " + en }
}

/// The one table of display names of sectors, payers, channel kinds, worker states, creditors and
/// headline figures, used by the terminal summary, `compare`, the workbook and the charts, so the
/// same thing has the same name everywhere.
public enum DisplayNames {
    /// A sector's name: 煤炭 coal, 炼铁 iron, 炼钢 steel, 水泥熟料 clinker, 水泥粉磨 grinding.
    public static func sector(_ s: Sector) -> DisplayName {
        switch s {
        case .coal: return DisplayName(zh: "煤炭", en: "coal")
        case .iron: return DisplayName(zh: "炼铁", en: "iron")
        case .steel: return DisplayName(zh: "炼钢", en: "steel")
        case .clinker: return DisplayName(zh: "水泥熟料", en: "clinker")
        case .grinding: return DisplayName(zh: "水泥粉磨", en: "grinding")
        }
    }

    /// A sector id as in the tables (`coal`), or `all` (all sectors); unknown ids are shown as they are.
    public static func sector(id: String) -> DisplayName {
        if id == "all" { return DisplayName(zh: "合计", en: "all sectors") }
        return Sector(rawValue: id).map(sector) ?? DisplayName(zh: id, en: id)
    }

    /// Who pays a resettlement cost.
    public static func payer(_ p: Payer) -> DisplayName {
        switch p {
        case .enterprise: return DisplayName(zh: "企业", en: "enterprise")
        case .centralAward: return DisplayName(zh: "中央专项奖补资金", en: "central award fund")
        case .jobRetentionRefund: return DisplayName(zh: "稳岗补贴", en: "job-retention refund")
        case .unemploymentInsurance: return DisplayName(zh: "失业保险基金", en: "unemployment insurance")
        case .provincialBudget: return DisplayName(zh: "省级财政", en: "provincial budget")
        case .localBudget: return DisplayName(zh: "市县财政", en: "prefecture and county budgets")
        }
    }

    /// A payer id as in `paid.<payer>`; unknown ids are shown as they are.
    public static func payer(id: String) -> DisplayName {
        Payer(rawValue: id).map(payer) ?? DisplayName(zh: id, en: id)
    }

    /// A kind of resettlement channel.
    public static func channelKind(_ k: ChannelKind) -> DisplayName {
        switch k {
        case .internalTransfer: return DisplayName(zh: "内部转岗", en: "internal transfer")
        case .otherEnterprise: return DisplayName(zh: "转岗到其他企业", en: "other enterprises")
        case .absorbingProject: return DisplayName(zh: "项目吸纳", en: "absorbing project")
        case .internalRetirement: return DisplayName(zh: "内部退养", en: "internal retirement")
        case .publicWelfare: return DisplayName(zh: "公益性岗位", en: "public-welfare jobs")
        case .training: return DisplayName(zh: "培训和创业", en: "training and self-employment")
        case .contractTermination: return DisplayName(zh: "解除劳动关系", en: "contract termination")
        case .registeredUnemployment: return DisplayName(zh: "登记失业", en: "registered unemployment")
        }
    }

    /// A worker state (`workers_<state>` in `projections.csv`).
    public static func workerState(_ s: WorkerState) -> DisplayName {
        switch s {
        case .waiting: return DisplayName(zh: "待安置", en: "waiting for placement")
        case .inTraining: return DisplayName(zh: "培训中", en: "in training")
        case .reemployed: return DisplayName(zh: "再就业", en: "re-employed")
        case .publicWelfare: return DisplayName(zh: "公益性岗位", en: "public-welfare job")
        case .unemployed: return DisplayName(zh: "失业", en: "unemployed")
        case .internallyRetired: return DisplayName(zh: "内部退养", en: "internally retired")
        case .retired: return DisplayName(zh: "退休", en: "retired")
        case .outOfLabourForce: return DisplayName(zh: "退出劳动力市场", en: "out of the labour force")
        }
    }

    /// A creditor class (`debt.<class>`).
    public static func creditor(_ c: CreditorClass) -> DisplayName {
        switch c {
        case .bankLoans: return DisplayName(zh: "银行贷款", en: "bank loans")
        case .bonds: return DisplayName(zh: "债券", en: "bonds")
        case .privateFinancing: return DisplayName(zh: "民间融资", en: "private financing")
        case .wageArrears: return DisplayName(zh: "拖欠工资", en: "wage arrears")
        case .taxArrears: return DisplayName(zh: "欠税", en: "tax arrears")
        case .socialInsuranceArrears: return DisplayName(zh: "欠缴社保", en: "social-insurance arrears")
        }
    }

    /// A metric of `projections.csv` by name: the capacity metrics, the worker states and the main
    /// debt accounts have names; a channel's or payer's quantity is named after its kind and id;
    /// any other name is shown as it is.
    public static func metric(_ name: String) -> DisplayName {
        if let m = Metric(rawValue: name) {
            switch m {
            case .unitsOperating: return DisplayName(zh: "在产单位数", en: "units operating")
            case .capacity: return DisplayName(zh: "产能", en: "capacity")
            case .unitsClosed: return DisplayName(zh: "关闭单位数", en: "units closed")
            case .capacityClosed: return DisplayName(zh: "退出产能", en: "capacity closed")
            case .unitsOpened: return DisplayName(zh: "新建单位数", en: "units opened")
            case .capacityOpened: return DisplayName(zh: "新增产能", en: "capacity opened")
            case .netCapacityReduction: return DisplayName(zh: "净压减产能", en: "net capacity reduction")
            case .output: return DisplayName(zh: "产量", en: "output")
            }
        }
        if name.hasPrefix("workers_"), let s = WorkerState(rawValue: String(name.dropFirst("workers_".count))) {
            return workerState(s)
        }
        if name.hasPrefix("debt."), let c = CreditorClass(rawValue: String(name.dropFirst("debt.".count))) {
            let n = creditor(c)
            return DisplayName(zh: "债务: " + n.zh, en: "debt: " + n.en)
        }
        if name.hasPrefix("paid.") {
            let n = payer(id: String(name.dropFirst("paid.".count)))
            return DisplayName(zh: "支付: " + n.zh, en: "paid by " + n.en)
        }
        for (prefix, zh, en) in [("workers_placed_cumulative.", "累计安置: ", "placed to date: "),
                                 ("workers_placed.", "安置: ", "placed: "), ("cost.", "费用: ", "cost: ")] where name.hasPrefix(prefix) {
            let id = String(name.dropFirst(prefix.count))
            return DisplayName(zh: zh + id, en: en + id)
        }
        let named: [String: (String, String)] = [
            "workers_displaced": ("分流职工", "workers displaced"),
            "workers_displaced_cumulative": ("累计分流职工", "workers displaced to date"),
            "debt": ("债务", "debt"), "assets": ("资产", "assets"), "equity": ("所有者权益", "equity"),
            "debt_written_off": ("核销债务", "debt written off"), "debt_swapped": ("债转股", "debt swapped"),
            "debt_stripped": ("剥离债务", "debt stripped"), "debt_repaid": ("偿还债务", "debt repaid"),
            "bank_losses": ("银行损失", "bank losses"), "bankruptcies": ("破产企业", "bankruptcies"),
            "mergers": ("兼并企业", "mergers"), "zombies": ("僵尸企业", "zombie enterprises"),
            "profit": ("利润", "profit"), "revenue": ("收入", "revenue"),
            "debt_received": ("承接债务", "debt received"), "assets_received": ("承接资产", "assets received"),
            "assets_sold": ("处置资产", "assets sold"), "wound_up": ("清算或并入企业", "enterprises wound up"),
        ]
        if let (zh, en) = named[name] { return DisplayName(zh: zh, en: en) }
        return DisplayName(zh: name, en: name)
    }
}
