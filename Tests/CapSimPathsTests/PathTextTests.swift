import CapSimPaths
import Testing

@Suite struct PathTextTests {
    @Test(arguments: [
        ("x", ".", "x"), ("/x", "/", "x"), ("a/b", "a", "b"), ("/a/b/c.yaml", "/a/b", "c.yaml"),
        ("a/", "a", ""), ("", ".", ""),
    ])
    func splitsAtTheLastSlash(_ path: String, _ folder: String, _ name: String) {
        let split = PathText.split(path)
        #expect(split.folder == folder && split.name == name, "\(path) → \(split)")
    }
}
