import Yams

/// Typed, located access to a composed YAML tree; each bad value becomes one issue naming its
/// line and its path (`rules[2].threshold`), and reading continues so every problem is reported.
struct YAMLReader {
    let file: String
    var issues: [ScenarioIssue] = []
    /// The file the value at a path came from (a variant may set values in a scenario it extends).
    let origin: (String) -> String

    init(file: String, origin: ((String) -> String)? = nil) {
        self.file = file
        self.origin = origin ?? { _ in file }
    }

    /// Records an issue at `node`'s line for the value at `path`, in the file that value came from.
    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        issues.append(ScenarioIssue(file: origin(path), line: node?.mark?.line, field: path.isEmpty ? nil : path,
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
            // Built only for a message: a sweep resolves these mappings for every experiment.
            var keyPath: String { path.isEmpty ? key : path + "." + key }
            if !allowed.contains(key) {
                report(keyNode, keyPath, "unknown key; expected one of: \(allowed.joined(separator: ", "))"
                       + Suggestion.phrase(for: key, in: allowed))
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
            return fail(node, path, (range.upperBound == Int.max ? "must be ≥ \(range.lowerBound)"
                                     : "must be in \(range.lowerBound)...\(range.upperBound)") + ", got \(x)")
        }
        return x
    }

    /// `true` or `false` (YAML 1.2 core schema spellings only; `yes`/`no` are errors, not booleans).
    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        switch node.scalar?.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return fail(node, path, "expected true or false, got \(describe(node))")
        }
    }

    /// A decimal number that must satisfy `valid` and be at most `limit.max`; `expectation` says
    /// what valid means in the message.
    mutating func number(_ node: Node, _ path: String, expectation: String, limit: ScenarioLimit,
                         valid: (Double) -> Bool) -> Double? {
        guard let text = node.scalar?.string, let x = DecimalNumber.parse(text) else {
            return fail(node, path, "expected a decimal number, got \(describe(node))")
        }
        guard valid(x) else { return fail(node, path, "must be \(expectation), got \(text)") }
        guard x <= limit.max else { return fail(node, path, "\(limit.message), got \(text)") }
        return x
    }

    /// A mapping from year to number, e.g. `{2016: 9, 2017: 15}`.
    mutating func yearMap(_ node: Node, _ path: String, years: ClosedRange<Int>, expectation: String, limit: ScenarioLimit,
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
            if let x = number(value, "\(path).\(year)", expectation: expectation, limit: limit, valid: valid) {
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

    /// The key node of `key` in the mapping `node`, to report a problem at the line where the key
    /// is written rather than where its value starts.
    func keyNode(_ node: Node?, _ key: String) -> Node? {
        node?.mapping?.first { $0.key.scalar?.string == key }?.key
    }

    /// A list of numbers, each satisfying `valid`; a bad element is reported at `path[i]`.
    mutating func numberList(_ node: Node, _ path: String, expectation: String, limit: ScenarioLimit,
                             valid: (Double) -> Bool) -> [Double]? {
        guard let list = sequence(node, path) else { return nil }
        var result: [Double] = []
        var ok = true
        for (i, item) in list.enumerated() {
            if let x = number(item, "\(path)[\(i)]", expectation: expectation, limit: limit, valid: valid) {
                result.append(x)
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }

    /// A non-empty list of enumeration values, none repeated, e.g. `[coal, iron]`.
    mutating func enumerationList<E: RawRepresentable & CaseIterable & Equatable>(_ node: Node, _ path: String,
                                                                                  _: E.Type) -> [E]?
        where E.RawValue == String
    {
        guard let list = sequence(node, path) else { return nil }
        if list.isEmpty {
            return fail(node, path, "list at least one of: " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var result: [E] = []
        var ok = true
        for (i, item) in list.enumerated() {
            guard let e = enumeration(item, "\(path)[\(i)]", E.self) else {
                ok = false
                continue
            }
            if result.contains(e) {
                report(item, "\(path)[\(i)]", "'\(e.rawValue)' appears twice")
                ok = false
            }
            result.append(e)
        }
        return ok ? result : nil
    }

    /// Numbers keyed by enumeration values, e.g. `{coal: 1.2}`; at least one key, none repeated.
    mutating func enumerationMap<E: RawRepresentable & CaseIterable & Hashable>(
        _ node: Node, _ path: String, _: E.Type, expectation: String, limit: ScenarioLimit, valid: (Double) -> Bool
    ) -> [E: Double]? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let map = node.mapping else { return fail(node, path, "expected a mapping with keys among: \(names)") }
        var result: [E: Double] = [:]
        var ok = true
        for (keyNode, value) in map {
            let keyText = keyNode.scalar?.string ?? ""
            guard let key = E(rawValue: keyText) else {
                report(keyNode, "\(path).\(keyText)", "unknown key; expected one of: \(names)")
                ok = false
                continue
            }
            if result[key] != nil {
                report(keyNode, "\(path).\(keyText)", "key appears twice")
                ok = false
            }
            if let x = number(value, "\(path).\(keyText)", expectation: expectation, limit: limit, valid: valid) {
                result[key] = x
            } else {
                ok = false
            }
        }
        if result.isEmpty && ok { return fail(node, path, "must list at least one of: \(names)") }
        return ok ? result : nil
    }

    /// A value that is either one number for every year, or a mapping `{year: number}`.
    enum NumberOrYearMap: Equatable {
        case constant(Double)
        case byYear([Int: Double])
    }

    /// A number, or a mapping from year to number (`0.03` or `{2015: 0.03, 2016: 0.02}`).
    mutating func numberOrYearMap(_ node: Node, _ path: String, years: ClosedRange<Int>, expectation: String, limit: ScenarioLimit,
                                  valid: (Double) -> Bool) -> NumberOrYearMap? {
        if node.mapping != nil {
            return yearMap(node, path, years: years, expectation: expectation, limit: limit, valid: valid).map { .byYear($0) }
        }
        guard node.scalar != nil else {
            return fail(node, path, "expected a number or a mapping of year to number, e.g. {\(years.lowerBound): 0.03}")
        }
        return number(node, path, expectation: expectation, limit: limit, valid: valid).map { .constant($0) }
    }

    private func describe(_ node: Node) -> String {
        if let s = node.scalar?.string { return "'\(s)'" }
        return node.mapping != nil ? "a mapping" : "a list"
    }
}
