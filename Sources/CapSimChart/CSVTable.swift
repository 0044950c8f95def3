import CapSimScenario

/// A CSV file whose header must be exactly `expected`, read into records with line numbers, and
/// field accessors whose errors name the file, line and column.
struct CSVTable {
    /// The file name used in messages.
    let source: String
    let records: [CSVRecord]
    private let column: [String: Int]

    /// Parses `text`; the header must equal `expected` (names and order), since the writers of these
    /// files (`capsim run`, `compare`, `sweep`) fix them and a different header means a different file.
    ///
    /// Every row is checked before any is used, so a damaged table is an error even where the
    /// chart would not look: each row has the header's field count, every cell of `numbers` is a
    /// decimal number and every cell of `integers` a whole number. Errors name the file, the
    /// line, the row and the column.
    init(text: String, source: String, expected: [String], numbers: [String] = [], integers: [String] = []) throws {
        let all: [CSVRecord]
        do {
            all = try CSVParser.parse(text)
        } catch let failure {
            throw ChartInputError(file: source, line: failure.line, message: failure.description)
        }
        guard let first = all.first else {
            throw ChartInputError(file: source, line: 1, field: "header",
                                  message: "the file is empty; expected the header " + expected.joined(separator: ","))
        }
        if first.fields != expected {
            let wrong = zip(first.fields, expected).enumerated().first { $0.element.0 != $0.element.1 }
            let detail: String
            if let wrong {
                detail = "column \(wrong.offset + 1) is '\(wrong.element.0)', expected '\(wrong.element.1)'"
            } else {
                detail = "\(first.fields.count) columns, expected \(expected.count)"
            }
            throw ChartInputError(file: source, line: first.line, field: "header",
                                  message: detail + "; the header must be " + expected.joined(separator: ","))
        }
        self.source = source
        records = Array(all.dropFirst())
        column = Dictionary(uniqueKeysWithValues: expected.enumerated().map { ($1, $0) })
        for (r, record) in records.enumerated() {
            guard record.fields.count == expected.count else {
                throw ChartInputError(file: source, line: record.line, row: r + 1,
                                      message: "\(record.fields.count) fields, the header has \(expected.count)")
            }
            for name in numbers { _ = try number(record, name, row: r + 1) }
            for name in integers { _ = try integer(record, name, row: r + 1) }
        }
    }

    /// The text of column `name` in `record`; `name` must be in the header.
    func text(_ record: CSVRecord, _ name: String) -> String {
        guard let c = column[name] else { preconditionFailure("column \(name) is not in the expected header") }
        return record.fields[c]
    }

    /// Column `name` as a finite decimal number, or a located error.
    func number(_ record: CSVRecord, _ name: String, row: Int? = nil) throws -> Double {
        let raw = text(record, name)
        guard let value = DecimalNumber.parse(raw.trimmingSpaces) else {
            throw ChartInputError(file: source, line: record.line, row: row ?? self.row(of: record), field: name,
                                  message: "'\(raw)' is not a decimal number")
        }
        return value
    }

    /// Column `name` as an integer (a year, a count), or a located error.
    func integer(_ record: CSVRecord, _ name: String, row: Int? = nil) throws -> Int {
        let raw = text(record, name)
        guard let value = Int(raw.trimmingSpaces) else {
            throw ChartInputError(file: source, line: record.line, row: row ?? self.row(of: record), field: name,
                                  message: "'\(raw)' is not an integer")
        }
        return value
    }

    /// The 1-based data row of `record`, for messages about a record found after the checks.
    private func row(of record: CSVRecord) -> Int? {
        records.firstIndex { $0.line == record.line }.map { $0 + 1 }
    }
}

extension String {
    /// Without leading and trailing spaces (spreadsheet exports sometimes pad numbers).
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The distinct values of `values` in first-seen order (series keep the order of the data).
func distinctInOrder<S: Sequence>(_ values: S) -> [S.Element] where S.Element: Hashable {
    var seen = Set<S.Element>()
    return values.filter { seen.insert($0).inserted }
}

/// "a, b and c": for messages listing what the file does have.
func listText(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "(none)" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
}
