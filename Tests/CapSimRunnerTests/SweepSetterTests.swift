import CapSimCore
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation
import Testing
import CapSimTestSupport

/// Sweeps that write sampled numbers into the resolved policy give exactly the numbers of
/// editing and re-resolving the YAML tree.
@Suite(.removesTemporaryFiles) struct SweepSetterTests {
    static let bundled = SweepFixture.root.appendingPathComponent("Scenarios/jilin-2016/sweeps/threshold-price.yaml").path

    /// Every number of `a` and `b` has the same bits (a -0 or a last-digit change would show).
    static func expectBitIdentical(_ a: [ExperimentRecord], _ b: [ExperimentRecord]) {
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.experiment == y.experiment && x.policy == y.policy && x.point == y.point)
            #expect(x.parameters.map(\.bitPattern) == y.parameters.map(\.bitPattern))
            #expect(x.outcomes.map(\.bitPattern) == y.outcomes.map(\.bitPattern))
            #expect(x.series.map(\.bitPattern) == y.series.map(\.bitPattern), "experiment \(x.experiment)")
        }
    }

    @Test func theBundledJilinSweepGivesTheYAMLPathsNumbersBitForBit() throws {
        let spec = try SweepSpec.load(path: Self.bundled)
        let typed = try SweepRunner(spec: spec), yaml = try SweepRunner(spec: spec, typedSetters: false)
        // All four parameters (mine threshold, two scaled price paths, training success) are numbers.
        #expect(typed.builder.isTyped == [true, true, true, true])
        #expect(yaml.builder.isTyped == [false, false, false, false])
        // Both policies, the first design points of each; policies compared on many more points.
        let experiments = Array(0..<10) + Array(5000..<5010)
        Self.expectBitIdentical(try typed.records(experiments, threads: 2), try yaml.records(experiments, threads: 1))
        for e in stride(from: 0, to: typed.experimentCount, by: 97) {
            #expect(try typed.policy(experiment: e).policy == yaml.policy(experiment: e).policy, "experiment \(e)")
        }
    }

    @Test func theSmallSweepAndTheRunnerFixtureAgreeAcrossThreadsAndBatches() throws {
        let folder = try SweepFixture.folder()
        for text in [smallJilinSweepText(scenario: SweepFixture.jilin, samples: 9, seed: 5), SweepFixture.text()] {
            let file = folder.appendingPathComponent("sweep.yaml")
            try Data(text.utf8).write(to: file)
            let spec = try SweepSpec.load(path: file.path)
            let typed = try SweepRunner(spec: spec), yaml = try SweepRunner(spec: spec, typedSetters: false)
            #expect(typed.builder.isTyped.allSatisfy { $0 })
            let all = Array(0..<typed.experimentCount)
            let reference = try yaml.records(all, threads: 1)
            Self.expectBitIdentical(try typed.records(all, threads: 1), reference)
            Self.expectBitIdentical(try typed.records(all, threads: 2), reference)
            Self.expectBitIdentical(try [0..<4, 4..<all.count].flatMap { try typed.records(Array($0), threads: 2) }, reference)
        }
    }

    @Test func aParameterTheSettersCannotWriteKeepsItsSectionGroupOnTheYAMLPath() throws {
        let folder = try SweepFixture.folder()
        let file = folder.appendingPathComponent("sweep.yaml")
        try Data("""
            scenario: \(SweepFixture.jilin)
            seed: 3
            design: {kind: latin_hypercube, samples: 6}
            parameters:
              - name: threshold
                path: rules[coal-under-30].threshold
                distribution: {kind: uniform, min: 20, max: 60}
              - name: welfare_share
                path: resettlement.channels[public-welfare].share
                distribution: {kind: uniform, min: 0.1, max: 0.9}
              - name: success
                path: resettlement.transitions.trainingSuccessShare
                distribution: {kind: uniform, min: 0.2, max: 0.9}
              - name: steel_2017
                path: sectors.steel.priceIndexByYear.2017
                distribution: {kind: uniform, min: 0.5, max: 1.5}
            """.utf8).write(to: file)
        let spec = try SweepSpec.load(path: file.path)
        let typed = try SweepRunner(spec: spec), yaml = try SweepRunner(spec: spec, typedSetters: false)
        // A channel's share has no setter; the transitions share its section group, so both
        // re-resolve through the YAML tree, while the rule and the price stay numbers.
        #expect(typed.builder.isTyped == [true, false, false, true])
        let all = Array(0..<typed.experimentCount)
        Self.expectBitIdentical(try typed.records(all, threads: 2), try yaml.records(all, threads: 2))
    }

    /// The setter's range checks say what the loader says, for the same field, at and beyond
    /// each bound.
    @Test func rangeErrorsAreTheLoadersLocatedAtTheParameter() throws {
        let folder = try SweepFixture.folder()
        let file = folder.appendingPathComponent("sweep.yaml")
        let paths = ["rules[coal-under-30].threshold", "sectors.coal.priceIndexByYear", "sectors.steel.priceIndexByYear.2017",
                     "sectors.coal.utilisation", "sectors.coal.replacementRatio",
                     "resettlement.transitions.trainingSuccessShare", "resettlement.transitions.labourForceExitRate",
                     "resettlement.transitions.trainingYears"]
        let parameters = paths.enumerated().map { j, path in
            "  - {name: p\(j), path: '\(path)', distribution: {kind: uniform, min: 0.5, max: 0.51}\(path.hasSuffix("ByYear") ? ", scale: true" : "")}"
        }
        try Data(("scenario: \(SweepFixture.jilin)\nseed: 3\ndesign: {kind: monte_carlo, samples: 2}\nparameters:\n"
                  + parameters.joined(separator: "\n") + "\n").utf8).write(to: file)
        let spec = try SweepSpec.load(path: file.path)
        let typed = SweepPolicyBuilder(spec: spec), yaml = SweepPolicyBuilder(spec: spec, typed: false)
        #expect(typed.isTyped.allSatisfy { $0 })
        let fine = [Double](repeating: 0.5, count: paths.count)
        #expect(try typed.policy(0, values: fine) == yaml.policy(0, values: fine))
        var checked = 0
        for (j, path) in paths.enumerated() {
            for bad in [-1, -0.0, 1.5, 101, 2e6, 1e8] {
                var values = fine
                values[j] = bad
                var yamlIssue: ScenarioIssue?
                do { _ = try yaml.policy(0, values: values) } catch let error as ScenarioError { yamlIssue = error.issues.first }
                do {
                    _ = try typed.policy(0, values: values)
                    #expect(yamlIssue == nil, "\(path) = \(bad): the loader refuses it, the setter did not")
                } catch let error as ScenarioError {
                    let issue = try #require(error.issues.first)
                    let loader = try #require(yamlIssue, "\(path) = \(bad): the setter refuses it, the loader did not")
                    #expect(issue.file == file.path && issue.line == spec.parameters[j].line && issue.field == "parameters[\(j)].path")
                    #expect(issue.message == "\(loader.field ?? ""): \(loader.message)")
                    checked += 1
                }
            }
        }
        #expect(checked > 20)
        // The two transition rates that leave the same stock are checked together, as the loader does.
        var both = fine
        both[6] = 0.9
        #expect(throws: ScenarioError.self) { try typed.policy(0, values: both) }
        #expect(ScenarioFieldRange.check(path: "sectors.cement.priceIndexByYear.2019", value: 0) == "must be a multiplier > 0, got 0")
        #expect(ScenarioFieldRange.check(path: "rules[2].threshold", value: -1, criterion: .sizeBelow)
                == "must be a size ≥ 0 in the kind's unit, got -1")
        #expect(ScenarioFieldRange.field(forPath: "resettlement.channels[0].share") == nil)
    }
}
