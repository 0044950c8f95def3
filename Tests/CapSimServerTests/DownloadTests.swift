import CapSimServer
import CapSimTestSupport
import CapSimWorkbook
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The sheet names of a workbook, from its `xl/workbook.xml`.
func workbookSheets(_ xlsx: URL) throws -> [String] {
    try zipMember(xlsx, "xl/workbook.xml").components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

@Suite(.serialized, .removesTemporaryFiles) struct DownloadTests {
    /// The scenario page's workbook is the one `capsim xlsx` writes from the page's run files, and
    /// every table on the page is a CSV with the same cells.
    @Test func aScenarioGivesItsWorkbookAndEachTableAsCSV() async throws {
        let app = Application(router: try Workbench(workspace: try jilinWorkspace().path).router())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/scenario?path=" + jilin, method: .get).text
            for name in ["workbook.xlsx", "summary-capacity.csv", "summary-workers.csv", "summary-debt.csv", "totals.csv",
                         "capacity.svg", "capacity.png"] {
                #expect(page.contains("file=\(name)\""), "no download \(name)")
            }
            let folder = try temporaryFolder("run-files")
            for name in ["summary.json", "projections.csv", "closures.csv", "openings.csv"] {
                let file = try await client.execute(uri: "/download?path=\(jilin)&file=\(name)", method: .get)
                #expect(file.status == .ok)
                try Data(buffer: file.body).write(to: folder.appendingPathComponent(name))
            }
            let served = try await client.execute(uri: "/download?path=\(jilin)&file=workbook.xlsx", method: .get)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(served.headers[.contentDisposition] == "attachment; filename=\"workbook.xlsx\"")
            let servedFile = folder.appendingPathComponent("served.xlsx")
            try Data(buffer: served.body).write(to: servedFile)
            let expected = folder.appendingPathComponent("expected.xlsx")
            try WorkbookFile.write(RunWorkbook.tables(runFolder: folder.path), to: expected.path)
            let sheets = try workbookSheets(expected)
            #expect(sheets.count >= 4)
            #expect(try workbookSheets(servedFile) == sheets)
            for i in 1...sheets.count {
                #expect(try zipMember(servedFile, "xl/worksheets/sheet\(i).xml") == zipMember(expected, "xl/worksheets/sheet\(i).xml"))
            }

            // The summary table's CSV: the page's header and cells.
            let summary = try await client.execute(uri: "/download?path=\(jilin)&file=summary-capacity.csv", method: .get).text
            let lines = summary.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("sector,capacity 2015 (10kt/yr),capacity 2020,closed,") == true)
            let coal = try #require(lines.first { $0.hasPrefix("coal,") })
            #expect(coal.hasPrefix("coal,4897,2164,2733,"), "\(coal)")
            let totals = try await client.execute(uri: "/download?path=\(jilin)&file=totals.csv", method: .get).text
            #expect(totals.hasPrefix("metric,sector,unit,2015,2016,2017,2018,2019,2020\n"))
            #expect(totals.contains("\ncapacity,coal,10kt/yr,4897,3492,2768,2164,2164,2164\n"))
        }
    }

    /// A what-if's job gives the comparison workbook, the headline and capacity tables as CSV, and the variant.
    @Test func aWhatIfGivesTheComparisonWorkbookAndItsTablesAsCSV() async throws {
        let app = Application(router: try Workbench(workspace: try jilinWorkspace().path).router())
        try await app.test(.router) { client in
            let posted = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                  body: form([("name", "dl45"), (thresholdField, "45")]))
            let location = try #require(posted.headers[.location])
            let page = try await finishedJob(client, location)
            let id = String(location.dropFirst("/job?id=".count))
            for name in ["comparison.xlsx", "headline.csv", "capacity.csv", "comparison.csv", "closure_changes.csv",
                         "compare-capacity.svg", "compare-capacity.png", "web-dl45.yaml"] {
                #expect(page.contains("file=\(name)\""), "no download \(name)")
            }
            let capacity = try await client.execute(uri: "/job/download?id=\(id)&file=capacity.csv", method: .get).text
            #expect(capacity.hasPrefix("sector,year,base,variant,difference\n"))
            #expect(capacity.contains("\ncoal,2020,2164,2051,-113\n"))
            let headline = try await client.execute(uri: "/job/download?id=\(id)&file=headline.csv", method: .get).text
            #expect(headline.contains("\ncapacity_end,coal,,万吨/年,2164,2051,-113\n"))
            let xlsx = try await client.execute(uri: "/job/download?id=\(id)&file=comparison.xlsx", method: .get)
            #expect(xlsx.status == .ok)
            let file = try temporaryFolder("comparison").appendingPathComponent("comparison.xlsx")
            try Data(buffer: xlsx.body).write(to: file)
            let sheets = try workbookSheets(file)
            #expect(!sheets.isEmpty)
            let cells = try (1...sheets.count).map { try zipMember(file, "xl/worksheets/sheet\($0).xml") }.joined()
            #expect(cells.contains("<v>-113</v>"), "the workbook has the -113 difference")
        }
    }
}
