/// "Did you mean" for a name that is not known (a key, an id, a column, a sector): the known
/// names closest to it by edit distance, so a typo (`baisan`) gets the name meant (`baishan`).
public enum Suggestion {
    /// The known name nearest to `name`, when one is within a third of its length in edits (at
    /// least one edit), else nil; ties go to the first in `known`. A name that is the start of a
    /// known one (`capacity` for `capacity_10kt`) is taken when no name is that near.
    public static func nearest(to name: String, in known: some Sequence<String>) -> String? {
        let limit = max(1, name.count / 3)
        var best: (name: String, distance: Int)?
        var extended: String?
        for candidate in known where candidate != name {
            if extended == nil, name.count >= 3, candidate.hasPrefix(name) { extended = candidate }
            let d = editDistance(name, candidate)
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name ?? extended
    }

    /// `"; did you mean 'x'?"` for `nearest`, or an empty string.
    public static func phrase(for name: String, in known: some Sequence<String>) -> String {
        nearest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions), over
    /// characters; case differences count as edits.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
