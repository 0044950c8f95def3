/// `x` as short decimal text, rounded to `digits` decimals: integers without a fraction, no
/// trailing zeros, no exponent. Output tables and reasons use it so figures read as the plans write them.
public func decimalText(_ x: Double, digits: Int = 4) -> String {
    precondition((0...9).contains(digits), "digits must be in 0...9")
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return String(x) }
    var s = String(Int64(scaled))
    while s.count <= digits { s = "0" + s }
    let intPart = String(s.dropLast(digits))
    var frac = String(s.suffix(digits))
    while frac.hasSuffix("0") { frac.removeLast() }
    let negative = x < 0 && scaled != 0
    return (negative ? "-" : "") + intPart + (frac.isEmpty ? "" : "." + frac)
}
