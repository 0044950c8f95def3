import Foundation
import Testing
import CapSimTestSupport

@Suite(.removesTemporaryFiles) struct ValidateCommandTests {
    @Test func validatePrintsResolvedScenarioWithDefaults() throws {
        let result = try CLIHarness.run(["validate", "Scenarios/jilin-2016/scenario.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("coal: 157 operating, 4897 10kt/yr (state 45, private 112)"))
        #expect(result.stdout.contains("(default)"))
        #expect(result.stdout.contains("coal-programme: sector coal"))
        #expect(result.stdout.hasSuffix("ok: no errors\n"))
    }

    @Test func validateReportsErrorsAndFails() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"), replacing: "priority: [smallest]",
                            with: "priority: [cheapest]")
        let result = try CLIHarness.run(["validate", copy.appendingPathComponent("scenario.yaml").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("priority[0]: unknown value 'cheapest'"))
    }

    @Test func helpShowsExamples() throws {
        let result = try CLIHarness.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("capsim run Scenarios/jilin-2016/scenario.yaml"))
        #expect(result.stdout.contains("validate"))
    }
}
