import CapSimCore

/// Reads facility tables (CSV) into facilities, collecting every problem with its line, row and column.
///
/// The columns and their units are listed in docs/SCENARIO-FORMAT.md.
public enum FacilityTableReader {
    /// The columns every table must have, in the documented order.
    public static let columns = [
        "id", "name", "kind", "enterprise", "owner", "region", "capacity_10kt", "size", "start_year",
        "reserve_years", "unit_cost_yuan_per_t", "price_yuan_per_t", "logistics_km", "safety_flag",
        "workers", "source",
    ]

    /// A facility with the physical line and the data row number of its row.
    struct Row {
        var facility: Facility
        var line: Int
        var row: Int
    }

    /// Parses one table's text. `file` is used in messages only.
    static func read(text: String, file: String, issues: inout [ScenarioIssue]) -> [Row] {
        var found = Set<String>()
        return read(text: text, file: file, changes: [:], found: &found, issues: &issues)
    }

    /// Parses one table's text with a variant's changes of rows applied: `changes` by row id, in
    /// the order written; the ids of the rows found are added to `found`. A problem with a value
    /// a variant set is reported at the variant's line.
    static func read(text: String, file: String, changes: [String: [FacilityChange]], found: inout Set<String>,
                     issues: inout [ScenarioIssue]) -> [Row] {
        var facilities: [Row] = []
        rows: for var row in CSVTable.rows(text: text, file: file, columns: columns, rowNoun: "facilities", issues: &issues) {
            var changedBy: [String: FacilityChange] = [:]
            if let list = changes[row.text("id")] {
                found.insert(row.text("id"))
                for change in list {
                    guard let column = change.column, let i = row.position[column] else { continue rows }
                    switch change.action {
                    case let .set(text):
                        row.fields[i] = text
                    case let .scale(factor):
                        guard let x = DecimalNumber.parse(row.text(column)) else {
                            issues.append(ScenarioIssue(file: change.file, line: change.line, field: change.field,
                                                        message: "'\(row.text(column))' (\(file) row \(row.row)) is not a number, so it cannot be scaled"))
                            continue rows
                        }
                        row.fields[i] = ScenarioDocument.numberText(x * factor)
                    case .remove:
                        continue rows
                    }
                    changedBy[column] = change
                }
            }
            defer {
                // A bad value a variant wrote is the variant's problem: report it there.
                if !changedBy.isEmpty {
                    for k in issues.indices.suffix(row.issues.count) {
                        guard let column = issues[k].field, let change = changedBy[column] else { continue }
                        issues[k] = ScenarioIssue(file: change.file, line: change.line, field: change.field,
                                                  message: issues[k].message + " (\(file) row \(row.row))")
                    }
                }
            }
            let kind = row.enumeration("kind", FacilityKind.self)
            let reserveText = row.text("reserve_years")
            var reserve: Double?
            if kind == .coalMine {
                reserve = reserveText.isEmpty
                    ? row.fail("reserve_years", "required for a coal mine (years of reserve left)")
                    : row.number("reserve_years", min: 0, limit: ScenarioLimits.reserveYears)
            } else if !reserveText.isEmpty, kind != nil {
                row.report("reserve_years", "only coal mines have reserve years; leave it empty for \(kind!.rawValue)")
            }
            let facility = Facility(
                id: row.required("id"), name: row.required("name"), kind: kind ?? .coalMine,
                enterprise: row.required("enterprise"),
                owner: row.enumeration("owner", OwnerType.self) ?? .state,
                region: row.region(),
                capacity10ktPerYear: row.number("capacity_10kt", min: 0, limit: ScenarioLimits.capacity) ?? 0,
                size: row.number("size", min: 0, limit: ScenarioLimits.size) ?? 0,
                startYear: row.integer("start_year", range: 1900...2200) ?? 0,
                reserveYears: reserve,
                unitCostYuanPerTonne: row.number("unit_cost_yuan_per_t", min: 0, limit: ScenarioLimits.yuanPerTonne) ?? 0,
                priceYuanPerTonne: row.number("price_yuan_per_t", min: 0, limit: ScenarioLimits.yuanPerTonne) ?? 0,
                logisticsKm: row.number("logistics_km", min: 0, limit: ScenarioLimits.distance) ?? 0,
                safetyFlag: (row.integer("safety_flag", range: 0...1) ?? 0) == 1,
                workers: row.integer("workers", range: 0...ScenarioLimits.workersPerUnit) ?? 0)
            _ = row.required("source")
            issues += row.issues
            if row.issues.isEmpty { facilities.append(Row(facility: facility, line: row.line, row: row.row)) }
        }
        return facilities
    }
}

