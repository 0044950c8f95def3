import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation

/// The workbook of one run, built from its folder (`summary.json`, `projections.csv`,
/// `closures.csv`, `openings.csv`): what `capsim xlsx RUN_DIR` and `capsim run --xlsx` write.
/// Sheets and columns are described in docs/WORKBOOK.md.
public enum RunWorkbook {
    /// The tables of the run in `folder`.
    ///
    /// - Throws: `WorkbookError` naming the file when one is missing, unreadable or not what
    ///   `capsim run` writes.
    public static func tables(runFolder folder: String) throws(WorkbookError) -> [WorkbookTable] {
        let summaryText = try read(folder, "summary.json")
        let summary: RunSummary
        do { summary = try RunSummary.decode(summaryText) } catch {
            throw WorkbookError(description: "\(folder)/summary.json: not a capsim summary: \(error)")
        }
        guard let headline = summary.headline else {
            throw WorkbookError(description: "\(folder)/summary.json: has no headline figures (written by an older capsim); run the scenario again")
        }
        let projections = try records(folder, "projections.csv", header: ProjectionTables.projectionHeader)
        let closures = try records(folder, "closures.csv", header: ProjectionTables.closureHeader)
        let openings = try records(folder, "openings.csv", header: ProjectionTables.openingHeader)
        // prefectures.csv is absent from a run folder written before it existed.
        let prefectures = FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("prefectures.csv"))
            ? [prefectureTable(try records(folder, "prefectures.csv", header: PrefectureTable.header))] : []
        return [headlineTable(headline, warnings: summary.warnings ?? [])]
            + pivots(projections) + prefectures.filter { !$0.rows.isEmpty }
            + [plain("关闭 closures", closures, header: ProjectionTables.closureHeader),
               plain("新建 openings", openings, header: ProjectionTables.openingHeader)]
    }

    /// The headline sheet: one row per figure, then one per sanity warning (`警告 warning`,
    /// `subject: reason`, and the kind in the detail column), so a briefing built from it shows them.
    public static func headlineTable(_ h: HeadlineFigures, warnings: [ScenarioWarning] = []) -> WorkbookTable {
        let columns = [
            WorkbookTable.Column("指标", "figure", width: 34), WorkbookTable.Column("Figure", "figure (English)", width: 44),
            WorkbookTable.Column("部门", "sector", width: 12), WorkbookTable.Column("明细", "channel or payer", width: 28),
            WorkbookTable.Column("峰值年份", "peak year", width: 10), WorkbookTable.Column("单位", "unit", width: 8),
            WorkbookTable.Column("数值", "value", .twoDecimals, width: 14),
            WorkbookTable.Column("万人", "10,000 persons", .twoDecimals, width: 12),
        ]
        var rows: [[WorkbookCell]] = []
        for f in h.figures {
            let name = HeadlineFigures.Key(rawValue: f.key)?.name ?? DisplayName(zh: f.key, en: f.key)
            let detail = f.detail.map { f.key == HeadlineFigures.Key.resettlementCost.rawValue ? DisplayNames.payer(id: $0).both : $0 }
            let value = NSDecimalNumber(decimal: f.value).doubleValue
            rows.append([.text(name.zh), .text(name.en), .text(DisplayNames.sector(id: f.sector).both),
                         detail.map(WorkbookCell.text) ?? .empty, f.year.map { .number(Double($0)) } ?? .empty,
                         .text(f.unit.rawValue), .formatted(value, f.unit == .hundredMillionYuan ? .twoDecimals : .whole),
                         f.unit == .persons ? .number(value / 10_000) : .empty])
        }
        for w in warnings {
            rows.append([.text("警告 warning"), .text(w.text), .empty, .text(w.kind.rawValue), .empty, .empty, .empty, .empty])
        }
        return WorkbookTable(name: "要点 headline", columns: columns, rows: rows, frozenColumns: 1)
    }

    /// The pivoted sheets from `projections.csv`: capacity by prefecture and sector (detail rows
    /// only: no `all` row, so a pivot over it does not count twice), the province totals on their
    /// own sheet, workers by state and channel, costs by payer and debt by creditor (亿元).
    static func pivots(_ records: [CSVRecord]) -> [WorkbookTable] {
        struct Key: Hashable { var sector: String; var region: String; var metric: String }
        var years: [Int] = []
        var order: [Key] = []
        var values: [Key: [Int: Double]] = [:]
        for r in records {
            let f = r.fields
            guard f[4] == "all", let year = Int(f[1]), let value = Double(f[7]) else { continue }
            if !years.contains(year) { years.append(year) }
            let key = Key(sector: f[2], region: f[3], metric: f[5])
            if values[key] == nil { order.append(key) }
            values[key, default: [:]][year] = value
        }
        years.sort()
        func table(_ name: String, _ label: [WorkbookTable.Column], format: WorkbookNumberFormat, divisor: Double,
                   _ keep: (Key) -> Bool, _ cells: (Key) -> [WorkbookCell]) -> WorkbookTable {
            let columns = label + years.map { WorkbookTable.Column("\($0)年", String($0), format, width: 11) }
            let rows = order.filter(keep).map { key in
                cells(key) + years.map { y in values[key]?[y].map { .number($0 / divisor) } ?? .empty }
            }
            return WorkbookTable(name: name, columns: columns, rows: rows, frozenColumns: label.count)
        }
        let sectorColumn = WorkbookTable.Column("部门", "sector", width: 14)
        let sectorCell = { (k: Key) in WorkbookCell.text(DisplayNames.sector(id: k.sector).both) }
        let capacity = table("产能 capacity by prefecture", [sectorColumn, .init("地区", "prefecture", width: 14),
                                                             .init("单位", "unit", width: 8)],
                             format: .twoDecimals, divisor: 1, { $0.metric == "capacity" && $0.region != "all" }) {
            [sectorCell($0), .text($0.region), .text("万吨/年")]
        }
        let capacityMetrics = ["capacity", "capacity_closed", "capacity_opened", "units_operating", "units_closed", "output"]
        let totals = table("产能合计 capacity totals", [sectorColumn, .init("指标", "metric", width: 24), .init("单位", "unit", width: 8)],
                           format: .twoDecimals, divisor: 1, { $0.region == "all" && capacityMetrics.contains($0.metric) }) {
            let unit = Metric(rawValue: $0.metric)?.unit ?? ""
            return [sectorCell($0), .text(DisplayNames.metric($0.metric).both),
                    .text(unit == "units" ? "个" : unit == "10kt" ? "万吨" : "万吨/年")]
        }
        let workerMetric = { (m: String) in m.hasPrefix("workers_") }
        let workers = table("职工 workers", [sectorColumn, .init("状态或渠道", "state or channel", width: 36), .init("单位", "unit", width: 8)],
                            format: .whole, divisor: 1, { $0.region == "all" && workerMetric($0.metric) }) {
            [sectorCell($0), .text(DisplayNames.metric($0.metric).both), .text("人")]
        }
        let costs = table("费用 costs by payer", [sectorColumn, .init("支付方", "payer", width: 36), .init("单位", "unit", width: 8)],
                          format: .twoDecimals, divisor: 1e8, { $0.region == "all" && $0.metric.hasPrefix("paid.") }) {
            [sectorCell($0), .text(DisplayNames.payer(id: String($0.metric.dropFirst("paid.".count))).both), .text("亿元")]
        }
        let debt = table("债务 debt by creditor", [sectorColumn, .init("债权人", "creditor", width: 30), .init("单位", "unit", width: 8)],
                         format: .twoDecimals, divisor: 1e8, { $0.region == "all" && ($0.metric.hasPrefix("debt.") || $0.metric == "debt") }) {
            [sectorCell($0), .text(DisplayNames.metric($0.metric).both), .text("亿元")]
        }
        return [capacity, totals, workers, costs, debt].filter { !$0.rows.isEmpty }
    }

    /// `prefectures.csv` pivoted: one row per sector, prefecture (Chinese name and id) and metric,
    /// one column per year; persons as whole numbers.
    static func prefectureTable(_ records: [CSVRecord]) -> WorkbookTable {
        struct Key: Hashable { var sector: String; var region: String; var name: String; var metric: String }
        var years: [Int] = [], order: [Key] = [], values: [Key: [Int: Double]] = [:]
        for r in records {
            let f = r.fields
            guard let year = Int(f[1]), let value = Double(f[7]) else { continue }
            if !years.contains(year) { years.append(year) }
            let key = Key(sector: f[2], region: f[3], name: f[4], metric: f[5])
            if values[key] == nil { order.append(key) }
            values[key, default: [:]][year] = value
        }
        years.sort()
        let units = ["capacity_closed": "万吨/年", "units_closed": "个", "workers_displaced": "人"]
        let label: [WorkbookTable.Column] = [.init("部门", "sector", width: 14), .init("地区", "prefecture", width: 26),
                                             .init("指标", "metric", width: 30), .init("单位", "unit", width: 8)]
        let columns = label + years.map { WorkbookTable.Column("\($0)年", String($0), .twoDecimals, width: 11) }
        let rows = order.map { k -> [WorkbookCell] in
            [.text(DisplayNames.sector(id: k.sector).both), .text(k.name.isEmpty ? k.region : "\(k.name) \(k.region)"),
             .text(DisplayNames.metric(k.metric).both), .text(units[k.metric] ?? "")]
                + years.map { y in values[k]?[y].map { .number($0) } ?? .empty }
        }
        return WorkbookTable(name: "地区 prefectures", columns: columns, rows: rows, frozenColumns: label.count)
    }

    /// A CSV table as a sheet, with Chinese headers over the CSV's own; numeric columns as numbers.
    static func plain(_ name: String, _ records: [CSVRecord], header: [String]) -> WorkbookTable {
        let zh: [String: String] = [
            "scenario": "情景", "year": "年份", "facility_id": "编号", "name": "名称", "sector": "部门", "kind": "类型",
            "enterprise": "企业", "owner": "所有制", "region": "地区", "capacity_10kt": "产能(万吨/年)", "rule": "规则",
            "reason": "原因", "status": "状态", "replacement_ratio": "置换比例", "credit_needed_10kt": "所需置换产能(万吨)",
            "credit_available_10kt": "可用置换产能(万吨)", "base": "基准", "variant": "方案", "change": "变化", "rank": "排名",
            "metric": "指标", "name_zh": "中文名称", "name_en": "英文名称", "period": "时期", "unit": "单位",
            "base_value": "基准值", "variant_value": "方案值", "difference": "差额", "difference_pct": "差额(%)",
            "base_year": "基准年份", "base_rule": "基准规则", "base_reason": "基准原因", "variant_year": "方案年份",
            "variant_rule": "方案规则", "variant_reason": "方案原因",
        ]
        let numeric: Set<String> = ["year", "capacity_10kt", "replacement_ratio", "credit_needed_10kt", "credit_available_10kt",
                                    "rank", "base_value", "variant_value", "difference", "difference_pct", "base_year", "variant_year"]
        let years: Set<String> = ["year", "rank", "base_year", "variant_year"]
        let columns = header.map { h in
            WorkbookTable.Column(zh[h] ?? h, h, years.contains(h) ? .general : numeric.contains(h) ? .twoDecimals : .general,
                                 width: h.hasSuffix("reason") ? 60 : ["name", "enterprise", "metric", "name_en"].contains(h) ? 28 : 12)
        }
        let rows = records.map { r in
            r.fields.enumerated().map { c, text -> WorkbookCell in
                if numeric.contains(header[c]), let x = Double(text) { return .number(x) }
                return text.isEmpty ? .empty : .text(header[c] == "sector" ? DisplayNames.sector(id: text).both : text)
            }
        }
        return WorkbookTable(name: name, columns: columns, rows: rows, frozenColumns: 0)
    }

    static func read(_ folder: String, _ name: String) throws(WorkbookError) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbookError(description: "\(path): cannot read it (is \(folder) the folder of a `capsim run`?)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    static func records(_ folder: String, _ name: String, header: [String]) throws(WorkbookError) -> [CSVRecord] {
        let text = try read(folder, name)
        let all: [CSVRecord]
        do { all = try CSVParser.parse(text) } catch {
            throw WorkbookError(description: "\(folder)/\(name): line \(error.line): \(error)")
        }
        guard let first = all.first, first.fields == header else {
            throw WorkbookError(description: "\(folder)/\(name): line 1: expected the header \(header.joined(separator: ","))")
        }
        for r in all.dropFirst() where r.fields.count != header.count {
            throw WorkbookError(description: "\(folder)/\(name): line \(r.line): \(r.fields.count) fields, expected \(header.count)")
        }
        return Array(all.dropFirst())
    }
}
