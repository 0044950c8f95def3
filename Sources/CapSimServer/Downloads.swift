import CapSimIO
import CapSimWorkbook
import Foundation

/// The files a page offers besides its charts: each table as CSV, and the Excel workbook that
/// `capsim xlsx` (of a run) or `capsim compare --xlsx` (of a comparison) writes.
enum Downloads {
    typealias File = WhatIfOutcome.Download

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A table as CSV, with the header and cells shown on the page.
    static func csv(_ header: [String], _ rows: [[String]]) -> File {
        var text = CSVText(header: header)
        for row in rows { text.append(row) }
        return File(contentType: "text/csv; charset=utf-8", data: Data(text.text.utf8))
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The run's workbook, built by `RunWorkbook` from the run files in `files` (summary.json,
    /// projections.csv, closures.csv, openings.csv) exactly as `capsim xlsx` builds it from a run folder.
    static func runWorkbook(_ files: [String: File]) throws -> File {
        try inTemporaryFolder { folder in
            for name in ["summary.json", "projections.csv", "closures.csv", "openings.csv"] {
                guard let file = files[name] else { throw Failure(description: "no \(name) for the workbook") }
                try file.data.write(to: URL(fileURLWithPath: folder + "/" + name))
            }
            return try RunWorkbook.tables(runFolder: folder)
        }
    }

    /// The comparison's workbook, as `capsim compare --xlsx` writes it.
    static func compareWorkbook(_ answer: ComparisonAnswer) throws -> File {
        try inTemporaryFolder { _ in CompareWorkbook.tables(answer) }
    }

    /// Writes the tables `make` builds (given a temporary folder) to a workbook there and returns
    /// its bytes; the folder is removed whatever happens (libxlsxwriter writes only to files).
    private static func inTemporaryFolder(_ make: (String) throws -> [WorkbookTable]) throws -> File {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("capsim-server-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: folder) }
        let path = folder + "/workbook.xlsx"
        try WorkbookFile.write(try make(folder), to: path)
        return File(contentType: xlsxType, data: try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
