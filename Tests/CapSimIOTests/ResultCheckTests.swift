import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation
import Testing

/// The check before writing: a result with a NaN or an infinity anywhere (capacity tables,
/// workers, enterprise accounts) is an issue naming the quantity, where and when; a clean run has none.
@Suite struct ResultCheckTests {
    static let qinghai = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/qinghai-2016/scenario.yaml").path

    func run() throws -> (Scenario, BatchResult) {
        let scenario = try Scenario.load(path: Self.qinghai)
        return (scenario, Engine.run(scenario.batch()))
    }

    @Test func aCleanRunHasNoIssues() throws {
        let (scenario, result) = try run()
        #expect(ResultCheck.issues(result, scenarios: [scenario]).isEmpty)
    }

    @Test func aNaNInTheCapacityTablesIsNamed() throws {
        var (scenario, result) = try run()
        let g = try #require(result.groups.firstIndex { $0.sector == .coal && $0.region == nil && $0.owner == nil })
        result.valuesByYear[2][g, Metric.output.index] = .nan
        let issues = ResultCheck.issues(result, scenarios: [scenario])
        #expect(issues.count == 1)
        #expect(issues.first?.file == Self.qinghai && issues.first?.field == "output")
        #expect(issues.first?.message.contains("the run gives nan for output of coal (region all, owner all) in 2017") == true,
                "\(issues)")
    }

    @Test func anInfinityInWorkersOrAccountsIsNamed() throws {
        var (scenario, result) = try run()
        result.resettlement?.values[5] = .infinity
        var issues = ResultCheck.issues(result, scenarios: [scenario])
        #expect(issues.count == 1 && issues[0].message.contains("the run gives inf for ") && issues[0].message.contains("workforce.sectors"),
                "\(issues)")
        (scenario, result) = try run()
        let count = try #require(result.finance?.values.count)
        result.finance?.values[count / 2] = -.infinity
        issues = ResultCheck.issues(result, scenarios: [scenario])
        #expect(issues.count == 1 && issues[0].message.contains("of enterprise '") && issues[0].message.contains("enterprises.csv"),
                "\(issues)")
    }

    @Test func aBrokenIdentityIsReported() throws {
        var (scenario, result) = try run()
        let g = try #require(result.groups.firstIndex { $0.sector == .coal && $0.region == nil && $0.owner == nil })
        result.valuesByYear[2][g, Metric.capacity.index] += 5
        let issues = ResultCheck.issues(result, scenarios: [scenario])
        #expect(issues.count == 1 && issues[0].message.contains("the run's accounts do not balance"), "\(issues)")
    }
}
