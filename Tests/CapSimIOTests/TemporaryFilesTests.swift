import CapSimTestSupport
import Foundation
import Testing

/// The shared test helper removes what a test made, also when the test fails (throws).
@Suite struct TemporaryFilesTests {
    @Test func foldersMadeInAScopeAreRemovedAtItsEnd() async throws {
        let (folder, path) = try await removingTemporaryFiles {
            let folder = try temporaryFolder("scope")
            try Data("x".utf8).write(to: folder.appendingPathComponent("a.csv"))
            let path = temporaryPath("scope-out")
            try FileManager.default.createDirectory(at: path.appendingPathComponent("deep/er"), withIntermediateDirectories: true)
            #expect(FileManager.default.fileExists(atPath: folder.path))
            return (folder, path)
        }
        #expect(folder.lastPathComponent.hasPrefix(TemporaryFiles.prefix + "scope-"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(!FileManager.default.fileExists(atPath: path.path))
    }

    @Test func aThrowingScopeStillRemovesItsFolders() async throws {
        struct Failed: Error {}
        nonisolated(unsafe) var made: URL?
        await #expect(throws: Failed.self) {
            try await removingTemporaryFiles {
                made = try temporaryFolder("throwing")
                throw Failed()
            }
        }
        let folder = try #require(made)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
