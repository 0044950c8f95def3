/// Builds CSV text: fields with a comma, quote or line break are quoted, quotes doubled.
public struct CSVText {
    /// The text so far.
    public private(set) var text = ""

    /// Starts a table with its header row.
    public init(header: [String]) { append(header) }

    /// Appends one row.
    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    /// One field as CSV.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
