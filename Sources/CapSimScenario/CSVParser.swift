/// One CSV record with the physical line it starts on.
struct CSVRecord {
    var line: Int
    var fields: [String]
}

/// A CSV parser (RFC 4180: quoted fields, doubled quotes, CRLF or LF) that keeps line numbers.
///
/// Written here rather than taken from a package because errors must name the physical line of
/// each record, which the CSV packages on the mirror do not report.
enum CSVParser {
    enum Failure: Error {
        case unterminatedQuote(line: Int)
        case textAfterClosingQuote(line: Int)
    }

    /// Parses `text` into records; blank lines are skipped. A leading UTF-8 byte-order mark is dropped.
    static func parse(_ text: String) throws -> [CSVRecord] {
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
