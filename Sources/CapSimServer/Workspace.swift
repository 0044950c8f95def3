import Foundation

/// The folder the workbench serves: every path a request names is resolved inside it, and a path
/// that leaves it (`..`, an absolute path, a symbolic link pointing out) is refused.
public struct Workspace: Sendable {
    /// Why a requested path was refused or not found.
    public struct PathError: Error, Sendable, CustomStringConvertible {
        /// The path as the request gave it.
        public var path: String
        /// What is wrong with it.
        public var reason: String
        /// True when the path is outside the workspace (HTTP 403), false when it is simply missing (404).
        public var outside: Bool
        public var description: String { "'\(path)': \(reason)" }
    }

    /// The workspace folder with every symbolic link resolved (realpath).
    public let root: String

    /// Opens `folder`; fails when it is not an existing folder.
    public init(folder: String) throws {
        guard let real = Workspace.realpath(folder) else {
            throw PathError(path: folder, reason: "no such folder", outside: false)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isFolder), isFolder.boolValue else {
            throw PathError(path: folder, reason: "not a folder", outside: false)
        }
        root = real
    }

    /// The real path of `relative` (a path relative to the workspace, as the pages write it),
    /// checked to exist and to lie inside the workspace once every link is resolved.
    public func resolve(_ relative: String) throws(PathError) -> String {
        guard !relative.isEmpty else { throw PathError(path: relative, reason: "no path given", outside: false) }
        guard !relative.hasPrefix("/") else {
            throw PathError(path: relative, reason: "absolute paths are refused: name a file inside the workspace", outside: true)
        }
        guard !relative.split(separator: "/").contains("..") else {
            throw PathError(path: relative, reason: "'..' is refused: name a file inside the workspace", outside: true)
        }
        guard !relative.contains("\u{0}") else { throw PathError(path: relative, reason: "contains a NUL byte", outside: true) }
        guard let real = Workspace.realpath(root + "/" + relative) else {
            throw PathError(path: relative, reason: "no such file in the workspace", outside: false)
        }
        guard isInside(real) else {
            throw PathError(path: relative, reason: "leads outside the workspace (a symbolic link out?): refused", outside: true)
        }
        return real
    }

    /// Whether a real (link-free) path is the workspace or under it.
    public func isInside(_ real: String) -> Bool {
        real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `real` (inside the workspace) written relative to it, as pages and links name files.
    public func relative(_ real: String) -> String {
        if real == root { return "." }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return real.hasPrefix(prefix) ? String(real.dropFirst(prefix.count)) : real
    }

    /// The kind of a YAML file of the workspace, told from its top-level keys.
    public enum FileKind: String, Sendable { case scenario, variant, sweep }

    /// One scenario, variant or sweep file.
    public struct Entry: Sendable, Equatable {
        /// Path relative to the workspace.
        public var path: String
        /// What it is.
        public var kind: FileKind
    }

    /// At most this many files are looked at when listing, so a huge workspace cannot stall a page.
    public static let listingLimit = 5000

    /// The workspace's scenario, variant and sweep files, by path. Hidden folders and `.build` are
    /// skipped; links are not followed out of the workspace.
    public func entries() -> [Entry] {
        var found: [Entry] = []
        var seen = 0
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let item = walker.nextObject() as? String {
            seen += 1
            if seen > Workspace.listingLimit { break }
            let name = (item as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "node_modules" {
                walker.skipDescendants()
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            guard let real = Workspace.realpath(root + "/" + item), isInside(real),
                  let kind = Workspace.kind(ofFile: real) else { continue }
            found.append(Entry(path: item, kind: kind))
        }
        return found.sorted { $0.path < $1.path }
    }

    /// A YAML file's kind from its top-level keys (only the first 64 KiB are read), nil for other YAML.
    static func kind(ofFile path: String) -> FileKind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65536), let text = String(data: data, encoding: .utf8) else { return nil }
        var keys = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") else { continue }
            keys.insert(String(line[..<colon]))
        }
        if keys.contains("extends") { return .variant }
        if keys.contains("parameters") && keys.contains("scenario") { return .sweep }
        if keys.contains("facilityTables") { return .scenario }
        return nil
    }

    /// realpath(3): the path with every link, `.` and `..` resolved; nil when it does not exist.
    static func realpath(_ path: String) -> String? {
        guard let resolved = Foundation.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
