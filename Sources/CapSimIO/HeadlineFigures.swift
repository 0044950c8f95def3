import CapSimCore
import Foundation

/// The figures a planner puts in a briefing, in planner units (万吨/年, persons, 亿元), computed once
/// from a run and shown the same way by the terminal summary, `summary.json` (`headline`), `compare`
/// and the workbook. Definitions are in docs/SUMMARY-JSON.md ("headline").
public struct HeadlineFigures: Codable, Sendable, Equatable {
    /// The unit a figure is given in.
    public enum PlannerUnit: String, Codable, Sendable, CaseIterable {
        /// 10kt/yr of capacity (万吨/年).
        case tenKilotonnesPerYear = "万吨/年"
        /// Persons (人); the workbook also shows 万人.
        case persons = "人"
        /// 100 million yuan (亿元).
        case hundredMillionYuan = "亿元"
        /// Production units (mines, furnaces, lines).
        case units = "个"
        /// Enterprises (家).
        case enterprises = "家"
    }

    /// One figure: what, for which sector (or `all`), optionally which channel or payer, and for
    /// peaks the year it is reached.
    public struct Figure: Codable, Sendable, Equatable {
        /// What the figure is (`capacity_closed`, `workers_unemployed_peak`, ...; see `Key`).
        public var key: String
        /// A sector id, or `all` for the sum over sectors.
        public var sector: String
        /// A channel id (`workers_placed`) or payer id (`resettlement_cost`); nil otherwise.
        public var detail: String?
        /// The year a peak is reached; nil for other figures.
        public var year: Int?
        /// The unit of `value`.
        public var unit: PlannerUnit
        /// The value, rounded to the figure's decimals (whole persons and units, 6 decimals of
        /// 万吨, 4 of 亿元 = 10,000 yuan).
        public var value: Decimal

        enum CodingKeys: String, CodingKey { case key, sector, detail, year, unit, value }
    }

    /// The headline keys, in the order they are shown, with their display names.
    public enum Key: String, CaseIterable, Sendable {
        case capacityBase = "capacity_base", capacityClosed = "capacity_closed", capacityOpened = "capacity_opened"
        case capacityEnd = "capacity_end", unitsClosed = "units_closed"
        case workersDisplaced = "workers_displaced", workersPlaced = "workers_placed"
        case workersWaitingEnd = "workers_waiting_end", workersInTrainingEnd = "workers_in_training_end"
        case workersUnemployedPeak = "workers_unemployed_peak", workersUnemployedEnd = "workers_unemployed_end"
        case workersWithoutJobEnd = "workers_without_job_end"
        case resettlementCost = "resettlement_cost"
        case debtBase = "debt_base", debtEnd = "debt_end", debtWrittenOff = "debt_written_off"
        case debtSwapped = "debt_swapped", debtStripped = "debt_stripped", bankLosses = "bank_losses"
        case enterprisesBankrupt = "enterprises_bankrupt", enterprisesMerged = "enterprises_merged"
        case enterprisesActiveBase = "enterprises_active_base", enterprisesActiveEnd = "enterprises_active_end"

