import Yams

/// Typed, located access to a composed YAML tree; each bad value becomes one issue naming its
/// line and its path (`rules[2].threshold`), and reading continues so every problem is reported.
struct YAMLReader {
    let file: String
    var issues: [ScenarioIssue] = []

    init(file: String) { self.file = file }

    /// Records an issue at `node`'s line for the value at `path`.
    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        issues.append(ScenarioIssue(file: file, line: node?.mark?.line, field: path.isEmpty ? nil : path,
                                    message: message))
    }

    /// Records an issue and returns nil, for readers that produce a value.
    mutating func fail<T>(_ node: Node?, _ path: String, _ message: String) -> T? {
        report(node, path, message)
        return nil
    }

    /// The keys of a mapping; unknown or repeated keys and missing required keys are issues.
    mutating func mapping(_ node: Node, _ path: String, allowed: [String], required: [String] = [])
        -> [String: Node]?
    {
        guard let map = node.mapping else {
            return fail(node, path, "expected a mapping of keys (\(allowed.joined(separator: ", ")))")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in map {
            guard let key = keyNode.scalar?.string else {
                report(keyNode, path, "keys must be plain text")
                continue
            }
            let keyPath = path.isEmpty ? key : path + "." + key
            if !allowed.contains(key) {
                report(keyNode, keyPath, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            } else if result[key] != nil {
                report(keyNode, keyPath, "key appears twice")
            } else {
                result[key] = value
            }
        }
        for key in required where result[key] == nil {
            report(node, path.isEmpty ? key : path + "." + key, "required key is missing")
        }
        return result
    }

    mutating func sequence(_ node: Node, _ path: String) -> [Node]? {
        guard let seq = node.sequence else { return fail(node, path, "expected a list") }
        return Array(seq)
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        guard let s = node.scalar?.string, !s.isEmpty else { return fail(node, path, "expected non-empty text") }
        return s
    }

    mutating func integer(_ node: Node, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar?.string, let x = Int(text) else {
            return fail(node, path, "expected a whole number, got \(describe(node))")
        }
        guard range.contains(x) else {
            return fail(node, path, "must be in \(range.lowerBound)...\(range.upperBound), got \(x)")
        }
        return x
    }

    /// A number that must satisfy `valid`; `expectation` says what valid means in the message.
    mutating func number(_ node: Node, _ path: String, expectation: String,
                         valid: (Double) -> Bool) -> Double? {
        guard let text = node.scalar?.string, let x = Double(text), x.isFinite else {
            return fail(node, path, "expected a number, got \(describe(node))")
        }
        guard valid(x) else { return fail(node, path, "must be \(expectation), got \(text)") }
        return x
    }

    /// A mapping from year to number, e.g. `{2016: 9, 2017: 15}`.
    mutating func yearMap(_ node: Node, _ path: String, years: ClosedRange<Int>, expectation: String,
                          valid: (Double) -> Bool) -> [Int: Double]? {
        guard let map = node.mapping else {
            return fail(node, path, "expected a mapping of year to number, e.g. {2016: 9}")
        }
        var result: [Int: Double] = [:]
        var ok = true
        for (keyNode, value) in map {
            let keyText = keyNode.scalar?.string ?? ""
            guard let year = Int(keyText), years.contains(year) else {
                report(keyNode, "\(path).\(keyText)",
                     "keys must be years in \(years.lowerBound)...\(years.upperBound)")
                ok = false
                continue
            }
            if result[year] != nil {
                report(keyNode, "\(path).\(year)", "year appears twice")
                ok = false
            }
            if let x = number(value, "\(path).\(year)", expectation: expectation, valid: valid) {
                result[year] = x
            } else {
                ok = false
            }
        }
        if result.isEmpty && ok { return fail(node, path, "must list at least one year") }
        return ok ? result : nil
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: E.Type)
        -> E? where E.RawValue == String
    {
        if let text = node.scalar?.string, let e = E(rawValue: text) { return e }
        return fail(node, path, "unknown value \(describe(node)); expected one of: "
                    + E.allCases.map(\.rawValue).joined(separator: ", "))
    }

    private func describe(_ node: Node) -> String {
        if let s = node.scalar?.string { return "'\(s)'" }
        return node.mapping != nil ? "a mapping" : "a list"
    }
}
