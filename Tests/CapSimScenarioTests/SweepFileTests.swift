import CapSimCore
import CapSimScenario
import CapSimSweep
import Foundation
import Testing

/// Sweep files: what they resolve to, and every kind of bad sweep file located by line and field.
@Suite struct SweepFileTests {
    static let jilin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path

    static func sweep(design: String = "{kind: latin_hypercube, samples: 10}", parameters: String? = nil,
                      extra: String = "") -> String {
        """
        scenario: \(jilin)
        seed: 7
        design: \(design)
        parameters:
        \(parameters ?? """
          - name: threshold
            path: rules[coal-under-30].threshold
            distribution: {kind: uniform, min: 20, max: 60}
          - name: coal_price
            path: sectors.coal.priceIndexByYear
            scale: true
            distribution: {kind: triangular, min: 0.7, mode: 0.8, max: 0.9}
        """)
        \(extra)
        """
    }

    func issues(_ text: String) -> [ScenarioIssue] {
        let f = TempFolder()
        do {
            _ = try SweepSpec.load(path: f.write("sweep.yaml", text))
            Issue.record("expected the sweep file to be rejected")
            return []
        } catch {
            #expect(error.issues.allSatisfy { $0.file.hasSuffix("sweep.yaml") }, "\(error.issues)")
            return error.issues
        }
    }

