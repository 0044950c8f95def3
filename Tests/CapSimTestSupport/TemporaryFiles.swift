import Foundation
import Testing

/// Temporary files of tests: every folder a test makes lives under the system's temporary
/// directory, is named `capsim-test-LABEL-UUID`, and is removed when the test ends (in a suite or
/// test marked `.removesTemporaryFiles`) or, at the latest, when the test process exits. A failed
/// test leaves nothing either: removal does not depend on the test reaching its end.
public enum TemporaryFiles {
    /// Every test folder's name starts with this.
    public static let prefix = "capsim-test-"

    /// The paths made by the running test, removed when it ends.
    final class Scope: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [URL] = []
        func add(_ url: URL) { lock.withLock { paths.append(url) } }
        func removeAll() {
            for url in lock.withLock({ paths }) { try? FileManager.default.removeItem(at: url) }
        }
    }

    @TaskLocal static var current: Scope?

    /// Paths made outside any scope, removed when the process exits.
    static let leftovers: Scope = {
        atexit { TemporaryFiles.leftovers.removeAll() }
        return Scope()
    }()

    static func register(_ url: URL) {
        (current ?? leftovers).add(url)
    }
}

/// A fresh path `capsim-test-LABEL-UUID` in the temporary directory, not yet created (for outputs a
/// command must create itself), removed with everything under it when the test ends.
public func temporaryPath(_ label: String = "tmp") -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent(TemporaryFiles.prefix + label + "-" + UUID().uuidString, isDirectory: true)
    TemporaryFiles.register(url)
    return url
}

/// A fresh, empty folder `capsim-test-LABEL-UUID` in the temporary directory, removed with
/// everything in it when the test ends.
public func temporaryFolder(_ label: String = "tmp") throws -> URL {
    let url = temporaryPath(label)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body`, then removes every temporary path made inside it (by `temporaryPath` or
/// `temporaryFolder`), whether `body` returns or throws.
public func removingTemporaryFiles<T>(_ body: () async throws -> T) async throws -> T {
    let scope = TemporaryFiles.Scope()
    defer { scope.removeAll() }
    return try await TemporaryFiles.$current.withValue(scope) { try await body() }
}

/// The trait that removes each test's temporary files when the test ends (rather than when the
/// process exits). Put it on every suite that makes files: `@Suite(.removesTemporaryFiles)`.
public struct RemovesTemporaryFiles: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// One scope per test case; the suite itself needs none.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { testCase == nil ? nil : self }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await removingTemporaryFiles(function)
    }
}

extension Trait where Self == RemovesTemporaryFiles {
    /// Removes the temporary files each test makes when it ends.
    public static var removesTemporaryFiles: Self { RemovesTemporaryFiles() }
}
