import CapSimCore
import Foundation

/// Small helpers to write the pages: escaping, the page frame, tables. No external assets: the
/// styles are inline, so a page works offline and sends nothing anywhere.
enum HTML {
    /// `s` with the five HTML-special characters escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `s` percent-encoded for a query value.
    static func query(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A whole page around `body`; `refresh` reloads it every so many seconds (a queued job's page).
    static func page(_ title: String, _ body: String, refresh: Int? = nil) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
        <title>\(escape(title)) · capsim</title>
        <style>
        body{font-family:system-ui,"WenQuanYi Micro Hei",sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}
        th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
        .err{color:#b00020;font-weight:bold}.muted{color:#666;font-size:.9em}input[type=text]{width:7em}
        .lever td{text-align:left}pre{background:#f6f6f6;padding:.6em;overflow:auto}
        nav a{margin-right:1em}svg{max-width:100%;height:auto}
        </style></head><body>
        <nav><a href="/">Workspace</a></nav>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    /// A table with a header row; cells are escaped unless `raw`.
    static func table(_ header: [String], _ rows: [[String]], id: String? = nil) -> String {
        var s = "<table\(id.map { " id=\"\(escape($0))\"" } ?? "")><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows { s += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return s + "</table>\n"
    }

    /// A number as the CLI prints it (shortest decimal, at most `digits` decimals).
    static func number(_ x: Double, digits: Int = 4) -> String { decimalText(x, digits: digits) }
}
