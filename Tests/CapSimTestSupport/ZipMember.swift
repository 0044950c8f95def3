import Foundation
import Testing

/// Reads a member of a zip file (an .xlsx) with /usr/bin/unzip, or Python's zipfile without it.
public func zipMember(_ zip: URL, _ member: String) throws -> String {
    let process = Process()
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", zip.path, member]
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                             zip.path, member]
    }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "\(member) not found in \(zip.path)")
    return String(decoding: data, as: UTF8.self)
}
