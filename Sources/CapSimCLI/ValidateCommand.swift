import ArgumentParser
import CapSimIO
import CapSimScenario

/// `capsim validate`: print the resolved scenario, or every error in it.
public struct ValidateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and print it as resolved, with every default that applies.",
        discussion: """
            Also prints the sanity warnings the scenario alone gives (docs/WARNINGS.md): a region only \
            one unit names, a capacity or size far from its sector's others, a rule, target or debt \
            lever no unit or enterprise can match. `capsim run` adds those only a run can tell. \
            --strict makes them errors (exit status 1).

            Examples:
              capsim validate Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml
                  Show the variant as resolved, each changed value with the file and line that set it.
              capsim validate --strict Scenarios/jilin-2016/scenario.yaml
                  Fail (exit 1) if the plan has a warning validate can tell (a prefecture used once, a capacity in tonnes).
            """)

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Flag(name: .long, help: "Treat the sanity warnings as errors: exit status 1 when there is any.")
    var strict = false

    public init() {}

    public func run() throws {
        let loaded = try loadOrReport(scenario)
        let warnings = ScenarioWarnings.beforeRun(loaded)
        if strict, !warnings.isEmpty { try exitOnStrict(warnings, then: "no errors otherwise") }
        print(loaded.resolvedDescription)
        printWarnings(warnings)
        print("ok: no errors" + (warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"))
    }
}
