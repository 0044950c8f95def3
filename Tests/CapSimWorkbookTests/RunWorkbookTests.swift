import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimTestSupport
@testable import CapSimWorkbook
import Foundation
import Testing

/// The run workbook's tables from a Jilin run folder: the prefecture pivot and the totals agree,
/// and the pivot holds no total row that a pivot table would count twice.
@Suite(.removesTemporaryFiles) struct RunWorkbookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func jilinRunFolder() throws -> String {
        let scenario = try Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        let result = Engine.run(scenario.batch())
        let summary = RunSummary(scenario: scenario, result: result).json()
        let folder = temporaryPath("run-workbook").path
        try AtomicOutput.write([
            AtomicOutput.Stream(name: "projections.csv") { try ProjectionTables.writeProjections(result, to: $0) },
            AtomicOutput.Stream(name: "closures.csv") { try ProjectionTables.writeClosures(result, facilities: scenario.facilities, to: $0) },
            AtomicOutput.Stream(name: "openings.csv") { try ProjectionTables.writeOpenings(result, facilities: scenario.facilities, to: $0) },
            AtomicOutput.Stream(name: "prefectures.csv") { try PrefectureTable.write(scenario, result, to: $0) },
            AtomicOutput.Stream(name: "summary.json") { $0.raw(Array(summary.utf8)) },
        ], to: folder)
        return folder
    }

    static func number(_ c: WorkbookCell) -> Double? {
        if case let .number(x) = c { return x }
        if case let .formatted(x, _) = c { return x }
        return nil
    }

    @Test func prefecturePivotAddsUpToTheTotalsAndHasNoTotalRow() throws {
        let tables = try RunWorkbook.tables(runFolder: try Self.jilinRunFolder())
        let pivot = try #require(tables.first { $0.name == "产能 capacity by prefecture" })
        let totals = try #require(tables.first { $0.name == "产能合计 capacity totals" })
        #expect(pivot.columns.map(\.en) == ["sector", "prefecture", "unit", "2015", "2016", "2017", "2018", "2019", "2020"])
        #expect(!pivot.rows.contains { $0[1] == .text("all") })
        #expect(pivot.frozenColumns == 3)
        for sector in ["煤炭 coal", "水泥熟料 clinker"] {
            let total = try #require(totals.rows.first { $0[0] == .text(sector) && $0[1] == .text("产能 capacity") })
            for c in 3..<pivot.columns.count {
                let sum = pivot.rows.filter { $0[0] == .text(sector) }.reduce(0.0) { $0 + (Self.number($1[c]) ?? 0) }
                #expect(abs(sum - (Self.number(total[c]) ?? .nan)) < 1e-6, "\(sector) \(pivot.columns[c].en)")
            }
        }
        // Coal capacity at the end of 2020 in the totals: 2,164 万吨/年.
        let coal = try #require(totals.rows.first { $0[0] == .text("煤炭 coal") && $0[1] == .text("产能 capacity") })
        #expect(Self.number(coal[8]) == 2164)
        // Costs in 亿元: the payers' sum over sectors and years is the headline's.
        let costs = try #require(tables.first { $0.name == "费用 costs by payer" })
        let paid = costs.rows.reduce(0.0) { row, r in row + r[3...].reduce(0.0) { $0 + (Self.number($1) ?? 0) } }
        let headline = try #require(tables.first { $0.name == "要点 headline" })
        let headlineCost = headline.rows.filter { $0[0] == .text("安置费用") }.reduce(0.0) { $0 + (Self.number($1[6]) ?? 0) }
        #expect(abs(paid - headlineCost) < 1e-3)
    }

    @Test func headlineSheetListsTheRunsWarnings() throws {
        let folder = try Self.jilinRunFolder()
        let summary = try RunSummary.decode(try String(contentsOfFile: folder + "/summary.json", encoding: .utf8))
        let warnings = try #require(summary.warnings)
        #expect(!warnings.isEmpty)
        let headline = try #require(try RunWorkbook.tables(runFolder: folder).first { $0.name == "要点 headline" })
        let rows = headline.rows.filter { $0[0] == .text("警告 warning") }
        #expect(rows.count == warnings.count)
        #expect(rows.contains { $0[1] == .text("public-welfare: its share is 0") && $0[3] == .text("channel_receives_nobody") })
    }

    @Test func prefectureSheetNamesPrefecturesInChineseAndAddsUpToTheDisplaced() throws {
        let tables = try RunWorkbook.tables(runFolder: try Self.jilinRunFolder())
        let sheet = try #require(tables.first { $0.name == "地区 prefectures" })
        #expect(sheet.columns.map(\.en) == ["sector", "prefecture", "metric", "unit", "2016", "2017", "2018", "2019", "2020"])
        #expect(sheet.rows.contains { $0[1] == .text("白山市 baishan") })
        // 65,000 coal workers displaced over the programme (README), here summed over prefectures.
        let coal = sheet.rows.filter { $0[0] == .text("煤炭 coal") && $0[3] == .text("人") }
        var displaced = 0.0
        for r in coal { for cell in r[4...] { displaced += Self.number(cell) ?? 0 } }
        #expect(displaced == 65_000)
    }

    @Test func aMalformedRunFileIsNamedWithItsLine() throws {
        let folder = try Self.jilinRunFolder()
        try "scenario,year\njilin-2016,2016\n".write(toFile: folder + "/openings.csv", atomically: true, encoding: .utf8)
        #expect { try RunWorkbook.tables(runFolder: folder) } throws: { error in
            (error as? WorkbookError)?.description == "\(folder)/openings.csv: line 1: expected the header "
                + ProjectionTables.openingHeader.joined(separator: ",")
        }
    }
}
