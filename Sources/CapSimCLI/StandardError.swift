import Foundation

/// Writes a line to standard error, where messages that are not results belong.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
