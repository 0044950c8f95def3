import CapSimPaths
import Foundation
import Yams

/// A scenario file as written, before it is resolved: its YAML tree with every `extends:` followed
/// and every `set:` override applied, and for each overridden value the file it came from.
///
/// A variant file names its base with `extends: PATH` (relative to the variant's folder); any
/// other top-level key replaces the base's key of that name, and `set:` maps paths
/// (`rules[coal-under-30].threshold`) to new values, so a variant can be a few lines.
public struct ScenarioDocument: @unchecked Sendable {
    // Yams nodes hold a weak anchor reference, so they are not Sendable; a document is never
    // mutated after it is shared, and `setting` returns a copy.

    /// The file that was named (the last variant in the chain).
    public var file: String
    /// The chain of files, from the base (no `extends`) to `file`.
    public var chain: [String]
    /// The merged YAML tree.
    var root: Node
    /// Canonical path (`rules[3].threshold`) → (file, line) of each value that a variant set,
    /// in the order the overrides were applied. Everything else comes from `chain[0]`.
    public private(set) var overrides: [ScenarioOverride] = []
    /// Changes of facility-table rows by id, in the order the variants wrote them; applied when
    /// the tables are read.
    public private(set) var facilityChanges: [FacilityChange] = []
    private var origins: [String: String] = [:]

