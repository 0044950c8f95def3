/// One problem found in a scenario's input, located as precisely as the input allows.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in, as the user named it (or as resolved from the scenario file).
    public var file: String
    /// 1-based line in the file, when known.
    public var line: Int?
    /// 1-based data row of a CSV table (the header is not a row), when the problem is in a row.
    public var row: Int?
    /// The field: a YAML path such as `rules[2].threshold`, or a CSV column name.
    public var field: String?
    /// What is wrong, and what was expected.
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int? = nil, row: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.message = message
    }

    /// `file:line: (row N) field: message`, the form compilers use so editors can jump to it.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ":"
        if let row { s += " row \(row)," }
        if let field { s += " \(field):" }
        return s + " " + message
    }
}

/// Every problem found while loading a scenario; loading reports all of them, not just the first.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order found.
    public var issues: [ScenarioIssue]

    /// Creates an error from its issues.
    public init(issues: [ScenarioIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
