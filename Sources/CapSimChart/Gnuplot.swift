import Foundation

/// Renders `Chart`s to PNG or SVG by running gnuplot on a generated script in a temporary folder.
///
/// gnuplot rather than a Swift drawing library: none on the package mirror renders CJK text, and
/// gnuplot's cairo terminal does, through fontconfig, with the font named in `font`.
public struct Gnuplot: Sendable {
    /// gnuplot could not be found, failed, or produced no image.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// What went wrong, with gnuplot's own message when it gave one.
        public var message: String
        public var description: String { message }
    }

    /// Images in memory, ready to be written together.
    public struct Rendered: Sendable {
        /// File name (chart name + extension) and bytes, in chart order, PNG before SVG.
        public var files: [(name: String, data: Data)]
        /// What gnuplot wrote to standard error although it succeeded (warnings), line by line.
        public var warnings: [String]
    }

    /// The font for every text: a CJK font, because sector, rule and policy names may be Chinese.
    public static let defaultFont = "WenQuanYi Micro Hei"

    /// The gnuplot executable.
    public var executable: URL
    /// The fontconfig family every text is set in.
    public var font: String
    /// Where `fc-list` is looked up to check that `font` is installed.
    public var environment: [String: String]

    /// Uses the gnuplot at `executable`.
    public init(executable: URL, font: String = Gnuplot.defaultFont,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.executable = executable
        self.font = font
        self.environment = environment
    }

    /// Finds `gnuplot` on `PATH` (of `environment`, by default this process's), or says how to install it.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              font: String = Gnuplot.defaultFont) throws -> Gnuplot {
        if let found = find("gnuplot", environment: environment) {
            return Gnuplot(executable: found, font: font, environment: environment)
        }
        throw Failure(message: "gnuplot is not installed (not found on PATH); charts need it: "
                      + "run `bash scripts/setup` (Debian: apt-get install gnuplot-nox fonts-wqy-microhei)")
    }

    /// Renders every chart in every format. Nothing is written outside a temporary folder, which is
    /// removed afterwards; the caller writes `files` where they belong (atomically).
    public func render(_ charts: [Chart], formats: [ImageFormat]) throws -> Rendered {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("capsim-chart-\(UUID().uuidString)")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }

        var script = GnuplotScript(font: font)
        var outputs: [(temp: String, name: String)] = []
        for (c, chart) in charts.enumerated() {
            // Data files are named by index so that Chinese or odd chart names never reach a path.
            let dataFiles = script.dataFiles(for: chart, index: c)
            for (name, text) in dataFiles {
                try Data(text.utf8).write(to: work.appendingPathComponent(name))
            }
            for format in formats {
                let temp = "chart\(c).\(format.rawValue)"
                script.plot(chart, index: c, format: format, output: temp)
                outputs.append((temp, chart.name + "." + format.rawValue))
            }
        }
        let scriptName = "charts.gp"
        try Data(script.text.utf8).write(to: work.appendingPathComponent(scriptName))

        let stderr = try run(script: scriptName, in: work)
        var files: [(name: String, data: Data)] = []
        for output in outputs {
            let data = fm.contents(atPath: work.appendingPathComponent(output.temp).path) ?? Data()
            guard !data.isEmpty else {
                throw Failure(message: "gnuplot wrote no \(output.name)"
                              + (stderr.isEmpty ? "" : ": " + stderr.joined(separator: "; ")))
            }
            files.append((output.name, data))
        }
        var warnings = stderr
        // cairo silently substitutes a missing font, and a Latin substitute draws Chinese as boxes.
        if charts.contains(where: \.hasNonASCIIText), fontIsInstalled(environment: environment) == false {
            warnings.append("font '\(font)' is not installed (fc-list does not list it): Chinese text may show as "
                            + "boxes; run `bash scripts/setup` or pass another CJK font")
        }
        return Rendered(files: files, warnings: warnings)
    }

    /// Whether fontconfig lists `font` as a family; nil when `fc-list` cannot be run.
    func fontIsInstalled(environment: [String: String]) -> Bool? {
        guard let fcList = Self.find("fc-list", environment: environment) else { return nil }
        let process = Process()
        process.executableURL = fcList
        process.arguments = [":", "family"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        // One line per font, its family names separated by commas (in several languages).
        let families = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces.lowercased() } }
        return families.contains(font.lowercased())
    }

    /// An executable named `name` on `PATH`.
    static func find(_ name: String, environment: [String: String]) -> URL? {
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs gnuplot on `script` in `folder`; returns its standard error lines, or throws them
    /// when it exits non-zero (gnuplot stops at the first error of a script and exits 1).
    private func run(script: String, in folder: URL) throws -> [String] {
        let process = Process()
        process.executableURL = executable
        process.arguments = [script]
        process.currentDirectoryURL = folder
        let errPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(message: "cannot run \(executable.path): \(error.localizedDescription)")
        }
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: errData, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw Failure(message: "gnuplot failed (exit status \(process.terminationStatus))"
                          + (lines.isEmpty ? "" : ": " + lines.joined(separator: " | ")))
        }
        return lines
    }
}