    /// The file a value came from: the file of the override that set it or one of its parents,
    /// else the base file.
    public func origin(of canonicalPath: String) -> String {
        var p = Substring(canonicalPath)
        while true {
            if let f = origins[String(p)] { return f }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return chain[0] }
            p = p[..<cut]
        }
    }

    /// Reads `path` and every file it extends.
    ///
    /// Each file of the chain is read, parsed and located once (the work is linear in the chain's
    /// length); the values are then applied from the base to `path`.
    ///
    /// - Throws: `ScenarioError` for a missing or malformed file, an `extends` that is not text or
    ///   names no readable file, an `extends` cycle, or a `set` path that does not exist in the
    ///   base or gives a value of the wrong kind.
    ///
    /// - Parameter namedAt: where `path` itself was named (a sweep file's `scenario:`), to report
    ///   a missing file or a folder there.
    public static func load(path: String, namedAt: Reference? = nil) throws(ScenarioError) -> ScenarioDocument {
        try load(path: path, namedAt: namedAt) { path, at throws(ScenarioError) in try parse(path, namedAt: at).root }
    }

    /// Where a file was named by another: the naming file, the line and the field (`extends`,
    /// `facilityTables[1]`), so that a file that cannot be read is reported where it was named.
    public struct Reference: Sendable, Equatable {
        /// The file that names the other.
        public var file: String
        /// The line of the name in it.
        public var line: Int?
        /// The key or path that holds the name.
        public var field: String

        /// A reference at `file:line`, under `field`.
        public init(file: String, line: Int?, field: String) {
            self.file = file
            self.line = line
            self.field = field
        }
    }

    /// `load(path:)` with the file reader given, so tests can count the reads.
    static func load(path: String, namedAt first: Reference? = nil,
                     read: (String, Reference?) throws(ScenarioError) -> Node)
        throws(ScenarioError) -> ScenarioDocument
    {
        // From `path` down to the base: each file's path and tree.
        var links: [(path: String, root: Node)] = []
        var position: [String: Int] = [:]
        var next = path
        var namedAt = first
        while true {
            let canonical = canonicalPath(next)
            if position[canonical] != nil, let namedAt, !links.isEmpty {
                throw ScenarioError(issues: [ScenarioIssue(
                    file: namedAt.file, line: namedAt.line, field: "extends",
                    message: "extends cycle: " + (links.map(\.path) + [next]).joined(separator: " → ")
                        + "; a scenario cannot extend itself")])
            }
            position[canonical] = links.count
            let root = try read(next, namedAt)
            links.append((next, root))
            guard let top = root.mapping, let extendsNode = top["extends"] else { break }
            guard let relative = extendsNode.scalar?.string, ScenarioDocument.isText(extendsNode), !relative.isEmpty else {
                let got = extendsNode.scalar.map { "'\($0.string)'" } ?? (extendsNode.mapping != nil ? "a mapping" : "a list")
                throw ScenarioError(issues: [ScenarioIssue(
                    file: next, line: extendsNode.mark?.line, field: "extends",
                    message: "expected the path of the scenario file this one extends, as text; got \(got)"
                        + (extendsNode.scalar != nil ? " (quote it if a file is really named so)" : ""))])
            }
            namedAt = Reference(file: next, line: extendsNode.mark?.line, field: "extends")
            next = ScenarioDocument.join(PathText.folder(of: next), relative)
        }
        let base = links.removeLast()
        var document = ScenarioDocument(file: base.path, chain: [base.path], root: base.root)
        for link in links.reversed() {
            try document.apply(variant: link.root, file: link.path)
        }
        return document
    }

    /// The sections of a variant file that change the base rather than replace a key of it.
    static let changeSections = ["set", "scale", "add", "remove"]

    /// Applies one variant's top-level keys and its `remove:`, `add:`, `set:` and `scale:`
    /// sections, in that order, to this document (its base).
    private mutating func apply(variant root: Node, file path: String) throws(ScenarioError) {
        guard var top = root.mapping else { return }
        file = path
        chain.append(path)
        var issues: [ScenarioIssue] = []
        var sections: [String: Node] = [:]
        for key in ["extends"] + Self.changeSections {
            if let value = top[key] {
                sections[key] = value
                top[key] = nil
            }
        }
        // Top-level keys replace the base's wholesale.
        if var merged = self.root.mapping {
            for (keyNode, value) in top {
                guard let key = keyNode.scalar?.string else { continue }
                merged[key] = value
                record(ScenarioOverride(path: key, file: path, line: keyNode.mark?.line, value: value))
            }
            self.root = .mapping(merged)
        }
        for section in ["remove", "add", "set", "scale"] {
            guard let node = sections[section] else { continue }
            guard let entries = node.mapping else {
                issues.append(ScenarioIssue(file: path, line: node.mark?.line, field: section,
                                            message: "expected a mapping of path: " + (section == "scale" ? "factor"
                                                : section == "set" ? "value" : "list")))
                continue
            }
            for (keyNode, value) in entries {
                let text = keyNode.scalar?.string ?? ""
                let line = keyNode.mark?.line
                let field = section + "." + text
                do throws(PathError) {
                    let target: ScenarioPath
                    switch ScenarioPath.parse(text) {
                    case let .failure(error): throw PathError(message: error.description)
                    case let .success(parsed): target = parsed
                    }
                    if target.segments.first == .key(Self.facilitiesKey) {
                        try changeFacility(target, section: section, value: value, file: path, line: line, field: field)
                        continue
                    }
                    switch section {
                    case "remove": try remove(value, from: target, file: path, line: line)
                    case "add": try add(value, to: target, file: path, line: line)
                    case "scale": try scale(target, by: value, file: path, line: line)
                    default: try set(target, to: value, file: path, line: line)
                    }
                } catch {
                    issues.append(ScenarioIssue(file: path, line: line, field: field, message: error.message))
                }
            }
        }
        if !issues.isEmpty { throw ScenarioError(issues: issues) }
    }

    /// The pseudo-key under which a variant addresses facility-table rows by id
    /// (`facilities[coal-s01].capacity_10kt`); the scenario file has no such key.
    static let facilitiesKey = "facilities"

    /// Records a change of facility rows: `set:`/`scale:` of `facilities[ID].COLUMN`, or
    /// `remove: {facilities: [ID, ...]}`. The rows are changed when the tables are read.
    private mutating func changeFacility(_ path: ScenarioPath, section: String, value: Node, file: String,
                                         line: Int?, field: String) throws(PathError) {
        let columns = FacilityTableReader.columns
        switch section {
        case "remove":
            guard path.segments.count == 1 else {
                throw PathError(message: "remove facility rows with 'facilities: [id, ...]'")
            }
            for id in try Self.names(value, what: "facility ids") {
                facilityChanges.append(FacilityChange(id: id, column: nil, action: .remove, file: file, line: line,
                                                      field: field))
                record(ScenarioOverride(path: "facilities[\(id)]", file: file, line: line, value: value, change: .removed))
            }
        case "add":
            throw PathError(message: "add facility rows as a table of their own: 'add: {facilityTables: [extra.csv]}'")
        default:
            guard path.segments.count == 3, case let .id(id) = path.segments[1], case let .key(column) = path.segments[2]
            else {
                throw PathError(message: "a facility value is addressed as facilities[ID].COLUMN, e.g. facilities[coal-s01].capacity_10kt")
            }
            guard columns.contains(column) else {
                throw PathError(message: "facility tables have no column '\(column)'"
                                + Suggestion.phrase(for: column, in: columns) + "; columns: " + columns.joined(separator: ", "))
            }
            guard column != "id" else { throw PathError(message: "a row's id cannot be changed; remove the row and add one") }
            let action: FacilityChange.Action
            if section == "scale" {
                action = .scale(try Self.factor(value))
            } else {
                guard let text = value.scalar?.string else {
                    throw PathError(message: "a facility cell takes a number or text; got \(Self.kind(value))")
                }
                action = .set(text)
            }
            facilityChanges.append(FacilityChange(id: id, column: column, action: action, file: file, line: line, field: field))
            var o = ScenarioOverride(path: "facilities[\(id)].\(column)", file: file, line: line, value: value)
            if case let .scale(f) = action { o.change = .scaled(by: f) }
            record(o)
        }
    }

    /// The texts of a list of scalars (or of one scalar), for ids to remove.
    private static func names(_ node: Node, what: String) throws(PathError) -> [String] {
        if let s = node.scalar?.string, !s.isEmpty { return [s] }
        guard let list = node.sequence, !list.isEmpty else { throw PathError(message: "expected a list of \(what)") }
        var names: [String] = []
        for item in list {
            guard let s = item.scalar?.string, !s.isEmpty else { throw PathError(message: "expected a list of \(what); got \(kind(item))") }
            names.append(s)
        }
        return names
    }

    /// A scale factor: a finite number.
    private static func factor(_ node: Node) throws(PathError) -> Double {
        guard let s = node.scalar?.string, let f = DecimalNumber.parse(s), f.isFinite else {
            throw PathError(message: "a scale factor is a number (0.8 = 20 % lower); got \(describe(node))")
        }
        return f
    }

    /// The name an element of a list is removed by: its `id`, or the element itself when it is
    /// text (a table path in `facilityTables`).
    private static func elementName(_ node: Node) -> String? { idOf(node) ?? node.scalar?.string }

    /// Removes the elements named `ids` from the list at `path`.
    private mutating func remove(_ ids: Node, from path: ScenarioPath, file: String, line: Int?) throws(PathError) {
        for id in try Self.names(ids, what: "ids of the elements to remove") {
            var canonical = ""
            var removedAt = 0
            root = try Self.edit(root, path.segments[...], canonical: &canonical) { old throws(PathError) in
                guard let old else { throw PathError(message: "there is no list here to remove from") }
                guard var list = old.sequence else { throw PathError(message: "this is \(Self.kind(old)), not a list") }
                guard let i = list.firstIndex(where: { Self.elementName($0) == id }) else {
                    let names = list.compactMap(Self.elementName)
                    throw PathError(message: "no element has id '\(id)'" + Suggestion.phrase(for: id, in: names)
                                    + (names.isEmpty ? "" : "; its ids: \(names.joined(separator: ", "))"))
                }
                removedAt = i
                list.remove(at: i)
                return .sequence(list)
            }
            reindex(canonical, removed: removedAt)
            record(ScenarioOverride(path: "\(canonical)[\(id)]", file: file, line: line, value: .scalar(.init(id)),
                                    change: .removed))
        }
    }

    /// Appends the elements of the list `value` to the list at `path` (made when the base has
    /// none there); an element whose id the list already has is an error.
    private mutating func add(_ value: Node, to path: ScenarioPath, file: String, line: Int?) throws(PathError) {
        guard let items = value.sequence, !items.isEmpty else {
            throw PathError(message: "expected a list of the elements to add; got \(Self.kind(value))")
        }
        var canonical = ""
        var firstNew = 0
        var created = false
        root = try Self.edit(root, path.segments[...], canonical: &canonical) { old throws(PathError) in
            var list: Node.Sequence
            if let old {
                guard let existing = old.sequence else { throw PathError(message: "this is \(Self.kind(old)), not a list") }
                list = existing
            } else {
                list = Node.Sequence([], .implicit, .block, value.mark)
                created = true
            }
            firstNew = list.count
            for item in items {
                if let id = Self.elementName(item), list.contains(where: { Self.elementName($0) == id }) {
                    throw PathError(message: "the list already has an element '\(id)'; change it with set: or remove it first")
                }
                list.append(item)
            }
            return .sequence(list)
        }
        // A new list is the variant's as a whole, so problems with its key are reported there too.
        if created {
            record(ScenarioOverride(path: canonical, file: file, line: line, value: value, change: .added))
            return
        }
        for (k, item) in items.enumerated() {
            record(ScenarioOverride(path: "\(canonical)[\(firstNew + k)]", file: file, line: item.mark?.line ?? line,
                                    value: item, change: .added))
        }
    }

    /// Multiplies the number, or every number of the year map, at `path` by the factor `value`.
    private mutating func scale(_ path: ScenarioPath, by value: Node, file: String, line: Int?) throws(PathError) {
        let f = try Self.factor(value)
        var canonical = ""
        var result = value
        root = try Self.edit(root, path.segments[...], canonical: &canonical) { old throws(PathError) in
            guard let old else { throw PathError(message: "nothing to scale: the value is not in the scenario") }
            result = try Self.scaledNumberOrYearMap(old, by: f)
            return result
        }
        var o = ScenarioOverride(path: canonical, file: file, line: line, value: result)
        o.change = .scaled(by: f)
        record(o)
    }

    /// `node` times `factor` when it is a number or a mapping of years to numbers; anything else
    /// (text, a list, a rule's mapping whose years must not be scaled) is an error.
    static func scaledNumberOrYearMap(_ node: Node, by factor: Double) throws(PathError) -> Node {
        if let s = node.scalar {
            guard DecimalNumber.parse(s.string) != nil else {
                throw PathError(message: "the scenario has text here ('\(s.string)'); only a number or a year map of numbers can be scaled")
            }
            return try scaled(node, by: factor)
        }
        guard let m = node.mapping else {
            throw PathError(message: "the scenario has \(kind(node)) here; only a number or a year map of numbers can be scaled")
        }
        for (k, v) in m where Int(k.scalar?.string ?? "") == nil || DecimalNumber.parse(v.scalar?.string ?? "") == nil {
            throw PathError(message: "the scenario has a mapping here (\(describe(node))), not a year map of numbers; "
                            + "scale a number or a map such as priceIndexByYear")
        }
        return try scaled(node, by: factor)
    }

    /// After the element at `removed` of the list at `list` (canonical) is gone, moves the origins
    /// and overrides of the later elements down one position and drops those of the removed one.
    private mutating func reindex(_ list: String, removed: Int) {
        let prefix = list + "["
        // The key after the move; nil for a key of the removed element.
        func shifted(_ key: String) -> String? {
            guard key.hasPrefix(prefix) else { return key }
            let rest = key.dropFirst(prefix.count)
            guard let close = rest.firstIndex(of: "]"), let k = Int(rest[..<close]) else { return key }
            if k == removed { return nil }
            return k < removed ? key : prefix + "\(k - 1)" + String(rest[close...])
        }
        var moved: [String: String] = [:]
        for (key, value) in origins {
            if let newKey = shifted(key) { moved[newKey] = value }
        }
        origins = moved
        overrides = overrides.compactMap { o in
            guard let newPath = shifted(o.path) else { return nil }
            var o = o
            o.path = newPath
            return o
        }
    }

    /// `relative` resolved against `folder`, with `.` and `name/..` steps removed, so messages
    /// name `Scenarios/jilin-2016/scenario.yaml` rather than `.../variants/../scenario.yaml`.
    static func join(_ folder: String, _ relative: String) -> String {
        let path = relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        let joined = (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
        // `a/..` is the current folder, not an empty path (which messages would show as nothing).
        return joined.isEmpty ? "." : joined
    }

    /// Whether `node` is a text scalar: quoted, or plain and not a number, boolean or null, so
    /// `extends: 42` is not taken for a file named "42".
    static func isText(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style != .plain || Resolver.default.resolveTag(of: node) == .str
    }

    /// The path with symbolic links and `.`/`..` resolved, to tell when two names are one file.
    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The YAML tree and text of `path`; a missing, unreadable or malformed file is an issue with
    /// its line. When `namedAt` is given (the `extends:` of a variant, a sweep's `scenario:`), a
    /// path that is missing or not a regular file is reported there, saying what the path is.
    public static func parse(_ path: String, namedAt: Reference? = nil) throws(ScenarioError) -> (root: Node, text: String) {
        let text = try readText(path, namedAt: namedAt, noun: "scenario file")
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(issues: [ScenarioIssue(file: path, message: "the file is empty")])
            }
            return (node, text)
        } catch let error as ScenarioError {
            throw error
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw ScenarioError(issues: [ScenarioIssue(
                file: path, line: context.mark.line, field: duplicates.joined(separator: ", "),
                message: "key '\(duplicates.joined(separator: "', '"))' appears twice in one mapping")])
        } catch let error as YamlError {
            throw ScenarioError(issues: [ScenarioIssue(file: path, line: yamlErrorLine(error),
                                                       message: "not valid YAML: \(error)")])
        } catch {
            throw ScenarioError(issues: [ScenarioIssue(file: path, message: "not valid YAML: \(error)")])
        }
    }

    /// The text of `path`, or an issue: inside the file for bad UTF-8 (line and byte offset), at
    /// `namedAt` (when given) for a file that is missing or is not a regular file.
    static func readText(_ path: String, namedAt: Reference?, noun: String) throws(ScenarioError) -> String {
        do throws(TextFile.Failure) {
            return try TextFile.read(path)
        } catch {
            switch (error, namedAt) {
            case (.notUTF8, _), (_, nil):
                throw ScenarioError(issues: [ScenarioIssue(file: path, line: error.line, message: error.description)])
            case let (_, at?):
                throw ScenarioError(issues: [ScenarioIssue(
                    file: at.file, line: at.line, field: at.field,
                    message: "\(noun) '\(path)' " + (error == .notFound ? "not found" : error.description))])
            }
        }
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private mutating func record(_ o: ScenarioOverride) {
        // A later override of a parent replaces what earlier overrides set beneath it.
        func beneath(_ key: String) -> Bool { key == o.path || key.hasPrefix(o.path + ".") || key.hasPrefix(o.path + "[") }
        for key in origins.keys where beneath(key) { origins[key] = nil }
        overrides.removeAll { beneath($0.path) }
        origins[o.path] = o.file
        overrides.append(o)
    }

    // MARK: - editing by path

    /// Why a path cannot be applied to this document.
    public struct PathError: Error, Sendable, CustomStringConvertible {
        /// What is wrong, naming the part of the path that does not exist or does not fit.
        public var message: String
        public var description: String { message }
    }

    /// The canonical form of `path` (list elements by position, as validation messages name
    /// them), checking that every step exists; the last key of a mapping may be new.
    public func canonical(_ path: ScenarioPath) throws(PathError) -> String {
        var canonical = ""
        _ = try Self.edit(root, path.segments[...], canonical: &canonical) { node throws(PathError) in node ?? .scalar(.init("")) }
        return canonical
    }

    /// Replaces the value at `path` with `value`, recording `file` as its origin.
    ///
    /// - Throws: `PathError` when a step of the path does not exist, or `value` is of another kind
    ///   (number, text, mapping, list) than the value it replaces.
    public mutating func set(_ path: ScenarioPath, to value: Node, file: String, line: Int?) throws(PathError) {
        var canonical = ""
        root = try Self.edit(root, path.segments[...], canonical: &canonical) { old throws(PathError) in
            if let old { try Self.checkKind(old, value) }
            return value
        }
        record(ScenarioOverride(path: canonical, file: file, line: line, value: value))
    }

    /// A copy with `number` at `path`, or with every number under `path` multiplied by `factor`
    /// when `scale` is true (a price path scaled by 0.8: prices 20 % lower in every year).
    public func setting(_ path: ScenarioPath, to number: Double, scale: Bool = false, origin: String) throws(PathError)
        -> ScenarioDocument
    {
        var copy = self
        var canonical = ""
        copy.root = try Self.edit(root, path.segments[...], canonical: &canonical) { old throws(PathError) in
            if scale {
                guard let old else { throw PathError(message: "nothing to scale: the value is not in the scenario") }
                return try Self.scaled(old, by: number)
            }
            if let old { try Self.checkKind(old, .scalar(.init("0"))) }
            return .scalar(.init(Self.numberText(number), .implicit, .plain, old?.mark))
        }
        copy.origins[canonical] = origin
        return copy
    }

    /// Shortest text that reads back as exactly `x`.
    public static func numberText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }

    private static func scaled(_ node: Node, by factor: Double) throws(PathError) -> Node {
        switch node {
        case let .scalar(s):
            guard let x = DecimalNumber.parse(s.string) else { throw PathError(message: "'\(s.string)' is not a number, so it cannot be scaled") }
            return .scalar(.init(numberText(x * factor), .implicit, .plain, s.mark))
        case var .mapping(m):
            for i in m.indices where DecimalNumber.parse(m[i].value.scalar?.string ?? "") != nil || m[i].value.mapping != nil {
                m[i] = (m[i].key, try scaled(m[i].value, by: factor))
            }
            return .mapping(m)
        case .sequence, .alias:
            throw PathError(message: "only a number or a mapping of numbers (e.g. a year map) can be scaled")
        }
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return DecimalNumber.parse(s.string) != nil ? "a number" : "text"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private static func checkKind(_ old: Node, _ new: Node) throws(PathError) {
        let was = kind(old), now = kind(new)
        // A number may replace text (an empty or symbolic value) only where the resolver accepts
        // it; but a structure must replace a structure of the same shape.
        guard was == now || (was == "text" && now == "a number") else {
            throw PathError(message: "the scenario has \(was) here (\(describe(old))); got \(now)")
        }
    }

    private static func describe(_ node: Node) -> String {
        if let s = node.scalar?.string { return "'\(s)'" }
        if let m = node.mapping { return "keys " + m.compactMap { $0.key.scalar?.string }.joined(separator: ", ") }
        return "\(node.sequence?.count ?? 0) elements"
    }

    /// Rebuilds `node` with the value at `segments` replaced by `change(old)`, writing the
    /// canonical path as it goes.
    static func edit(_ node: Node, _ segments: ArraySlice<Segment>, canonical: inout String,
                             change: (Node?) throws(PathError) -> Node) throws(PathError) -> Node {
        guard let segment = segments.first else { return try change(node) }
        let rest = segments.dropFirst()
        let here = canonical.isEmpty ? "the top of the file" : "'\(canonical)'"
        switch segment {
        case let .key(key):
            guard var map = node.mapping else {
                throw PathError(message: "\(here) is \(kind(node)), not a mapping, so it has no key '\(key)'")
            }
            canonical += canonical.isEmpty ? key : "." + key
            if let i = position(of: key, in: map) {
                map[i] = (map[i].key, try edit(map[i].value, rest, canonical: &canonical, change: change))
            } else if rest.isEmpty {
                // A new key, located where its value is written, so messages about it have a line.
                let value = try change(nil)
                map[Node.scalar(.init(key, .implicit, .plain, value.mark))] = value
            } else {
                let keys = map.compactMap { $0.key.scalar?.string }
                throw PathError(message: "\(here) has no key '\(key)'" + Suggestion.phrase(for: key, in: keys)
                                + "; its keys: \(keys.joined(separator: ", "))")
            }
            return .mapping(map)
        case .index, .id:
            guard var list = node.sequence else {
                throw PathError(message: "\(here) is \(kind(node)), not a list")
            }
            let position: Int
            switch segment {
            case let .index(i):
                guard i >= 0 && i < list.count else {
                    throw PathError(message: "\(here) has \(list.count) elements (0-\(list.count - 1)); there is no [\(i)]")
                }
                position = i
            case let .id(id):
                guard let i = list.firstIndex(where: { idOf($0) == id }) else {
                    let ids = list.compactMap(idOf)
                    throw PathError(message: "\(here) has no element with id '\(id)'" + Suggestion.phrase(for: id, in: ids)
                                    + (ids.isEmpty ? "" : "; its ids: \(ids.joined(separator: ", "))"))
                }
                position = i
            default:
                preconditionFailure("handled above")
            }
            canonical += "[\(position)]"
            list[position] = try edit(list[position], rest, canonical: &canonical, change: change)
            return .sequence(list)
        }
    }

    typealias Segment = ScenarioPath.Segment

    /// Where `key` is in `map`, comparing key text (Yams' string subscript resolves tags with a
    /// regular expression per lookup, which dominated a sweep's scenario construction).
    static func position(of key: String, in map: Node.Mapping) -> Node.Mapping.Index? {
        map.firstIndex { $0.key.scalar?.string == key }
    }

    /// The `id` of a list element that is a mapping.
    static func idOf(_ node: Node) -> String? {
        guard let m = node.mapping, let i = position(of: "id", in: m) else { return nil }
        return m[i].value.scalar?.string
    }
}

