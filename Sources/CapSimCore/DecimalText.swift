/// `x` as short decimal text, rounded to `digits` decimals: integers without a fraction, no
/// trailing zeros, no exponent, however large. Output tables and reasons use it so figures read
/// as the plans write them (yuan amounts reach 10^10 and more).
public func decimalText(_ x: Double, digits: Int = 4) -> String {
    precondition((0...9).contains(digits), "digits must be in 0...9")
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    var whole = abs(x).rounded(.towardZero)
    // The fraction of a double is exact, so rounding it separately loses nothing.
    var fraction = ((abs(x) - whole) * scale).rounded(.toNearestOrAwayFromZero)
    if fraction >= scale {
        whole += 1
        fraction -= scale
    }
    var fractionText = ""
    if fraction > 0 {
        fractionText = String(Int(fraction))
        while fractionText.count < digits { fractionText = "0" + fractionText }
        while fractionText.hasSuffix("0") { fractionText.removeLast() }
    }
    let negative = x < 0 && (whole > 0 || fraction > 0)
    return (negative ? "-" : "") + integerText(whole) + (fractionText.isEmpty ? "" : "." + fractionText)
}

/// Exact decimal digits of a non-negative integral double.
private func integerText(_ v: Double) -> String {
    if v < 9.0e18 { return String(UInt64(v)) }
    // v = significand · 2^exponent with a 53-bit integer significand: multiply out in base 10.
    var digits: [UInt8] = []  // little-endian
    var m = v.significandBitPattern | (1 << 52)
    while m > 0 {
        digits.append(UInt8(m % 10))
        m /= 10
    }
    for _ in 0..<(Int(v.exponent) - 52) {
        var carry: UInt8 = 0
        for i in digits.indices {
            let d = digits[i] * 2 + carry
            digits[i] = d % 10
            carry = d / 10
        }
        if carry > 0 { digits.append(carry) }
    }
    return String(digits.reversed().map { Character(Unicode.Scalar($0 + 48)) })
}
