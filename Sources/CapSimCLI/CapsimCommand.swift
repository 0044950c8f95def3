import ArgumentParser

/// The `capsim` command: subcommands for running, checking and generating scenarios.
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
              capsim compare Scenarios/jilin-2016/scenario.yaml Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml
                  Run the plan and a variant of it (mines under 45 instead of 30 10kt/yr close): the
                  headline figures of both (万吨/年, persons, 亿元), then what the variant changes,
                  largest first; write out/comparison.csv, closure_changes.csv,
                  headline_comparison.csv and comparison_ranked.csv.
              capsim validate Scenarios/jilin-2016/scenario.yaml
                  Print the scenario as resolved (every default that applies), or every error found.
              capsim generate --preset province --seed 7 --out runs/synthetic
                  Write a synthetic province (about 500 units, 2015-2020) drawn from seed 7:
                  runs/synthetic/scenario.yaml, facilities.csv and enterprises.csv.
              capsim generate --facilities 15000 --years 15 --out runs/national
                  A synthetic national scenario (31 provinces, 2015-2030) with 15,000 units.
              capsim chart out --out charts
                  PNG charts of the run in out/: capacity, closures by rule, workers, debt.
            """,
        subcommands: [RunCommand.self, CompareCommand.self, ValidateCommand.self, GenerateCommand.self,
                      ChartCommand.self, SweepCommand.self, MergeCommand.self, AnalyzeCommand.self, ClusterCommand.self,
                      XLSXCommand.self, ServeCommand.self, EndStateCommand.self])

    public init() {}
}
