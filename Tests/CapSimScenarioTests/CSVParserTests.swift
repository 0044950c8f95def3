@testable import CapSimScenario
import Testing

/// The CSV parser: fields, quoting and the physical line each record starts on.
@Suite struct CSVParserTests {
    func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        try CSVParser.parse(text).map { ($0.line, $0.fields) }
    }

    @Test func recordsKeepTheirStartingLineAcrossQuotedLineBreaksAndBlankLines() throws {
        let records = try parse("a,b\n\"x\ny\",2\n\n\nlast,\"\"\n")
        #expect(records.map(\.line) == [1, 2, 6])
        #expect(records.map(\.fields) == [["a", "b"], ["x\ny", "2"], ["last", ""]])
    }

    @Test func crlfAndLoneCRCountAsOneLineBreakEach() throws {
        let records = try parse("a,b\r\nc,d\re,f\r\n\r\ng,h")
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records.last?.fields == ["g", "h"])
    }

    @Test func quotedFieldsKeepCommasAndDoubledQuotes() throws {
        let records = try parse("\"a,b\",\"say \"\"hi\"\"\",,\"\"\n")
        #expect(records.first?.fields == ["a,b", "say \"hi\"", "", ""])
    }

    @Test func byteOrderMarkIsDropped() throws {
        #expect(try parse("\u{FEFF}id,name\n").first?.fields == ["id", "name"])
    }

    @Test func unterminatedQuoteNamesTheRecordsFirstLine() {
        #expect(throws: CSVParser.Failure.self) { try CSVParser.parse("a\n\"open\nstill\n") }
        do {
            _ = try CSVParser.parse("a\nb\n\"open\nstill\n")
        } catch CSVParser.Failure.unterminatedQuote(let line) {
            #expect(line == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func textAfterAClosingQuoteIsAnErrorOnItsLine() {
        do {
            _ = try CSVParser.parse("a,b\n\"x\"y,2\n")
            Issue.record("expected a failure")
        } catch CSVParser.Failure.textAfterClosingQuote(let line) {
            #expect(line == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
