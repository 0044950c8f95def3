import CXLSXWriter
import Foundation

/// A cell of a workbook sheet.
public enum WorkbookCell: Sendable, Equatable {
    /// Text.
    case text(String)
    /// A number shown in the column's number format.
    case number(Double)
    /// A number shown in its own format (a column mixing persons and 亿元).
    case formatted(Double, WorkbookNumberFormat)
    /// Nothing.
    case empty
}

/// How a column's numbers are shown.
public enum WorkbookNumberFormat: String, Sendable, CaseIterable {
    /// Text and years: no number format.
    case general = "General"
    /// Whole numbers with thousands separators: persons, units, enterprises, 万吨 of capacity.
    case whole = "#,##0"
    /// Two decimals with separators: 万吨 with fractions, 万人, 亿元.
    case twoDecimals = "#,##0.00"
    /// Four decimals: ratios and rates.
    case fourDecimals = "0.0000"
}

/// One table to write as a sheet: two header rows (Chinese, then English), frozen, then the rows.
public struct WorkbookTable: Sendable, Equatable {
    /// One column.
    public struct Column: Sendable, Equatable {
        /// Header in Chinese (row 1).
        public var zh: String
        /// Header in English (row 2).
        public var en: String
        /// Number format of its numbers.
        public var format: WorkbookNumberFormat
        /// Width in characters.
        public var width: Double

        /// Creates a column.
        public init(_ zh: String, _ en: String, _ format: WorkbookNumberFormat = .general, width: Double = 12) {
            self.zh = zh
            self.en = en
            self.format = format
            self.width = width
        }
    }

    /// The sheet name (at most 31 characters; a split table's later sheets get ` (2)`, ...).
    public var name: String
    /// The columns.
    public var columns: [Column]
    /// The rows, each with one cell per column.
    public var rows: [[WorkbookCell]]
    /// Columns frozen on the left with the header rows (labels that stay in view).
    public var frozenColumns: Int

    /// Creates a table.
    public init(name: String, columns: [Column], rows: [[WorkbookCell]], frozenColumns: Int = 0) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.frozenColumns = frozenColumns
    }
}

/// Why a workbook was not written.
public struct WorkbookError: Error, CustomStringConvertible, Equatable {
    /// The message, naming the file.
    public var description: String
}

/// Writes tables as an `.xlsx` file through libxlsxwriter.
public enum WorkbookFile {
    /// Rows Excel allows in a sheet (1,048,576), header rows included.
    public static let excelRowLimit = 1_048_576

