import ArgumentParser
import CapSimScenario
import Foundation

/// Writes a line to standard error, where messages that are not results belong.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints every issue to standard error, then how many and that `nothing` happened, and exits
/// with status 1.
func exitReporting(_ issues: [ScenarioIssue], nothing: String = "was run or written") throws -> Never {
    for issue in issues { printError("error: \(issue)") }
    printError("\(issues.count) error(s); nothing \(nothing)")
    throw ExitCode(1)
}
