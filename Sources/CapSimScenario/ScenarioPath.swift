/// A readable address of one value in a scenario file: keys joined by dots, list elements picked by
/// position or by their `id` in brackets, e.g. `rules[coal-under-30].threshold`,
/// `sectors.coal.priceIndexByYear.2017`, `resettlement.channels[2].share`.
public struct ScenarioPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        /// A key of a mapping.
        case key(String)
        /// A list element by 0-based position.
        case index(Int)
        /// A list element by the value of its `id` key.
        case id(String)
    }

    /// The steps, from the top of the file.
    public var segments: [Segment]

    /// The path as written: `a.b[c].d`.
    public var description: String {
        var s = ""
        for segment in segments {
            switch segment {
            case let .key(k): s += s.isEmpty ? k : "." + k
            case let .index(i): s += "[\(i)]"
            case let .id(id): s += "[\(id)]"
            }
        }
        return s
    }

    /// Parses `text`; nil with a reason when it is not a path.
    public static func parse(_ text: String) -> Result<ScenarioPath, PathSyntaxError> {
        var segments: [Segment] = []
        var chars = Substring(text)
        func fail(_ why: String) -> Result<ScenarioPath, PathSyntaxError> {
            .failure(PathSyntaxError(text: text, reason: why))
        }
        guard !text.isEmpty else { return fail("the path is empty") }
        var expectKey = true
        while !chars.isEmpty {
            if chars.first == "[" {
                guard let close = chars.firstIndex(of: "]") else { return fail("'[' without ']'") }
                let inside = String(chars[chars.index(after: chars.startIndex)..<close])
                guard !inside.isEmpty, !segments.isEmpty else { return fail("'[]' must follow a key and name a position or an id") }
                segments.append(Int(inside).map { .index($0) } ?? .id(inside))
                chars = chars[chars.index(after: close)...]
                expectKey = false
                if chars.first == "." {
                    chars = chars.dropFirst()
                    expectKey = true
                    if chars.isEmpty { return fail("the path ends with '.'") }
                } else if let c = chars.first, c != "[" {
                    return fail("expected '.' or '[' after ']', got '\(c)'")
                }
            } else {
                guard expectKey else { return fail("expected '.' before a key") }
                let end = chars.firstIndex { $0 == "." || $0 == "[" } ?? chars.endIndex
                let key = String(chars[..<end])
                guard !key.isEmpty else { return fail("empty key (two dots, or a dot before '[')") }
                segments.append(.key(key))
                chars = chars[end...]
                expectKey = false
                if chars.first == "." {
                    chars = chars.dropFirst()
                    expectKey = true
                    if chars.isEmpty { return fail("the path ends with '.'") }
                }
            }
        }
        return .success(ScenarioPath(segments: segments))
    }
}

/// Why a text is not a `ScenarioPath`.
public struct PathSyntaxError: Error, Sendable, CustomStringConvertible {
    /// The text that was given.
    public var text: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "'\(text)' is not a path (\(reason)); write keys with dots and list elements in brackets, e.g. rules[coal-under-30].threshold" }
}
