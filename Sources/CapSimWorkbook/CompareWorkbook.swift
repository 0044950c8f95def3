import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation

/// The workbook of `capsim compare --xlsx`: the base and the variants side by side. Sheets are
/// described in docs/WORKBOOK.md.
public enum CompareWorkbook {
    /// The tables of `answer`: headline figures, sector totals per year (capacity, closures, workers
    /// unemployed, debt) side by side, the ranked differences and the closure changes.
    public static func tables(_ answer: ComparisonAnswer) -> [WorkbookTable] {
        let c = answer.comparison
        let labels = [c.base.label] + c.variants.map(\.label)
        // Headline: one row per figure, the base then each variant with its difference.
        var columns = [WorkbookTable.Column("指标", "figure", width: 30), .init("Figure", "figure (English)", width: 40),
                       .init("部门", "sector", width: 12), .init("明细", "channel or payer", width: 26), .init("单位", "unit", width: 8),
                       .init("基准 " + labels[0], "base " + labels[0], .twoDecimals, width: 16)]
        for l in labels.dropFirst() {
            columns += [.init("方案 " + l, "variant " + l, .twoDecimals, width: 16), .init("差额 " + l, "difference " + l, .twoDecimals, width: 14)]
        }
        struct Key: Hashable { var key: String; var sector: String; var detail: String? }
        var order: [Key] = []
        var byKey: [Key: [Int: ComparisonAnswer.HeadlineDifference]] = [:]
        for h in answer.headline {
            let k = Key(key: h.base.key, sector: h.base.sector, detail: h.base.detail)
            if byKey[k] == nil { order.append(k) }
            byKey[k, default: [:]][h.variant] = h
        }
        let rows: [[WorkbookCell]] = order.map { k in
            let any = byKey[k]!.values.first!
            let name = HeadlineFigures.Key(rawValue: k.key)?.name ?? DisplayName(zh: k.key, en: k.key)
            let format: WorkbookNumberFormat = any.base.unit == .hundredMillionYuan ? .twoDecimals : .whole
            var row: [WorkbookCell] = [.text(name.zh), .text(name.en), .text(DisplayNames.sector(id: k.sector).both),
                                       k.detail.map(WorkbookCell.text) ?? .empty, .text(any.base.unit.rawValue),
                                       .formatted(double(any.base.value), format)]
            for v in c.variants.indices {
                if let h = byKey[k]?[v] {
                    row += [.formatted(double(h.variantFigure.value), format), .formatted(double(h.difference), format)]
                }
                else { row += [.empty, .empty] }
            }
            return row
        }
        let headline = WorkbookTable(name: "要点 headline", columns: columns, rows: rows, frozenColumns: 1)

        // Sector totals per year side by side, for the series a planner charts.
        let metrics = ["capacity", "capacity_closed", "workers_unemployed", "workers_displaced", "debt", "debt_written_off"]
        var sideColumns = [WorkbookTable.Column("指标", "metric", width: 24), .init("部门", "sector", width: 14),
                           .init("年份", "year", width: 8), .init("单位", "unit", width: 8),
                           .init("基准 " + labels[0], "base " + labels[0], .twoDecimals, width: 16)]
        sideColumns += labels.dropFirst().map { WorkbookTable.Column("方案 " + $0, "variant " + $0, .twoDecimals, width: 16) }
        struct Cell: Hashable { var metric: String; var sector: Sector; var year: Int }
        var sideOrder: [Cell] = []
        var sides: [Cell: (unit: String, base: Double?, variants: [Int: Double])] = [:]
        for d in c.differences where metrics.contains(d.metric) {
            let k = Cell(metric: d.metric, sector: d.sector, year: d.year)
            if sides[k] == nil { sideOrder.append(k); sides[k] = (d.unit, d.baseValue, [:]) }
            if let v = d.variantValue { sides[k]!.variants[d.variant] = v }
        }
        let sideRows: [[WorkbookCell]] = sideOrder.map { k in
            let s = sides[k]!
            let divisor = s.unit == "yuan" ? 1e8 : 1
            let unit = s.unit == "yuan" ? "亿元" : s.unit == "persons" ? "人" : "万吨/年"
            return [.text(DisplayNames.metric(k.metric).both), .text(DisplayNames.sector(k.sector).both), .number(Double(k.year)),
                    .text(unit), s.base.map { .number($0 / divisor) } ?? .empty]
                + c.variants.indices.map { v in s.variants[v].map { .number($0 / divisor) } ?? .empty }
        }
        let sideBySide = WorkbookTable(name: "逐年对比 by year", columns: sideColumns, rows: sideRows, frozenColumns: 1)

        return [headline, sideBySide, csvTable("排序差异 ranked", answer.rankedCSV()),
                csvTable("关闭变化 closure changes", c.closureChangesCSV())]
    }

    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

    /// A CSV text written by capsim as a sheet: numbers as numbers, the CSV header as the English
    /// header and its Chinese name where there is one.
    static func csvTable(_ name: String, _ text: String) -> WorkbookTable {
        // capsim wrote the text itself, so it parses.
        let records = (try? CSVParser.parse(text)) ?? []
        guard let header = records.first else { return WorkbookTable(name: name, columns: [], rows: []) }
        return RunWorkbook.plain(name, Array(records.dropFirst()), header: header.fields)
    }
}
