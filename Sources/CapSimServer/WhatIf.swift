import CapSimChart
import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation

/// A finished job's page and the files it offers for download.
public struct WhatIfOutcome: Sendable {
    /// One downloadable file.
    public struct Download: Sendable {
        /// MIME type.
        public var contentType: String
        /// Contents.
        public var data: Data
    }
    /// Page heading.
    public var title: String
    /// The page body (HTML, already escaped).
    public var html: String
    /// File name → contents, for the job's download links.
    public var downloads: [String: Download]
    /// True when the run failed (the page says why).
    public var failed: Bool

    /// An outcome with its page and downloads.
    public init(title: String, html: String, downloads: [String: Download], failed: Bool) {
        self.title = title
        self.html = html
        self.downloads = downloads
        self.failed = failed
    }
}

/// The what-if form as submitted: a name and the changed values, and what was wrong with them.
public struct WhatIfRequest: Sendable {
    /// The variant's short name (`web-NAME.yaml`).
    public var name: String
    /// `set:` path → value text as typed, for the values that differ from the scenario's.
    public var values: [(path: String, text: String)]
    /// Path of a yearly path → scale factor text, for scales other than 1.
    public var scales: [(path: String, text: String)]

    /// Reads the decoded form fields: `name`, `lever:PATH` and `scale:PATH`; a field equal to its
    /// lever's default (or empty) is left out, so only what the planner changed is written.
    public init(fields: [(String, String)], levers: [Lever]) {
        let defaults = Dictionary(levers.map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a })
        name = ""
        values = []
        scales = []
        for (key, raw) in fields {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if key == "name" {
                name = text
            } else if key.hasPrefix("lever:") {
                let path = String(key.dropFirst("lever:".count))
                guard !text.isEmpty, text != defaults[path] else { continue }
                if let a = Double(text), let d = defaults[path].flatMap(Double.init), a == d { continue }
                values.append((path, text))
            } else if key.hasPrefix("scale:") {
                let path = String(key.dropFirst("scale:".count))
                guard !text.isEmpty, Double(text) != 1 else { continue }
                scales.append((path, text))
            }
        }
    }
}

/// A variant file written from a what-if, and which form field wrote each of its lines.
public struct VariantText: Sendable, Equatable {
    /// The YAML text.
    public var text: String
    /// 1-based line → form field (`lever:PATH`, `scale:PATH` or `name`), to show the loader's
    /// message for a line beside the field that wrote it.
    public var fieldOfLine: [Int: String]
    /// Problems found before the file could be written (a path that is not one), by field.
    public var fieldErrors: [String: String]

    /// The variant of `base` (at `extends` relative to the variant's folder) that sets `request`'s values.
    public init(request: WhatIfRequest, base: Scenario, extends: String, levers: [Lever]) {
        var lines = [
            "# What-if written by the capsim workbench (capsim serve). The same what-if from the command line:",
            "#   capsim compare " + extends.replacingOccurrences(of: "\n", with: " ") + " variants/web-\(request.name).yaml  (from the workspace)",
            "extends: " + VariantText.quoted(extends),
            "name: " + VariantText.quoted(base.name + "-web-" + request.name),
            "title: " + VariantText.quoted(base.title + " (what-if " + request.name + ")"),
            "set:",
        ]
        var fieldOfLine: [Int: String] = [3: "name", 4: "name"]
        var fieldErrors: [String: String] = [:]
        let byPath = Dictionary(levers.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var explicit = Set<String>()
        func pathIsSafe(_ path: String) -> String? {
            if case let .failure(e) = ScenarioPath.parse(path) { return "\(e)" }
            let bad = path.first { !($0.isLetter || $0.isNumber || "-_.[]".contains($0)) }
            return bad.map { "a path may hold letters, digits and -_.[] only, got '\($0)'" }
        }
        for (path, text) in request.values {
            if let why = pathIsSafe(path) { fieldErrors["lever:" + path] = why; continue }
            explicit.insert(path)
            let unit = byPath[path].map { " (\($0.unit.isEmpty ? "scenario's value" : $0.unit) " + $0.value + ")" } ?? ""
            lines.append("  \(path): \(VariantText.value(text))   # what-if; was\(unit.isEmpty ? " not a form lever" : unit)")
            fieldOfLine[lines.count] = "lever:" + path
        }
        for (path, text) in request.scales {
            if let why = pathIsSafe(path) { fieldErrors["scale:" + path] = why; continue }
            let years = levers.filter { !$0.isScale && $0.path.hasPrefix(path + ".") && !explicit.contains($0.path) }
            guard byPath[path]?.isScale == true, !years.isEmpty else {
                fieldErrors["scale:" + path] = "not a yearly path of this scenario"
                continue
            }
            for year in years {
                let scaled: String
                if let s = Double(text), let v = Double(year.value) {
                    scaled = ScenarioDocument.numberText(s * v)
                } else {
                    scaled = VariantText.value(text)  // not a number: the loader says so at this line
                }
                lines.append("  \(year.path): \(scaled)   # what-if: scale \(text.filter { $0 != "\n" }) x \(year.value)")
                fieldOfLine[lines.count] = "scale:" + path
            }
        }
        if lines.count == 6 { lines[5] = "set: {}" }
        text = lines.joined(separator: "\n") + "\n"
        self.fieldOfLine = fieldOfLine
        self.fieldErrors = fieldErrors
    }

    /// A number as typed when it reads as one, else a quoted YAML string (so text can never add keys).
    static func value(_ text: String) -> String {
        let plain = !text.isEmpty && Double(text) != nil && text.allSatisfy { "0123456789+-.eE".contains($0) }
        return plain ? text : quoted(text)
    }

    /// A double-quoted YAML scalar with every special character escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += String(format: "\\x%02X", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