        /// The display name; `base`/`end` stand for the base and end year.
        public var name: DisplayName {
            switch self {
            case .capacityBase: return DisplayName(zh: "期初产能", en: "capacity at the start")
            case .capacityClosed: return DisplayName(zh: "退出产能", en: "capacity closed over the programme")
            case .capacityOpened: return DisplayName(zh: "新增产能(置换)", en: "capacity opened (replacement)")
            case .capacityEnd: return DisplayName(zh: "期末产能", en: "capacity at the end")
            case .unitsClosed: return DisplayName(zh: "关闭单位", en: "units closed")
            case .workersDisplaced: return DisplayName(zh: "分流职工", en: "workers displaced")
            case .workersPlaced: return DisplayName(zh: "安置", en: "placed")
            case .workersWaitingEnd: return DisplayName(zh: "期末待安置", en: "waiting for placement at the end")
            case .workersInTrainingEnd: return DisplayName(zh: "期末培训中", en: "in training at the end")
            case .workersUnemployedPeak: return DisplayName(zh: "失业人数峰值", en: "unemployed at the peak")
            case .workersUnemployedEnd: return DisplayName(zh: "期末失业", en: "unemployed at the end")
            case .workersWithoutJobEnd:
                return DisplayName(zh: "期末无业(待安置+失业)", en: "without a job at the end (waiting + unemployed)")
            case .resettlementCost: return DisplayName(zh: "安置费用", en: "resettlement cost")
            case .debtBase: return DisplayName(zh: "期初债务", en: "debt at the start")
            case .debtEnd: return DisplayName(zh: "期末债务", en: "debt at the end")
            case .debtWrittenOff: return DisplayName(zh: "核销债务", en: "debt written off")
            case .debtSwapped: return DisplayName(zh: "债转股", en: "debt swapped for equity or bonds")
            case .debtStripped: return DisplayName(zh: "剥离债务", en: "debt stripped to AMCs")
            case .bankLosses: return DisplayName(zh: "银行损失", en: "bank losses")
            case .enterprisesBankrupt: return DisplayName(zh: "破产清算企业", en: "enterprises wound up (bankrupt)")
            case .enterprisesMerged: return DisplayName(zh: "兼并重组企业", en: "enterprises merged")
            case .enterprisesActiveBase: return DisplayName(zh: "期初企业", en: "enterprises at the start")
            case .enterprisesActiveEnd: return DisplayName(zh: "期末存续企业", en: "enterprises operating at the end")
            }
        }
    }

    /// The year before the programme.
    public var baseYear: Int
    /// The last simulated year.
    public var endYear: Int
    /// Every figure, in `Key` order; within a key, sectors in sector order then `all`.
    public var figures: [Figure]

    enum CodingKeys: String, CodingKey { case baseYear = "base_year", endYear = "end_year", figures }

