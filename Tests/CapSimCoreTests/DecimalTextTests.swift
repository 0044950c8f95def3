import CapSimCore
import Testing

/// Figures as output tables and reasons write them.
@Suite struct DecimalTextTests {
    @Test(arguments: [
        (0.0, "0"), (3, "3"), (1500, "1500"), (-3, "-3"), (1405, "1405"),
        (1.25, "1.25"), (1.1, "1.1"), (2.5, "2.5"), (0.1 + 0.2, "0.3"), (0.65, "0.65"),
        (-2.5, "-2.5"), (-0.125, "-0.125"), (12.3456, "12.3456"),
        (1.23456, "1.2346"), (1.23454, "1.2345"), (2.99999, "3"), (1404.99999999, "1405"),
        (0.00005, "0.0001"), (0.00004, "0"), (-0.00004, "0"), (-0.0, "0"), (1e-12, "0"),
        (123456789.5, "123456789.5"), (0.0001, "0.0001"), (-0.00005, "-0.0001"),
    ] as [(Double, String)])
    func defaultFourDigits(x: Double, text: String) {
        #expect(decimalText(x) == text)
    }

    @Test func otherDigitCounts() {
        #expect(decimalText(2.5, digits: 0) == "3")
        #expect(decimalText(-2.5, digits: 0) == "-3")
        #expect(decimalText(0.4, digits: 0) == "0")
        #expect(decimalText(1.23456, digits: 2) == "1.23")
        #expect(decimalText(1.999, digits: 2) == "2")
        #expect(decimalText(0.000000001, digits: 9) == "0.000000001")
        #expect(decimalText(1.10, digits: 9) == "1.1")
    }

    @Test func nonFiniteValues() {
        #expect(decimalText(.nan) == "nan")
        #expect(decimalText(.infinity) == "inf")
        #expect(decimalText(-.infinity) == "-inf")
    }

    /// Above 9e15 / 10^digits the function falls back to `String(x)`, which writes ".0" and exponents.
    @Test(arguments: [(1e12, "1000000000000"), (-2e12, "-2000000000000"), (1e20, "100000000000000000000")]
          as [(Double, String)])
    func largeIntegersHaveNoFractionOrExponent(x: Double, text: String) {
        #expect(decimalText(x) == text)
    }
}