/// The checks every CSV table gets, whatever its columns: parsing, the header against a fixed set
/// of columns (unknown, repeated and missing columns), at least one data row, and each row's field
/// count. Facility and enterprise tables both read through it.
enum CSVTable {
    /// A `RowReader` for each data row that has as many fields as the header, in file order; none
    /// when the text or its header is invalid. Every problem found is added to `issues`.
    ///
    /// - Parameters:
    ///   - columns: the columns the header must have, each once, in any order.
    ///   - rowNoun: what the rows are, plural, for "the table has a header but no …".
    static func rows(text: String, file: String, columns: [String], rowNoun: String,
                     issues: inout [ScenarioIssue]) -> [RowReader] {
        let records: [CSVRecord]
        do {
            records = try CSVParser.parse(text)
        } catch {
            issues.append(ScenarioIssue(file: file, line: error.line, message: error.description))
            return []
        }
        guard let header = records.first else {
            issues.append(ScenarioIssue(file: file, line: 1, message: "the table is empty: expected a header row"))
            return []
        }
        var position: [String: Int] = [:]
        var headerOK = true
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingWhitespace()
            if !columns.contains(name) {
                issues.append(ScenarioIssue(file: file, line: header.line, field: name.isEmpty ? "column \(i + 1)" : name,
                                            message: "unknown column; expected one of: \(columns.joined(separator: ", "))"))
                headerOK = false
            } else if position[name] != nil {
                issues.append(ScenarioIssue(file: file, line: header.line, field: name, message: "column appears twice"))
                headerOK = false
            } else {
                position[name] = i
            }
        }
        for name in columns where position[name] == nil {
            issues.append(ScenarioIssue(file: file, line: header.line, field: name, message: "missing column"))
            headerOK = false
        }
        guard headerOK else { return [] }
        if records.count == 1 {
            issues.append(ScenarioIssue(file: file, line: header.line, message: "the table has a header but no \(rowNoun)"))
        }
        var rows: [RowReader] = []
        for (r, record) in records.dropFirst().enumerated() {
            if record.fields.count != header.fields.count {
                issues.append(ScenarioIssue(file: file, line: record.line, row: r + 1,
                                            message: "has \(record.fields.count) fields, the header has \(header.fields.count)"))
                continue
            }
            rows.append(RowReader(file: file, line: record.line, row: r + 1, position: position, fields: record.fields))
        }
        return rows
    }
}

/// Typed access to one CSV row's cells, recording a located issue for each bad cell.
struct RowReader {
    let file: String
    let line: Int
    let row: Int
    let position: [String: Int]
    /// The cells; a variant's changes of the row (`facilities[ID].COLUMN`) are written here
    /// before the row is read.
    var fields: [String]
    var issues: [ScenarioIssue] = []

    init(file: String, line: Int, row: Int, position: [String: Int], fields: [String]) {
        self.file = file
        self.line = line
        self.row = row
        self.position = position
        self.fields = fields
    }

    func text(_ column: String) -> String {
        guard let i = position[column], i < fields.count else { return "" }
        return fields[i].trimmingWhitespace()
    }

    mutating func report(_ column: String, _ message: String) {
        issues.append(ScenarioIssue(file: file, line: line, row: row, field: column, message: message))
    }

    mutating func fail<T>(_ column: String, _ message: String) -> T? {
        report(column, message)
        return nil
    }

    mutating func required(_ column: String) -> String {
        let value = text(column)
        if value.isEmpty { report(column, "must not be empty") }
        return value
    }

    /// The region id; `all` is reserved because output tables use it for totals.
    mutating func region() -> String {
        let value = required("region")
        if value == "all" { report("region", "'all' is reserved for totals in the output tables; use the prefecture's id") }
        return value
    }

    mutating func number(_ column: String, min: Double, limit: ScenarioLimit) -> Double? {
        number(column, expectation: "≥ \(min)", limit: limit) { $0 >= min }
    }

    /// A finite decimal number that must satisfy `valid` and be at most `limit.max`;
    /// `expectation` completes "must be …" in the message.
    mutating func number(_ column: String, expectation: String, limit: ScenarioLimit,
                         valid: (Double) -> Bool) -> Double? {
        let value = text(column)
        guard let x = DecimalNumber.parse(value) else {
            return fail(column, value.isEmpty ? "must not be empty" : "expected a decimal number, got '\(value)'")
        }
        guard valid(x) else { return fail(column, "must be \(expectation), got \(value)") }
        guard x <= limit.max else { return fail(column, "\(limit.message), got \(value)") }
        return x
    }

    mutating func integer(_ column: String, range: ClosedRange<Int>) -> Int? {
        let value = text(column)
        guard let x = Int(value) else {
            return fail(column, value.isEmpty ? "must not be empty" : "expected a whole number, got '\(value)'")
        }
        guard range.contains(x) else {
            return fail(column, (range.upperBound == Int.max ? "must be ≥ \(range.lowerBound)"
                                 : "must be in \(range.lowerBound)...\(range.upperBound)") + ", got \(value)")
        }
        return x
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ column: String, _: E.Type) -> E?
    where E.RawValue == String {
        let value = text(column)
        if let e = E(rawValue: value) { return e }
        return fail(column, "unknown value '\(value)'; expected one of: "
                    + E.allCases.map(\.rawValue).joined(separator: ", "))
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
