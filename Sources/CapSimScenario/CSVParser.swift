/// One CSV record with the physical line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line the record starts on (a quoted field may span lines).
    public var line: Int
    /// The record's fields, unquoted.
    public var fields: [String]

    /// A record starting on `line`.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A CSV parser (RFC 4180: quoted fields, doubled quotes, CRLF or LF) that keeps line numbers.
///
/// Written here rather than taken from a package because errors must name the physical line of
/// each record, which the CSV packages on the mirror do not report.
///
/// Public so that other readers of capsim's CSV tables (charts) report lines the same way.
public enum CSVParser {
    /// Malformed CSV, with the physical line.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A quoted field opened on `line` runs to the end of the text.
        case unterminatedQuote(line: Int)
        /// Characters follow a closing quote on `line` before the next comma or line break.
        case textAfterClosingQuote(line: Int)

        /// The line the problem is on.
        public var line: Int {
            switch self {
            case let .unterminatedQuote(line), let .textAfterClosingQuote(line): return line
            }
        }

        /// The problem in words, without the line (callers prefix `file:line:`).
        public var description: String {
            switch self {
            case .unterminatedQuote: return "a quoted field is never closed"
            case .textAfterClosingQuote: return "text after a closing quote; double a quote inside a quoted field (\"\")"
            }
        }
    }

    /// The number of records `parse` would return (blank lines skipped, line breaks inside quotes
    /// not counted), found in one pass over the bytes without building a field, so that a
    /// table too large to load can be refused before it is parsed.
    public static func recordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { recordCount(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// `recordCount` of UTF-8 bytes.
    static func recordCount(bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0, inQuotes = false, lineHasText = false
        for b in bytes {
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
                lineHasText = true
            } else if !inQuotes && (b == 0x0A || b == 0x0D) {
                if lineHasText { count += 1 }
                lineHasText = false
            } else {
                lineHasText = true
            }
        }
        return count + (lineHasText ? 1 : 0)
    }

    /// Parses `text` into records; blank lines are skipped. A leading UTF-8 byte-order mark is dropped.
    public static func parse(_ text: String) throws(Failure) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0

        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
            afterQuote = false
        }

        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                fields.append(field)
                field = ""
                afterQuote = false
            } else if c == "\n" || c == "\r" {
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else if c == "\"" && field.isEmpty && !afterQuote {
                inQuotes = true
            } else if afterQuote {
                throw Failure.textAfterClosingQuote(line: line)
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw Failure.unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
