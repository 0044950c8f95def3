/// Numbers as planners write them: decimal digits with an optional sign, decimal point and
/// exponent (`12`, `-0.5`, `.25`, `3e9`, `2.0E+8`).
///
/// Swift's `Double(String)` also accepts hexadecimal (`0x10` is 16), `inf`, `infinity`, `nan`
/// and hexadecimal floats (`0x1p4`): none is what a planner means by a figure in a table, so
/// every number a scenario, a facility or enterprise table, or a chart input holds is read here.
public enum DecimalNumber {
    /// The value of `text` when it is a finite decimal number, else nil.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        guard isDecimal(text.utf8) else { return nil }
        guard let x = Double(String(text)), x.isFinite else { return nil }
        return x
    }

    /// Whether `bytes` is `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
    static func isDecimal<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func digits() -> Int {
            var count = 0
            while i != bytes.endIndex, isDigit(bytes[i]) { count += 1; i = bytes.index(after: i) }
            return count
        }
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            i = bytes.index(after: i)
        }
        var mantissa = digits()
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i != bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                i = bytes.index(after: i)
            }
            guard digits() > 0 else { return false }
        }
        return i == bytes.endIndex
    }
}
