import CapSimIO
import Testing

/// Display names of the holding-entity and wind-up metrics (issue 13), which fell back to their
/// raw ids before they were listed.
@Suite struct DisplayNamesTests {
    @Test(arguments: [("debt_received", "承接债务"), ("assets_received", "承接资产"), ("assets_sold", "处置资产"),
                      ("wound_up", "清算或并入企业")])
    func entityMetricsHaveChineseNames(_ metric: String, _ zh: String) {
        let name = DisplayNames.metric(metric)
        #expect(name.zh == zh)
        #expect(name.en != metric)
    }
}
