import Foundation
import Yams

/// One value of a scenario a planner may change on the what-if form: where it is (a `set:` path),
/// its value in the scenario, and the unit and source its file's comment gives.
public struct Lever: Sendable, Equatable {
    /// How the planner thinks of it.
    public enum Group: String, Sendable, CaseIterable {
        case closureRules = "Closure thresholds and their years"
        case targets = "Yearly closure targets"
        case pricesAndUtilisation = "Price and utilisation paths"
        case resettlement = "Resettlement channels and transitions"
        case debt = "Debt levers and zombie criteria"
    }

    /// The `set:` path, list elements by id (`rules[coal-under-30].threshold`).
    public var path: String
    /// The form group.
    public var group: Group
    /// The value as the scenario writes it (the default of the field).
    public var value: String
    /// The unit, from the comment beside the value (text before its first ';'); empty when none.
    public var unit: String
    /// The source or assumption, from the same comment (text after its first ';').
    public var source: String
    /// 1-based line of the value in the scenario file.
    public var line: Int
    /// True for a scale factor on a whole yearly path (`sectors.coal.priceIndexByYear`): every year's
    /// value is multiplied by the number given; its default is 1.
    public var isScale: Bool = false
}

/// The levers of a scenario file (one with no `extends:`), read from its YAML with the lines' comments.
public enum LeverCatalogue {
    /// Every lever of the scenario file at `path`, in file order within each group.
    ///
    /// - Throws: when the file cannot be read or parsed (the loader's own message is shown instead
    ///   by the pages, which load the scenario first).
    public static func levers(ofFile path: String) throws -> [Lever] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.compose(yaml: text), let top = root.mapping else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [Lever] = []

        func comment(_ line: Int) -> (unit: String, source: String) {
            guard line >= 1, line <= lines.count, let c = commentText(lines[line - 1]) else { return ("", "") }
            if let semi = c.firstIndex(of: ";") {
                return (c[..<semi].trimmingCharacters(in: .whitespaces),
                        c[c.index(after: semi)...].trimmingCharacters(in: .whitespaces))
            }
            return ("", c)
        }
        func add(_ path: String, _ node: Node, _ group: Lever.Group) {
            guard let scalar = node.scalar, scalar.style == .plain, Double(scalar.string) != nil,
                  let line = node.mark?.line else { return }
            let (unit, source) = comment(line)
            found.append(Lever(path: path, group: group, value: scalar.string, unit: unit, source: source, line: line))
        }
        func addNumbers(_ prefix: String, _ node: Node?, _ group: Lever.Group) {
            guard let map = node?.mapping else { return }
            for (key, value) in map {
                guard let k = key.scalar?.string else { continue }
                if value.scalar != nil { add(prefix + "." + k, value, group) }
            }
        }
        func addPath(_ prefix: String, _ node: Node?, _ group: Lever.Group, scale: Bool) {
            guard let map = node?.mapping else { return }
            if scale, let line = node?.mark?.line {
                let (unit, source) = comment(line)
                found.append(Lever(path: prefix, group: group, value: "1", unit: "multiplier on every year (" + unit + ")",
                                   source: source, line: line, isScale: true))
            }
            for (key, value) in map {
                if let k = key.scalar?.string { add(prefix + "." + k, value, group) }
            }
        }
        func eachByID(_ node: Node?, _ body: (String, Node.Mapping) -> Void) {
            guard let list = node?.sequence else { return }
            for (i, item) in list.enumerated() {
                guard let map = item.mapping else { continue }
                body(map["id"]?.scalar?.string ?? String(i), map)
            }
        }

        if let sectors = top["sectors"]?.mapping {
            for (key, value) in sectors {
                guard let s = key.scalar?.string, let m = value.mapping else { continue }
                let p = "sectors." + s
                for k in ["utilisation", "priceIndex", "replacementRatio"] { if let v = m[k] { add(p + "." + k, v, .pricesAndUtilisation) } }
                for k in ["utilisationByYear", "priceIndexByYear"] { addPath(p + "." + k, m[k], .pricesAndUtilisation, scale: true) }
            }
        }
        eachByID(top["rules"]) { id, m in
            let p = "rules[\(id)]"
            for k in ["threshold", "from", "to", "year"] { if let v = m[k] { add(p + "." + k, v, .closureRules) } }
            addPath(p + ".thresholdByYear", m["thresholdByYear"], .closureRules, scale: false)
        }
        eachByID(top["targets"]) { id, m in
            addPath("targets[\(id)].capacityClosedByYear", m["capacityClosedByYear"], .targets, scale: false)
        }
        if let resettlement = top["resettlement"]?.mapping {
            eachByID(resettlement["channels"]) { id, m in
                for k in ["share", "capacityTotal", "capacityPerYear", "from", "to", "oneOffYuanPerPerson"] {
                    if let v = m[k] { add("resettlement.channels[\(id)].\(k)", v, .resettlement) }
                }
            }
            addNumbers("resettlement.transitions", resettlement["transitions"], .resettlement)
        }
        if let finance = top["finance"]?.mapping {
            eachByID(finance["instruments"]) { id, m in
                for k in ["share", "debtFollowsShare", "from", "to"] {
                    if let v = m[k] { add("finance.instruments[\(id)].\(k)", v, .debt) }
                }
            }
            addNumbers("finance.zombies", finance["zombies"], .debt)
        }
        return found
    }

    /// The comment of a YAML line: the text after the first `#` that starts a comment (preceded
    /// by a space and outside quotes), trimmed; nil when the line has none.
    static func commentText(_ line: String) -> String? {
        var quote: Character?
        var previous: Character = " "
        for (offset, c) in line.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#", previous == " " || previous == "\t" {
                return String(line.dropFirst(offset + 1)).trimmingCharacters(in: .whitespaces)
            }
            previous = c
        }
        return nil
    }
}
