/// Paths split as text, for every module that names files.
///
/// Not `NSString.deletingLastPathComponent`: swift-corelibs-foundation traps on any one-character
/// path (`_startOfLastPathComponent` has `precondition(count > 1)`), so `capsim validate z` or
/// `--out x` crashed. One implementation here serves the loader, the writers, the store and the CLI.
public enum PathText {
    /// The folder of `path` and its last component, split at the last `/`: `(".", path)` when it
    /// has no `/`, `("/", name)` for a file in the root.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// The folder of `path` (`.` when it names none).
    public static func folder(of path: String) -> String { split(path).folder }
}