    /// The figures of scenario `s` of `result`.
    public init(result: BatchResult, scenario s: Int = 0) {
        baseYear = result.years[0]
        endYear = result.years[result.years.count - 1]
        var out: [Key: [Figure]] = [:]
        func add(_ key: Key, _ sector: String, _ value: Double, _ unit: PlannerUnit, digits: Int,
                 detail: String? = nil, year: Int? = nil) {
            out[key, default: []].append(Figure(key: key.rawValue, sector: sector, detail: detail, year: year,
                                                unit: unit, value: Self.number(value, digits)))
        }
        let simulated = Array(result.years.dropFirst())
        for group in result.groups where group.region == nil && group.owner == nil {
            let id = group.sector.rawValue
            func at(_ m: Metric, _ y: Int) -> Double { result.value(m, group: group, year: y, scenario: s) }
            func overRun(_ m: Metric) -> Double { simulated.reduce(0) { $0 + at(m, $1) } }
            add(.capacityBase, id, at(.capacity, baseYear), .tenKilotonnesPerYear, digits: 6)
            add(.capacityClosed, id, overRun(.capacityClosed), .tenKilotonnesPerYear, digits: 6)
            add(.capacityOpened, id, overRun(.capacityOpened), .tenKilotonnesPerYear, digits: 6)
            add(.capacityEnd, id, at(.capacity, endYear), .tenKilotonnesPerYear, digits: 6)
            add(.unitsClosed, id, overRun(.unitsClosed), .units, digits: 0)
        }
        if let w = result.resettlement, let last = w.years.last {
            func v(_ name: String, _ sector: Sector, _ year: Int) -> Double { w.value(name, sector: sector, year: year, scenario: s) ?? 0 }
            let shown = w.sectors.filter { v("workers_displaced_cumulative", $0, last) > 0 }
            let channels = w.quantities.map(\.name).filter { $0.hasPrefix("workers_placed_cumulative.") }
            // Per sector, then `all`: the sum over the shown sectors (a peak of the sum, not a sum of peaks).
            for (id, sectors) in shown.map({ ($0.rawValue, [$0]) }) + (shown.isEmpty ? [] : [("all", shown)]) {
                func sum(_ name: String, _ year: Int) -> Double { sectors.reduce(0) { $0 + v(name, $1, year) } }
                add(.workersDisplaced, id, sum("workers_displaced_cumulative", last), .persons, digits: 0)
                for c in channels {
                    let placed = sum(c, last)
                    if placed > 0 {
                        add(.workersPlaced, id, placed, .persons, digits: 0,
                            detail: String(c.dropFirst("workers_placed_cumulative.".count)))
                    }
                }
                add(.workersWaitingEnd, id, sum("workers_waiting", last), .persons, digits: 0)
                add(.workersInTrainingEnd, id, sum("workers_in_training", last), .persons, digits: 0)
                let unemployed = w.years.map { sum("workers_unemployed", $0) }
                let peak = unemployed.indices.max { unemployed[$0] < unemployed[$1] } ?? 0
                add(.workersUnemployedPeak, id, unemployed[peak], .persons, digits: 0, year: w.years[peak])
                add(.workersUnemployedEnd, id, sum("workers_unemployed", last), .persons, digits: 0)
                add(.workersWithoutJobEnd, id, sum("workers_waiting", last) + sum("workers_unemployed", last),
                    .persons, digits: 0)
            }
            for payer in Payer.allCases {
                let name = "paid.\(payer.rawValue)"
                let paid = w.years.reduce(0.0) { total, y in total + w.sectors.reduce(0) { $0 + v(name, $1, y) } }
                add(.resettlementCost, "all", paid / 1e8, .hundredMillionYuan, digits: 4, detail: payer.rawValue)
            }
        }
        if let f = result.finance {
            let last = f.years.count - 1
            let sectors: [Sector?] = Sector.allCases.filter { f.mainSector.contains($0) } + [nil]
            for sector in sectors {
                let id = sector?.rawValue ?? "all"
                func at(_ m: FinanceMetric, _ y: Int) -> Double { f.total(m, sector: sector, owner: nil, yearIndex: y, scenario: s) }
                func overRun(_ m: FinanceMetric) -> Double { (0...last).dropFirst().reduce(0) { $0 + at(m, $1) } }
                add(.debtBase, id, at(.debt, 0) / 1e8, .hundredMillionYuan, digits: 4)
                add(.debtEnd, id, at(.debt, last) / 1e8, .hundredMillionYuan, digits: 4)
                add(.debtWrittenOff, id, overRun(.writtenOff) / 1e8, .hundredMillionYuan, digits: 4)
                add(.debtSwapped, id, overRun(.swapped) / 1e8, .hundredMillionYuan, digits: 4)
                add(.debtStripped, id, overRun(.strippedDebt) / 1e8, .hundredMillionYuan, digits: 4)
                add(.bankLosses, id, overRun(.bankLosses) / 1e8, .hundredMillionYuan, digits: 4)
                add(.enterprisesBankrupt, id, overRun(.bankruptcies), .enterprises, digits: 0)
                add(.enterprisesMerged, id, overRun(.mergers), .enterprises, digits: 0)
                add(.enterprisesActiveBase, id, at(.enterprisesActive, 0), .enterprises, digits: 0)
                add(.enterprisesActiveEnd, id, at(.enterprisesActive, last), .enterprises, digits: 0)
            }
        }
        figures = Key.allCases.flatMap { out[$0] ?? [] }
    }

    /// The figure `key` of `sector` (and `detail`), or nil when the run does not have it.
    public func figure(_ key: Key, sector: String = "all", detail: String? = nil) -> Figure? {
        figures.first { $0.key == key.rawValue && $0.sector == sector && $0.detail == detail }
    }

    /// `x` rounded to `digits` decimals, exactly.
    static func number(_ x: Double, _ digits: Int) -> Decimal {
        Decimal(string: decimalText(x, digits: digits)) ?? Decimal(x)
    }
}

