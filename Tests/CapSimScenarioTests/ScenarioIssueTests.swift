import CapSimScenario
import Testing

/// Issues print in the compiler form `FILE:LINE: row N, FIELD: MESSAGE`, parts left out when unknown.
@Suite struct ScenarioIssueTests {
    @Test func descriptionLeavesOutMissingParts() {
        #expect(ScenarioIssue(file: "t.csv", line: 4, row: 3, field: "size", message: "bad").description
            == "t.csv:4: row 3, size: bad")
        #expect(ScenarioIssue(file: "s.yaml", line: 7, field: "rules[0].id", message: "dup").description
            == "s.yaml:7: rules[0].id: dup")
        #expect(ScenarioIssue(file: "s.yaml", message: "file not found").description == "s.yaml: file not found")
    }

    @Test func errorListsEveryIssueOnItsOwnLine() {
        let error = ScenarioError(issues: [ScenarioIssue(file: "a", line: 1, message: "x"),
                                           ScenarioIssue(file: "b", message: "y")])
        #expect(error.description == "a:1: x\nb: y")
    }
}