    /// Writes `tables` to `path` atomically: into a hidden temporary file in the same folder, then
    /// renamed over `path`; on any error the temporary file is removed and nothing is left. A
    /// table with more rows than fit in `rowLimit` (header rows included) continues on sheets
    /// named `NAME (2)`, `NAME (3)`, ... each with the header rows.
    ///
    /// - Throws: `WorkbookError` naming `path` when the folder does not exist or cannot be written,
    ///   or libxlsxwriter fails.
    public static func write(_ tables: [WorkbookTable], to path: String, rowLimit: Int = excelRowLimit) throws(WorkbookError) {
        try checkDestination(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".capsim-tmp-\(ProcessInfo.processInfo.processIdentifier)-\(url.lastPathComponent)")
        do throws(WorkbookError) {
            try writeFile(tables, to: temporary.path, shownAs: path, rowLimit: rowLimit)
            // rename(2) replaces an existing file in one step.
            guard rename(temporary.path, url.path) == 0 else {
                throw WorkbookError(description: "\(path): cannot write the workbook: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Checks that a workbook can be written to `path` (its folder exists and is writable, and it
    /// is not a folder), so a command can refuse before it runs anything.
    ///
    /// - Throws: `WorkbookError` naming `path` and what is wrong.
    public static func checkDestination(_ path: String) throws(WorkbookError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkbookError(description: "\(path): cannot write the workbook: the folder \(folder.path) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw WorkbookError(description: "\(path): cannot write the workbook: the folder \(folder.path) is not writable")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WorkbookError(description: "\(path): cannot write the workbook: a folder of that name exists")
        }
    }

    /// The sheets `tables` become with `rowLimit`: names and row ranges of the data rows.
    public static func sheets(_ tables: [WorkbookTable], rowLimit: Int = excelRowLimit) -> [(name: String, table: Int, rows: Range<Int>)] {
        let perSheet = max(1, rowLimit - 2)
        var out: [(String, Int, Range<Int>)] = []
        for (t, table) in tables.enumerated() {
            let parts = max(1, (table.rows.count + perSheet - 1) / perSheet)
            for p in 0..<parts {
                let suffix = p == 0 ? "" : " (\(p + 1))"
                let name = String(table.name.prefix(31 - suffix.count)) + suffix
                out.append((name, t, (p * perSheet)..<min(table.rows.count, (p + 1) * perSheet)))
            }
        }
        return out
    }

    private static func writeFile(_ tables: [WorkbookTable], to file: String, shownAs path: String,
                                  rowLimit: Int) throws(WorkbookError) {
        // Constant memory: rows are flushed as written, so a large table does not sit in memory twice.
        var options = lxw_workbook_options()
        options.constant_memory = 1
        guard let workbook = file.withCString({ workbook_new_opt($0, &options) }) else {
            throw WorkbookError(description: "\(path): cannot create the workbook")
        }
        let header = workbook_add_format(workbook)
        format_set_bold(header)
        format_set_bg_color(header, 0xDDEBF7)
        format_set_text_wrap(header)
        var formats: [WorkbookNumberFormat: UnsafeMutablePointer<lxw_format>] = [:]
        for f in WorkbookNumberFormat.allCases {
            let format = workbook_add_format(workbook)
            if f != .general { f.rawValue.withCString { format_set_num_format(format, $0) } }
            formats[f] = format
        }
        var failure: lxw_error = LXW_NO_ERROR
        func check(_ e: lxw_error) { if failure == LXW_NO_ERROR && e != LXW_NO_ERROR { failure = e } }
        for sheet in sheets(tables, rowLimit: rowLimit) {
            let table = tables[sheet.table]
            guard let ws = sheet.name.withCString({ workbook_add_worksheet(workbook, $0) }) else {
                _ = workbook_close(workbook)
                throw WorkbookError(description: "\(path): cannot add the sheet '\(sheet.name)'")
            }
            // Constant-memory mode writes rows in order: all of row 0, then all of row 1, ...
            for (c, column) in table.columns.enumerated() {
                check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), column.width, formats[column.format]))
            }
            for (c, column) in table.columns.enumerated() {
                check(column.zh.withCString { worksheet_write_string(ws, 0, lxw_col_t(c), $0, header) })
            }
            for (c, column) in table.columns.enumerated() {
                check(column.en.withCString { worksheet_write_string(ws, 1, lxw_col_t(c), $0, header) })
            }
            worksheet_freeze_panes(ws, 2, lxw_col_t(table.frozenColumns))
            for (r, i) in sheet.rows.enumerated() {
                let row = lxw_row_t(r + 2)
                for (c, cell) in table.rows[i].enumerated() {
                    switch cell {
                    case let .text(s): check(s.withCString { worksheet_write_string(ws, row, lxw_col_t(c), $0, nil) })
                    case let .number(x) where x.isFinite:
                        check(worksheet_write_number(ws, row, lxw_col_t(c), x, formats[table.columns[c].format]))
                    case let .formatted(x, format) where x.isFinite:
                        check(worksheet_write_number(ws, row, lxw_col_t(c), x, formats[format]))
                    case .number, .formatted:
                        _ = workbook_close(workbook)
                        throw WorkbookError(description: "\(path): sheet '\(sheet.name)' row \(r + 3): a number is not finite")
                    case .empty: break
                    }
                }
            }
        }
        let closed = workbook_close(workbook)
        if failure != LXW_NO_ERROR || closed != LXW_NO_ERROR {
            let e = failure != LXW_NO_ERROR ? failure : closed
            throw WorkbookError(description: "\(path): cannot write the workbook: \(String(cString: lxw_strerror(e)))")
        }
    }
}