extension HeadlineFigures.Figure {
    /// What the figure is, in words: `失业人数峰值 unemployed at the peak (2018)`, `安置 placed: coal-parks`.
    public var label: DisplayName {
        let name = HeadlineFigures.Key(rawValue: key)?.name ?? DisplayName(zh: key, en: key)
        var zh = name.zh, en = name.en
        if let detail {
            let d = key == HeadlineFigures.Key.resettlementCost.rawValue ? DisplayNames.payer(id: detail)
                : DisplayName(zh: detail, en: detail)
            zh += ": " + d.zh
            en += ": " + d.en
        }
        if let year {
            zh += " (\(year)年)"
            en += " (\(year))"
        }
        return DisplayName(zh: zh, en: en)
    }

    /// The value as text with thousands separators and the figure's unit: `9,251 人`, `56.03 亿元`.
    public var text: String { HeadlineFigures.format(value, unit) }
}

extension HeadlineFigures {
    /// `value` with thousands separators, 亿元 to 2 decimals and whole numbers otherwise, then the
    /// unit; persons also in 万人 when there are 10,000 or more.
    public static func format(_ value: Decimal, _ unit: PlannerUnit, signed: Bool = false) -> String {
        let x = NSDecimalNumber(decimal: value).doubleValue
        let digits = unit == .hundredMillionYuan ? 2 : 0
        var text = grouped(x, digits: digits)
        if signed && x > 0 && text != "0" && text != "0.00" { text = "+" + text }
        if unit == .persons && abs(x) >= 10_000 { return text + " 人 (" + decimalText(x / 10_000, digits: 2) + " 万人)" }
        return text + " " + unit.rawValue
    }

    /// `x` rounded to `digits` decimals with a comma every three digits: `15,591`, `-113`, `56.03`.
    public static func grouped(_ x: Double, digits: Int) -> String {
        let text = decimalText(x, digits: digits)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1).map(String.init)
        var whole = parts[0], groupedWhole = ""
        while whole.count > 3 {
            groupedWhole = "," + whole.suffix(3) + groupedWhole
            whole = String(whole.dropLast(3))
        }
        groupedWhole = whole + groupedWhole
        var fraction = parts.count > 1 ? parts[1] : ""
        if digits > 0 { fraction += String(repeating: "0", count: max(0, digits - fraction.count)) }
        return (negative ? "-" : "") + groupedWhole + (fraction.isEmpty ? "" : "." + fraction)
    }
}

extension HeadlineFigures {
    /// The terminal block: one row per figure (with its unit), one column per sector and `all`;
    /// a peak's cell carries its year. Figures a sector does not have are blank.
    public func render() -> String {
        var columns: [String] = []
        for f in figures where !columns.contains(f.sector) && f.sector != "all" { columns.append(f.sector) }
        columns.append("all")
        struct Row: Hashable { var key: String; var detail: String? }
        var order: [Row] = []
        var cells: [Row: [String: Figure]] = [:]
        for f in figures {
            let row = Row(key: f.key, detail: f.detail)
            if cells[row] == nil { order.append(row) }
            cells[row, default: [:]][f.sector] = f
        }
        var rows = [["headline \(baseYear + 1)-\(endYear) 要点", "unit"] + columns.map { DisplayNames.sector(id: $0).both }]
        for row in order {
            guard let any = cells[row]?.values.first else { continue }
            // The year is in each cell (sectors peak in different years); the channel id once, in English.
            let label = Figure(key: any.key, sector: "", detail: any.detail, year: nil, unit: any.unit, value: 0).label
            let zh = Key(rawValue: any.key)?.name.zh ?? any.key
            rows.append([label.en + " " + (any.key == Key.workersPlaced.rawValue ? zh : label.zh), any.unit.rawValue] + columns.map { c in
                guard let f = cells[row]?[c] else { return "" }
                let text = Self.grouped(NSDecimalNumber(decimal: f.value).doubleValue, digits: f.unit == .hundredMillionYuan ? 2 : 0)
                return f.year.map { text + " (\($0))" } ?? text
            })
        }
        return (SummaryTable.fixedWidth(rows, leftColumns: 2)
                + ["without a job = waiting for a first placement + unemployed (placed through contract termination or "
                   + "registered unemployment, or out of work again); retired and out of the labour force are not counted"])
            .joined(separator: "\n")
    }
}
