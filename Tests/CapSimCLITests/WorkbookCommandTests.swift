import Foundation
import Testing
import CapSimTestSupport

/// `capsim run --xlsx`, `capsim xlsx RUN_DIR` and `capsim compare --xlsx` through the real binary,
/// read back from the file's XML.
@Suite(.serialized, .removesTemporaryFiles) struct WorkbookCommandTests {
    static let jilin = "Scenarios/jilin-2016/scenario.yaml"
    static let variant = "Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml"

    /// A member of the .xlsx (a zip).
    static func member(_ zip: URL, _ name: String) throws -> String { try zipMember(zip, name) }

    static func sheets(_ xlsx: URL) throws -> [String] {
        try member(xlsx, "xl/workbook.xml").components(separatedBy: "<sheet name=\"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
    }

    /// The sheet XML of the sheet named `name`.
    static func sheet(_ xlsx: URL, _ name: String) throws -> String {
        let index = try #require(try sheets(xlsx).firstIndex(of: name), "no sheet \(name)")
        return try member(xlsx, "xl/worksheets/sheet\(index + 1).xml")
    }

    @Test func runWorkbookHasTheSheetsAndFigures() throws {
        let folder = try temporaryFolder("xlsx")
        let out = folder.appendingPathComponent("run"), file = folder.appendingPathComponent("jilin.xlsx")
        let result = try CLIHarness.run(["run", Self.jilin, "--out", out.path, "--xlsx", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.sheets(file) == ["要点 headline", "产能 capacity by prefecture", "产能合计 capacity totals", "职工 workers",
                                          "费用 costs by payer", "债务 debt by creditor", "地区 prefectures", "关闭 closures", "新建 openings"])
        let headline = try Self.sheet(file, "要点 headline")
        #expect(headline.contains("<t>失业人数峰值</t>") && headline.contains("<t>unemployed at the peak</t>"))
        #expect(headline.contains("<v>15591</v>") && headline.contains("<v>9251</v>") && headline.contains("<v>2733</v>"))
        #expect(headline.contains("state=\"frozen\""))
        // The prefecture sheet has no `all` rows (a pivot over it counts each closure once); the totals do.
        let prefectures = try Self.sheet(file, "产能 capacity by prefecture")
        #expect(prefectures.contains("<t>baishan</t>") && !prefectures.contains("<t>all</t>"))
        #expect(prefectures.contains("<t>2016年</t>"))
        let totals = try Self.sheet(file, "产能合计 capacity totals")
        #expect(totals.contains("<v>4897</v>") && totals.contains("<t>煤炭 coal</t>"))
        let closures = try Self.sheet(file, "关闭 closures")
        #expect(closures.contains("<t>原因</t>") && closures.contains("<t>白山市属煤矿三井</t>"))

        // `capsim xlsx RUN_DIR` writes the same sheets from the folder.
        let again = folder.appendingPathComponent("again.xlsx")
        let x = try CLIHarness.run(["xlsx", out.path, "--out", again.path])
        #expect(x.status == 0, "\(x.stderr)")
        for name in try Self.sheets(file) { #expect(try Self.sheet(again, name) == Self.sheet(file, name), "\(name)") }
    }

    @Test func compareWorkbookSetsBaseAndVariantSideBySide() throws {
        let folder = try temporaryFolder("xlsx")
        let file = folder.appendingPathComponent("compare.xlsx")
        let result = try CLIHarness.run(["compare", Self.jilin, Self.variant, "--out", folder.appendingPathComponent("c").path,
                                         "--xlsx", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.sheets(file) == ["要点 headline", "逐年对比 by year", "排序差异 ranked", "关闭变化 closure changes"])
        let headline = try Self.sheet(file, "要点 headline")
        #expect(headline.contains("<t>基准 jilin-2016</t>") && headline.contains("<t>方案 jilin-2016-mine-450kt</t>"))
        #expect(headline.contains("<v>2164</v>") && headline.contains("<v>2051</v>") && headline.contains("<v>-113</v>"))
        let ranked = try Self.sheet(file, "排序差异 ranked")
        #expect(ranked.contains("<t>差额</t>") && ranked.contains("<v>-113</v>"))
    }

    @Test func aWorkbookPathThatCannotBeWrittenStopsBeforeAnything() throws {
        let folder = try temporaryFolder("xlsx")
        let bad = folder.appendingPathComponent("missing/w.xlsx").path
        for args in [["run", Self.jilin, "--out", folder.appendingPathComponent("run").path, "--xlsx", bad],
                     ["compare", Self.jilin, Self.variant, "--out", folder.appendingPathComponent("c").path, "--xlsx", bad],
                     ["xlsx", folder.appendingPathComponent("no-run").path, "--out", folder.appendingPathComponent("w.xlsx").path]] {
            let result = try CLIHarness.run(args)
            #expect(result.status == 1, "\(args)")
            #expect(result.stderr.contains("error: "), "\(args): \(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "\(args) left files")
        }
        let r = try CLIHarness.run(["run", Self.jilin, "--out", folder.appendingPathComponent("run").path, "--xlsx", bad])
        #expect(r.stderr.contains("\(bad): cannot write the workbook: the folder"))
    }

    /// LibreOffice, when installed (`apt-get install libreoffice-calc-nogui`, about 2 s a conversion);
    /// not part of scripts/setup (hundreds of MB), so the test is skipped without it.
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: soffice != nil, "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"))
    func libreOfficeOpensTheWorkbookWithChineseIntact() throws {
        let folder = try temporaryFolder("xlsx-lo")
        let file = folder.appendingPathComponent("jilin.xlsx")
        let result = try CLIHarness.run(["run", Self.jilin, "--out", folder.appendingPathComponent("run").path, "--xlsx", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.soffice))
        // Every sheet to UTF-8 CSV, cells as shown (number formats applied); a profile of its own in the test folder.
        process.arguments = ["-env:UserInstallation=file://" + folder.appendingPathComponent("profile").path, "--headless",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                             "--outdir", folder.appendingPathComponent("csv").path, file.path]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let headline = try String(contentsOf: folder.appendingPathComponent("csv/jilin-要点 headline.csv"), encoding: .utf8)
        let lines = headline.split(separator: "\n")
        #expect(lines.first == "指标,Figure,部门,明细,峰值年份,单位,数值,万人")
        // Chinese intact, thousands separators and 万人 as formatted.
        #expect(lines.contains { $0 == "失业人数峰值,unemployed at the peak,合计 all sectors,,2018,人,\"15,591\",1.56" })
        #expect(lines.contains { $0.hasPrefix("核销债务,debt written off,合计 all sectors,,,亿元,115.21") })
        let closures = try String(contentsOf: folder.appendingPathComponent("csv/jilin-关闭 closures.csv"), encoding: .utf8)
        #expect(closures.contains("白山市属煤矿三井"))
    }
}