    @Test func readsParametersPoliciesAndOutcomes() throws {
        let f = TempFolder()
        let spec = try SweepSpec.load(path: f.write("sweep.yaml", Self.sweep(extra: """
            correlations:
              - {between: [threshold, coal_price], rho: -0.3}
            policies:
              - name: plan
              - name: welfare
                set:
                  resettlement.channels[public-welfare].share: 0.3
            outcomes:
              - {name: closed, metric: capacity_closed, sector: coal, years: [2016, 2018], aggregate: sum}
              - {name: debt_2020, metric: debt, years: 2020, aggregate: last}
            """)))
        #expect(spec.design == .latinHypercube(samples: 10))
        #expect(spec.parameters.map(\.canonicalPath) == ["rules[3].threshold", "sectors.coal.priceIndexByYear"])
        #expect(spec.parameters[1].scale)
        #expect(spec.correlation?.matrix[0, 1] == -0.3)
        #expect(spec.policies.map(\.name) == ["plan", "welfare"])
        let welfare = try Scenario.load(spec.policies[1].document)
        #expect(welfare.policy.resettlement?.channels.first { $0.id == "public-welfare" }?.share == 0.3)
        let closed = spec.outcomes[0]
        #expect(closed.name == "closed" && closed.metric == "capacity_closed" && closed.sector == .coal
                && closed.years == 2016...2018 && closed.aggregate == .sum)
        #expect(spec.outcomes[1].years == 2020...2020 && spec.outcomes[1].sector == nil)
    }

    @Test func unknownParameterPathIsLocated() {
        let found = issues(Self.sweep(parameters: """
              - name: threshold
                path: rules[coal-under-99].threshold
                distribution: {kind: uniform, min: 20, max: 60}
            """))
        #expect(found.count == 1)
        #expect(found[0].line == 6 && found[0].field == "parameters[0].path")
        #expect(found[0].message.contains("unknown parameter path") && found[0].message.contains("coal-under-30"))
    }

    @Test func pathsToSharedKeysAreRefused() {
        let found = issues(Self.sweep(parameters: """
              - name: year
                path: endYear
                distribution: {kind: uniform, min: 2019, max: 2020}
            """))
        #expect(found.map(\.field) == ["parameters[0].path"])
        #expect(found[0].message.contains("shared by every experiment"))
    }

    @Test func invalidDistributionBoundsAreLocated() {
        let found = issues(Self.sweep(parameters: """
              - name: threshold
                path: rules[coal-under-30].threshold
                distribution: {kind: uniform, min: 60, max: 20}
              - name: spread
                path: rules[coal-reserve-exhausted].threshold
                distribution: {kind: normal, mean: 5, sd: -1}
            """))
        #expect(found.map(\.line) == [7, 10])
        #expect(found.map(\.field) == ["parameters[0].distribution", "parameters[1].distribution"])
        #expect(found[0].message.contains("invalid uniform distribution"))
    }

    @Test func valuesTheScenarioRejectsAreFoundBeforeRunning() {
        let found = issues(Self.sweep(parameters: """
              - name: success
                path: resettlement.transitions.trainingSuccessShare
                distribution: {kind: uniform, min: 0.5, max: 1.5}
            """))
        #expect(found.count == 1)
        #expect(found[0].line == 6)
        #expect(found[0].message.contains("at 1.5 (end of the distribution)"))
        #expect(found[0].message.contains("resettlement.transitions.trainingSuccessShare"))
    }

    /// A parameter range whose end passes a field's upper bound (docs/SCENARIO-FORMAT.md, "Ranges
    /// of numbers") is refused when the sweep file is read, as is a scaled price path whose median
    /// multiplies it past the bound, and a lognormal distribution whose tail does.
    @Test(arguments: [
        ("sectors.iron.priceIndexByYear.2019", "{kind: uniform, min: 1, max: 1.0e+308}", false, "at 5e+307 (median)"),
        ("sectors.coal.priceIndexByYear", "{kind: uniform, min: 1, max: 500}", true, "median"),
        ("targets[0].capacityClosedByYear.2016", "{kind: lognormal, mu: 5, sigma: 10}", false, "(end of the distribution)"),
    ])
    func rangesBeyondAFieldsBoundAreFoundBeforeRunning(_ path: String, _ distribution: String, _ scale: Bool,
                                                       _ at: String) {
        let found = issues(Self.sweep(parameters: """
              - name: p
                path: \(path)
                scale: \(scale)
                distribution: \(distribution)
            """))
        #expect(found.count == 1 && found.first?.line == 6, "\(found)")
        #expect(found.first?.message.contains(at) == true && found.first?.message.contains("must be at most") == true,
                "\(found)")
    }

    @Test func impossibleCorrelationMatrixIsLocated() {
        let found = issues(Self.sweep(parameters: """
              - name: a
                path: rules[coal-under-30].threshold
                distribution: {kind: uniform, min: 20, max: 60}
              - {name: b, path: sectors.coal.priceIndex, distribution: {kind: uniform, min: 0.5, max: 1}}
              - {name: c, path: sectors.steel.priceIndex, distribution: {kind: uniform, min: 0.5, max: 1}}
            """, extra: """
            correlations:
              - {between: [a, b], rho: 0.9}
              - {between: [a, c], rho: 0.9}
              - {between: [b, c], rho: -0.9}
            """))
        #expect(found.count == 1, "\(found)")
        #expect(found[0].line == 10 && found[0].field == "correlations", "\(found)")
        #expect(found[0].message.contains("not positive definite") && found[0].message.contains("order 3"))
    }

    @Test func correlationsNameKnownParametersOnce() {
        let found = issues(Self.sweep(extra: """
            correlations:
              - {between: [threshold, price], rho: 0.2}
              - {between: [threshold, coal_price], rho: 1.5}
            """))
        #expect(found.map(\.field) == ["correlations[0].between", "correlations[1].rho"])
        #expect(found[0].message.contains("no parameter is named 'price'"))
    }

    @Test func malformedYAMLIsLocated() {
        let found = issues("scenario: x.yaml\nparameters:\n  - {name: a, path: rules[a].threshold}\n")
        #expect(found.count == 1 && found[0].line == 3)
        #expect(found[0].message.contains("not valid YAML"))
    }

    @Test func designsAreChecked() {
        #expect(issues(Self.sweep(design: "{kind: grid}"))[0].message.contains("unknown design 'grid'"))
        #expect(issues(Self.sweep(design: "{kind: monte_carlo}"))[0].field == "design.samples")
        #expect(issues(Self.sweep(design: "{kind: morris, trajectories: 4, levels: 5}"))[0].message.contains("even"))
        // A full factorial grid needs levels for distributions.
        #expect(issues(Self.sweep(design: "{kind: full_factorial}")).count == 2)
        let correlated = issues(Self.sweep(design: "{kind: saltelli, samples: 8}", extra: """
            correlations:
              - {between: [threshold, coal_price], rho: 0.5}
            """))
        #expect(correlated.map(\.field) == ["correlations"])
        #expect(correlated[0].message.contains("assume independent inputs"))
        let grid = issues(Self.sweep(design: "{kind: full_factorial}", parameters: """
              - {name: a, path: sectors.coal.priceIndex, grid: [1, 2]}
              - {name: b, path: sectors.steel.priceIndex, grid: [1, 2]}
            """, extra: """
            correlations:
              - {between: [a, b], rho: 0.5}
            """))
        #expect(grid.map(\.field) == ["correlations"])
        #expect(grid[0].message.contains("full factorial"))
    }

    @Test func policiesAndOutcomesAreChecked() {
        let found = issues(Self.sweep(extra: """
            policies:
              - name: a
                set:
                  rules[nope].threshold: 3
              - name: a
              - name: b
                set:
                  rules[coal-under-30].threshold: -3
            outcomes:
              - {name: x, metric: capacity, aggregate: median}
              - {name: 1x, metric: capacity, aggregate: sum}
              - {name: policy, metric: capacity, aggregate: sum}
            """))
        #expect(found.map(\.field) == ["policies[0].set.rules[nope].threshold", "policies[1].name", "policies[2].set",
                                       "outcomes[0].aggregate", "outcomes[1].name", "outcomes[2].name"])
        #expect(found[5].message.contains("not experiment, policy or point"))
        #expect(found[2].message.contains("rules[3].threshold"))
    }
}
