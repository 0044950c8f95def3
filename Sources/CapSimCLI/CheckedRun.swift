import CapSimCore
import CapSimIO
import CapSimScenario

/// Runs `scenario` and checks its results (finite, identities holding) before anything is
/// written; on a problem prints it, located at the scenario, and exits with status 1. The engine's
/// own invariant check would stop the process with a trap instead of a message.
func checkedRun(_ scenario: Scenario) throws -> BatchResult {
    let result = Engine.run(scenario.batch(), options: Engine.Options(checkInvariants: false))
    let issues = ResultCheck.issues(result, scenarios: [scenario])
    if !issues.isEmpty { try exitReporting(issues, nothing: "was written") }
    return result
}
