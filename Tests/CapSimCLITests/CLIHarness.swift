import Foundation
import Testing
import CapSimTestSupport

/// Runs the real `capsim` binary built next to the test bundle and captures its output.
struct CLIHarness {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable: next to the test bundle (SwiftPM puts every product in one folder).
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("capsim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/capsim")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh copy of the Jilin scenario folder in a temporary directory.
    static func copyOfJilin() throws -> URL {
        let dir = temporaryPath("cli")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let target = dir.appendingPathComponent("jilin-2016")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Scenarios/jilin-2016"), to: target)
        return target
    }

    /// Replaces `old` by `new` in a file of a scenario copy, failing if `old` is absent.
    static func edit(_ file: URL, replacing old: String, with new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(old), "fixture text not found in \(file.lastPathComponent): \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }
}

/// `projections.csv` read back as a lookup table.
struct Projections {
    var values: [String: Double] = [:]

    init(_ file: URL) throws {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "scenario,year,sector,region,owner,metric,unit,value")
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 8 else {
                Issue.record("projections.csv row with \(f.count) fields, not 8: \(line)")
                continue
            }
            values[[f[1], f[2], f[3], f[4], f[5]].joined(separator: "|")] = Double(f[7])
        }
    }

    func callAsFunction(_ year: Int, _ sector: String, _ metric: String,
                        region: String = "all", owner: String = "all") -> Double? {
        values[["\(year)", sector, region, owner, metric].joined(separator: "|")]
    }
}
