import CapSimCore
@testable import CapSimIO
import Testing

/// The byte writer formats exactly as the text functions it replaced: numbers as `decimalText`,
/// fields as `CSVText.escape`, whatever the buffer size.
@Suite struct CSVWriterTests {
    /// Numbers spread over every magnitude the tables meet (and beyond), both signs, halves at the
    /// rounding digit, integers past 2^53 and past 9e18 (decimalText's long path).
    static func numbers() -> [Double] {
        var rng = SplitMix64(seed: 11)
        var out: [Double] = [0, -0.0, 0.5, -0.5, 0.125, 2.675, 1.005, 0.0000005, -0.0000005, 0.0000015, 999_999.9999995,
                             9.0e18, 9.5e18, 1.0e19, 1.0e308, -1.7e300, 123_456_789_012.345, 1e-12, .nan,
                             .infinity, -.infinity, Double(Int64.max), 4_503_599_627_370_495.5]
        for _ in 0..<20_000 {
            let magnitude = Double(rng.next() % 40) - 12
            var x = (Double(rng.next() % 1_000_000_007) / 1_000_000_007) * pow10(magnitude)
            if rng.next() % 2 == 0 { x = -x }
            if rng.next() % 5 == 0 { x = (x * 1e6).rounded() / 1e6 }  // exact six-decimal figures, as in tables
            out.append(x)
        }
        return out
    }

    static func pow10(_ e: Double) -> Double {
        var p = 1.0
        for _ in 0..<Int(abs(e)) { p *= 10 }
        return e < 0 ? 1 / p : p
    }

    @Test(arguments: [0, 2, 6, 9])
    func numbersAreWrittenAsDecimalTextWritesThem(digits: Int) {
        for x in Self.numbers() {
            let csv = CSVWriter()
            csv.decimal(x, digits: digits)
            #expect(csv.text == decimalText(x, digits: digits), "\(x) with \(digits) digits")
        }
    }

    /// Yuan are written to the cent, rounding the double's own value half away from zero: 0.125 is
    /// exact in binary and gives 0.13; 2.675 is 2.67499999… and gives 2.67 (docs/SCENARIO-FORMAT.md).
    @Test func yuanAreRoundedToTheCent() {
        for (x, text) in [(0.125, "0.13"), (-0.125, "-0.13"), (2.675, "2.67"), (1_234_567_890.005, "1234567890.01"),
                          (0.004, "0"), (-0.004, "0"), (0.995, "1"), (12.3, "12.3")] {
            let csv = CSVWriter()
            csv.decimal(x, digits: 2)
            #expect(csv.text == text, "\(x)")
        }
    }

    @Test func integersAreWrittenInDecimal() {
        for v in [0, 7, -7, 2016, Int.max, Int.min, -1_000_000] {
            let csv = CSVWriter()
            csv.integer(v)
            #expect(csv.text == String(v))
        }
    }

    /// Quoting is decided on bytes: a `\r\n` pair and a quote followed by a combining mark are single
    /// Characters in Swift, and were left unquoted (broken CSV) when the test was on Characters.
    @Test func fieldsAreQuotedWhenTheyHoldACommaQuoteOrLineBreak() {
        let cases = [("plain", "plain"), ("吉林,白山", "\"吉林,白山\""), ("a\"b", "\"a\"\"b\""), ("a\nb", "\"a\nb\""),
                     ("a\r\nb", "\"a\r\nb\""), ("\"\u{301}x", "\"\"\"\u{301}x\""), ("", "")]
        for (field, written) in cases {
            #expect(CSVText.escape(field) == written, "\(field.debugDescription)")
            let csv = CSVWriter()
            csv.field(field)
            #expect(csv.text == written, "\(field.debugDescription)")
        }
    }

    /// A table written through a tiny buffer to a sink arrives whole and in order; the writer's
    /// buffer never holds more than a row past its capacity.
    @Test func aSinkReceivesTheSameBytesWhateverTheBuffer() throws {
        let rows = (0..<5_000).map { ["row \($0)", "x,y", String($0 * 37)] }
        let whole = CSVWriter()
        for r in rows { try whole.row(r) }
        var received: [UInt8] = []
        var largest = 0
        let small = CSVWriter(capacity: 64) { bytes in
            received += bytes
            largest = max(largest, bytes.count)
        }
        for r in rows { try small.row(r) }
        try small.flush()
        #expect(received == whole.bytes)
        #expect(small.bytesFlushed == whole.bytes.count)
        #expect(largest <= 64 + 32)
    }

    /// A sink that throws stops the table at the next row end.
    @Test func aFailingSinkStopsTheTable() {
        struct Full: Error {}
        let csv = CSVWriter(capacity: 64) { _ in throw Full() }
        #expect(throws: Full.self) {
            for i in 0..<100 { try csv.row(["row", String(i)]) }
        }
    }
}