/// One value a variant file set: where, and to what.
public struct ScenarioOverride: Sendable, Equatable {
    /// Canonical path of the value (`rules[3].threshold`).
    public var path: String
    /// The variant file that set it.
    public var file: String
    /// Its line in that file.
    public var line: Int?
    /// The value as written (a number or text; `{...}` or `[...]` for a mapping or a list); for a
    /// scale, the value after scaling.
    public var value: String
    /// What the variant did to the value.
    public var change: Change = .set

    /// What a variant did to a value.
    public enum Change: Sendable, Equatable {
        /// Replaced it (`set:` or a top-level key).
        case set
        /// Multiplied it, or every number of its year map, by the factor (`scale:`).
        case scaled(by: Double)
        /// Appended it to a list (`add:`).
        case added
        /// Removed it from a list (`remove:`); the path names the element by id.
        case removed
    }

    /// The change in words for `capsim validate`: `= 45`, `× 0.8 → {2016, ...}`, `added {...}`, `removed`.
    public var summary: String {
        switch change {
        case .set: return "= \(value)"
        case let .scaled(f): return "× \(ScenarioDocument.numberText(f)) → \(value)"
        case .added: return "added \(value)"
        case .removed: return "removed"
        }
    }

    init(path: String, file: String, line: Int?, value: Node, change: Change = .set) {
        self.change = change
        self.path = path
        self.file = file
        self.line = line
        switch value {
        case let .scalar(s): self.value = s.string
        case let .mapping(m): self.value = "{" + m.compactMap { $0.key.scalar?.string }.joined(separator: ", ") + "}"
        case let .sequence(q): self.value = "[\(q.count) elements]"
        case .alias: self.value = "(alias)"
        }
    }
}

/// A change a variant makes to one facility-table row, found by its id.
public struct FacilityChange: Sendable, Equatable {
    /// What is done to the row.
    public enum Action: Sendable, Equatable {
        /// The cell of `column` is replaced by this text.
        case set(String)
        /// The number in the cell of `column` is multiplied by this factor.
        case scale(Double)
        /// The row is dropped.
        case remove
    }

    /// The row's `id`.
    public var id: String
    /// The column changed; nil for a removal.
    public var column: String?
    /// What is done.
    public var action: Action
    /// The variant file that asked for the change, and its line.
    public var file: String
    /// The line in `file`.
    public var line: Int?
    /// The variant's path, for messages (`set.facilities[coal-s01].workers`).
    public var field: String
}
