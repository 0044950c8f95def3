import ArgumentParser
import CapSimScenario

/// `capsim validate`: print the resolved scenario, or every error in it.
public struct ValidateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and print it as resolved, with every default that applies.")

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    public init() {}

    public func run() throws {
        let loaded = try loadOrReport(scenario)
        print(loaded.resolvedDescription)
        print("ok: no errors")
    }
}
