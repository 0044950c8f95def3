import Foundation

/// Bad chart input, located the way scenario errors are: `file:line: field: message`.
public struct ChartInputError: Error, Equatable, CustomStringConvertible {
    /// The file (or folder) the problem is in, as the user named it.
    public var file: String
    /// The 1-based physical line, when the problem is on one.
    public var line: Int?
    /// The 1-based data row (the header is not a row), when the problem is in one.
    public var row: Int?
    /// The column or option concerned (`metric`, `header`, ...), when there is one.
    public var field: String?
    /// What is wrong, and where it helps, what was expected.
    public var message: String

    /// A located problem.
    public init(file: String, line: Int? = nil, row: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        // As scenario issues: `file:line: row N, field: message`.
        if let row { text += "row \(row)" + (field == nil ? ": " : ", ") }
        if let field { text += field + ": " }
        return text + message
    }
}

/// The text of an input table, or an error naming the file.
func readInputFile(_ path: String, writtenBy writer: String) throws -> String {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw ChartInputError(file: path, message: "no such file; expected \(writer)")
    }
    guard !isFolder.boolValue else {
        throw ChartInputError(file: path, message: "is a folder; expected \(writer)")
    }
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ChartInputError(file: path, message: "cannot be read as UTF-8 text")
    }
}
