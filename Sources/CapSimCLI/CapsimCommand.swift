import ArgumentParser

/// The `capsim` command: subcommands for running and checking scenarios.
public struct CapsimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "capsim",
        abstract: "Simulate industrial capacity reduction (去产能) year by year.",
        discussion: """
            Examples:
              capsim run Scenarios/jilin-2016/scenario.yaml
                  Run the Jilin 2016-2020 programme; write out/projections.csv, out/closures.csv
                  and out/openings.csv, and print a summary.
              capsim run Scenarios/jilin-2016/scenario.yaml --out runs/jilin
                  The same, into another folder.
              capsim validate Scenarios/jilin-2016/scenario.yaml
                  Print the scenario as resolved (every default that applies), or every error found.
            """,
        subcommands: [RunCommand.self, ValidateCommand.self])

    public init() {}
}
