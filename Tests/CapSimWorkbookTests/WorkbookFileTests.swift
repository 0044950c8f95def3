import CapSimTestSupport
import CapSimWorkbook
import Foundation
import Testing

/// Sheet names of a workbook, in order, from xl/workbook.xml.
func sheetNames(_ xlsx: URL) throws -> [String] {
    let xml = try zipMember(xlsx, "xl/workbook.xml")
    return xml.components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

@Suite(.removesTemporaryFiles) struct WorkbookFileTests {
    static let table = WorkbookTable(
        name: "产能 capacity",
        columns: [.init("部门", "sector"), .init("2016年", "2016", .twoDecimals)],
        rows: (0..<5).map { [.text("煤炭 coal \($0)"), .number(1234.5 + Double($0))] }, frozenColumns: 1)

    @Test func writesSheetsHeadersFiguresAndFrozenRows() throws {
        let folder = try temporaryFolder("xlsx")
        let file = folder.appendingPathComponent("w.xlsx")
        try WorkbookFile.write([Self.table], to: file.path)
        #expect(try sheetNames(file) == ["产能 capacity"])
        let sheet = try zipMember(file, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<t>部门</t>") && sheet.contains("<t>sector</t>") && sheet.contains("<t>煤炭 coal 0</t>"))
        #expect(sheet.contains("<v>1234.5</v>") && sheet.contains("<v>1238.5</v>"))
        #expect(sheet.contains("ySplit=\"2\"") && sheet.contains("xSplit=\"1\"") && sheet.contains("state=\"frozen\""))
        let styles = try zipMember(file, "xl/styles.xml")
        #expect(styles.contains("#,##0.00"))
        // Atomic: only the workbook is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.xlsx"])
    }

    @Test func aTableLongerThanTheRowLimitContinuesOnNumberedSheets() throws {
        let file = try temporaryFolder("xlsx").appendingPathComponent("split.xlsx")
        // 5 data rows, 2 header rows, 4 rows a sheet: 2 + 2 + 1 data rows.
        try WorkbookFile.write([Self.table], to: file.path, rowLimit: 4)
        #expect(try sheetNames(file) == ["产能 capacity", "产能 capacity (2)", "产能 capacity (3)"])
        let last = try zipMember(file, "xl/worksheets/sheet3.xml")
        #expect(last.contains("<t>部门</t>") && last.contains("<t>煤炭 coal 4</t>") && !last.contains("煤炭 coal 3"))
        let sheets = WorkbookFile.sheets([Self.table], rowLimit: WorkbookFile.excelRowLimit)
        #expect(sheets.count == 1 && sheets[0].rows == 0..<5)
        // Excel's limit: 1,048,576 rows with the two header rows.
        let big = WorkbookTable(name: String(repeating: "x", count: 40), columns: [.init("a", "a")],
                                rows: Array(repeating: [.empty], count: 1_048_575))
        let parts = WorkbookFile.sheets([big])
        #expect(parts.map(\.rows.count) == [1_048_574, 1])
        #expect(parts.allSatisfy { $0.name.count <= 31 } && parts[1].name.hasSuffix(" (2)"))
    }

    @Test func aPathThatCannotBeWrittenIsAClearErrorAndLeavesNothing() throws {
        let folder = try temporaryFolder("xlsx")
        let missing = folder.appendingPathComponent("no/such/folder/w.xlsx").path
        #expect(throws: WorkbookError.self) { try WorkbookFile.write([Self.table], to: missing) }
        do {
            try WorkbookFile.write([Self.table], to: missing)
        } catch {
            #expect(error.description.hasPrefix(missing) && error.description.contains("does not exist"))
        }
        // A folder where the file should be.
        let clash = folder.appendingPathComponent("clash.xlsx")
        try FileManager.default.createDirectory(at: clash, withIntermediateDirectories: false)
        #expect(throws: WorkbookError.self) { try WorkbookFile.write([Self.table], to: clash.path) }
        // A number that is not finite is refused, and the temporary file removed.
        let nan = WorkbookTable(name: "n", columns: [.init("a", "a")], rows: [[.number(.nan)]])
        #expect(throws: WorkbookError.self) { try WorkbookFile.write([nan], to: folder.appendingPathComponent("n.xlsx").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["clash.xlsx"])
    }
}
