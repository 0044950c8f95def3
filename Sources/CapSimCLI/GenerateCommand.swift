import ArgumentParser
import CapSimIO

/// `capsim generate`: write a synthetic scenario (docs/GENERATOR.md) into a folder.
public struct GenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic scenario: scenario.yaml, facilities.csv and enterprises.csv.",
        discussion: """
            Every unit, enterprise and figure is drawn from the distributions in
            docs/GENERATOR.md, from one seed: the same options give byte-identical
            files. The three files are written atomically and load with
            `capsim validate` and `capsim run`.

            Presets: national (about 15,000 units in 31 provinces, 2015-2030) and
            province (about 500 units in 9 prefectures, 2015-2020). --facilities
            splits its total over the kinds in the national mix.
            """)

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case national, province
    }

    @Option(name: .long, help: "Preset: national or province.")
    var preset: Preset = .national

    @Option(name: .long, help: "Total number of units, split over the kinds in the national mix (default: the preset's).")
    var facilities: Int?

    @Option(name: .long, help: "Number of programme years after the base year 2015 (default: the preset's).")
    var years: Int?

    @Option(name: .long, help: "Seed of every random draw.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Scenario name (default: synthetic-national or synthetic-province).")
    var name: String?

    @Option(name: .long, help: "Folder to write the three files into.")
    var out: String

    public init() {}

    public func run() throws {
        var spec = preset == .national ? GeneratorSpec.national(seed: seed) : GeneratorSpec.province(seed: seed)
        if let facilities { spec.counts = GeneratorSpec.mix(total: facilities) }
        if let years { spec.years = years }
        if let name { spec.name = name }
        let generated: GeneratedScenario
        do {
            generated = try ScenarioGenerator.generate(spec)
        } catch {
            for problem in error.problems { printError("error: \(problem)") }
            throw ExitCode(1)
        }
        do {
            try AtomicOutput.write(generated.files.map { ($0.name, $0.contents) }, to: out)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print(generated.summary)
        print("wrote " + generated.files.map { "\(out)/\($0.name)" }.joined(separator: ", "))
    }
}
