import ArgumentParser
import CapSimCLI
import CapSimTestSupport
import Foundation
import Testing

/// Every example in the help texts and in README's `sh` blocks runs as written: each parses, names
/// only files that exist or that an example before it writes, and the cheap ones run for real
/// (against the built binary, in a temporary folder that sees the bundled scenarios).
@Suite(.serialized, .removesTemporaryFiles) struct HelpExamplesTests {
    /// One example: where it was found and its arguments after `capsim`.
    struct Example: CustomStringConvertible {
        var source: String
        var arguments: [String]
        var description: String { "\(source): capsim \(arguments.joined(separator: " "))" }
    }

    /// Examples that take minutes in a debug build (10,000-experiment sweeps, a national run):
    /// checked, not run.
    static func isExpensive(_ e: Example) -> Bool {
        let line = e.arguments.joined(separator: " ")
        // `serve` runs until stopped: parsed here, exercised by CapSimServerTests.
        return e.arguments.first == "sweep" || e.arguments.first == "serve" || line.contains("--preset national")
            || line.contains("--facilities 15000") || line.contains("runs/national/scenario.yaml")
    }

    /// Words of a shell command line: blanks separate them, double quotes group.
    static func words(_ line: String) -> [String] {
        var out: [String] = [], word = "", quoted = false, started = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
                started = true
            } else if c == " " && !quoted {
                if started { out.append(word) }
                word = ""
                started = false
            } else {
                word.append(c)
                started = true
            }
        }
        if started { out.append(word) }
        return out
    }

    /// Example lines of a help text: indented lines that start with `capsim `.
    static func examples(inHelp text: String, source: String) -> [Example] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.count < line.count, trimmed.hasPrefix("capsim ") else { return nil }
            return Example(source: source, arguments: words(String(trimmed.dropFirst("capsim ".count))))
        }
    }

    /// Every command's help, the root first, then subcommands depth first.
    static func helpExamples() -> [Example] {
        var out: [Example] = []
        func visit(_ command: ParsableCommand.Type, path: String) {
            out += examples(inHelp: command.configuration.discussion, source: "help of \(path)")
            for sub in command.configuration.subcommands {
                visit(sub, path: path + " " + (sub.configuration.commandName ?? "\(sub)"))
            }
        }
        visit(CapsimCommand.self, path: "capsim")
        return out
    }

    /// The capsim commands of README's `sh` blocks (continuation lines joined, comments dropped),
    /// and of `$ ` prompt lines in its other fenced blocks (transcripts).
    static func readmeExamples() throws -> [Example] {
        let text = try String(contentsOf: CLIHarness.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [Example] = [], inBlock = false, inFence = false, pending = ""
        for (n, raw) in text.components(separatedBy: "\n").enumerated() {
            if raw.hasPrefix("```") {
                inFence.toggle()
                inBlock = inFence && raw == "```sh"
                continue
            }
            guard inBlock || (inFence && raw.hasPrefix("$ ")) else { continue }
            if raw.hasSuffix("\\") {
                pending += raw.dropLast() + " "
                continue
            }
            var line = pending + raw
            pending = ""
            if let hash = line.range(of: " #") { line = String(line[..<hash.lowerBound]) }
            guard let match = line.range(of: #"(^|\s)capsim\s"#, options: .regularExpression) else { continue }
            out.append(Example(source: "README.md line \(n + 1)", arguments: words(String(line[match.upperBound...]))))
        }
        return out
    }

    /// The paths an example writes: `--out`, `--store`, merge's new store, and the default `out`
    /// (run, compare) or `charts` (chart) folder.
    static func outputs(_ e: Example) -> [String] {
        var out: [String] = []
        for (i, a) in e.arguments.enumerated() where (a == "--out" || a == "--store") && i + 1 < e.arguments.count {
            out.append(e.arguments[i + 1])
        }
        if e.arguments.first == "merge", e.arguments.count > 1 { out.append(e.arguments[1]) }
        if out.isEmpty, let command = e.arguments.first {
            if ["run", "compare"].contains(command) { out.append("out") }
            if command == "chart" { out.append("charts") }
        }
        return out
    }

    /// Options whose value is a file to read; every other option's value is not a path.
    static let inputOptions: Set<String> = ["--compare", "--fan"]

    /// The files an example reads: values of `inputOptions`, and positional arguments that look like
    /// paths (with a slash or a file extension) and are not outputs.
    static func inputs(_ e: Example) -> [String] {
        let written = Set(outputs(e))
        var out: [String] = [], i = 0
        while i < e.arguments.count {
            let a = e.arguments[i]
            if a.hasPrefix("--") {
                let takesValue = i + 1 < e.arguments.count && !e.arguments[i + 1].hasPrefix("--")
                    && !["--bom", "--help"].contains(a)
                if takesValue && inputOptions.contains(a) { out.append(e.arguments[i + 1]) }
                i += takesValue ? 2 : 1
                continue
            }
            if !written.contains(a) && (a.contains("/") || [".yaml", ".csv", ".sqlite"].contains { a.hasSuffix($0) }) {
                out.append(a)
            }
            i += 1
        }
        return out
    }

    /// Checks `examples` in order; returns how many ran for real.
    @discardableResult
    func check(_ examples: [Example]) throws -> Int {
        try #require(!examples.isEmpty, "no examples found")
        let sandbox = try temporaryFolder("examples")
        try FileManager.default.createSymbolicLink(
            at: sandbox.appendingPathComponent("Scenarios"),
            withDestinationURL: CLIHarness.packageRoot.appendingPathComponent("Scenarios"))
        // Help texts are read one command at a time, so an example may read what one of another
        // command's examples writes; such an example is checked, and run only if the file is there.
        let written = examples.flatMap(Self.outputs)
        var ran = 0
        for e in examples {
            do {
                _ = try CapsimCommand.parseAsRoot(e.arguments)
            } catch {
                Issue.record("\(e) does not parse: \(CapsimCommand.message(for: error))")
                continue
            }
            var runnable = !Self.isExpensive(e)
            for input in Self.inputs(e) {
                if FileManager.default.fileExists(atPath: sandbox.appendingPathComponent(input).path) { continue }
                runnable = false
                let producer = written.contains { input == $0 || input.hasPrefix($0 + "/") }
                #expect(producer, "\(e) names \(input), which neither exists nor is written by any example")
            }
            guard runnable else { continue }
            let result = try CLIHarness.run(e.arguments, in: sandbox)
            #expect(result.status == 0, "\(e) failed: \(result.stderr)")
            ran += 1
        }
        return ran
    }

    @Test func helpExamplesRunAsWritten() throws {
        let examples = Self.helpExamples()
        // The examples the help has always had: a run, a comparison, a sweep, a chart.
        for command in ["run", "compare", "validate", "generate", "chart", "sweep", "merge", "analyze"] {
            #expect(examples.contains { $0.arguments.first == command }, "no help example of capsim \(command)")
        }
        // run, run --out, compare, validate, generate province, chart out, chart --compare, analyze...
        #expect(try check(examples) >= 8)
    }

    @Test func readmeExamplesRunAsWritten() throws {
        let examples = try Self.readmeExamples()
        #expect(examples.contains { $0.arguments.first == "run" } && examples.contains { $0.arguments.first == "sweep" })
        // The transcript of the Qinghai run is an example too.
        #expect(examples.contains { $0.arguments.contains("Scenarios/qinghai-2016/scenario.yaml") })
        // run, validate, compare, chart --compare, run --out, chart out
        #expect(try check(examples) >= 6)
    }

    /// How the checker reads an example: which words are files read and written.
    @Test func inputsAndOutputsOfAnExample() throws {
        let bad = Example(source: "test", arguments: ["compare", "Scenarios/jilin-2016/scenario.yaml", "runs/jilin-45/scenario.yaml"])
        #expect(Self.inputs(bad) == ["Scenarios/jilin-2016/scenario.yaml", "runs/jilin-45/scenario.yaml"])
        #expect(Self.outputs(bad) == ["out"])
        #expect(Self.words(#"chart out --title "吉林省 2016-2020 去产能" --format both"#)
                == ["chart", "out", "--title", "吉林省 2016-2020 去产能", "--format", "both"])
        let run = Example(source: "test", arguments: ["sweep", "s.yaml", "--store", "runs/a.sqlite", "--shard", "1/2"])
        #expect(Self.inputs(run) == ["s.yaml"] && Self.outputs(run) == ["runs/a.sqlite"])
        let fan = Example(source: "test", arguments: ["chart", "--fan", "q", "--title", "a/b", "--bom", "out"])
        #expect(Self.inputs(fan) == ["q"] && Self.outputs(fan) == ["charts"])
    }
}
