import CapSimChart
import Foundation
import Testing

/// Axis titles of the comparison and fan charts name the metric from the label table, in
/// Chinese and English, with its unit.
@Suite struct AxisLabelTests {
    @Test func comparisonAndFanAxesUseTheDisplayNames() throws {
        let capacity = try ComparisonChart.charts(csv: TableChartsTests.fixture("comparison.csv"), source: "comparison.csv")
        #expect(try #require(capacity.first).panels.allSatisfy { $0.yLabel == "产能 capacity, 10kt/yr (万吨/年)" })
        let fan = try FanChart.charts(csv: TableChartsTests.fixture("quantiles.csv"), source: "quantiles.csv", metric: "capacity")
        let labels = Set(fan.flatMap { $0.panels.map(\.yLabel) })
        #expect(labels == ["产能 capacity, 10kt/yr (万吨/年)"])
    }
}
