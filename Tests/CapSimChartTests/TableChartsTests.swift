import CapSimChart
import Foundation
import Testing
import CapSimTestSupport

/// Comparison and fan charts from the fixture tables in Tests/Fixtures/charts, and their errors.
@Suite(.removesTemporaryFiles) struct TableChartsTests {
    static let fixtures = RunChartsTests.packageRoot.appendingPathComponent("Tests/Fixtures/charts")
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func comparisonHasAPanelPerSectorWithBaseAndVariantLines() throws {
        let charts = try ComparisonChart.charts(csv: Self.fixture("comparison.csv"), source: "comparison.csv")
        let chart = try #require(charts.first)
        #expect(charts.count == 1 && chart.name == "compare-capacity")
        #expect(chart.panels.map { $0.title?.components(separatedBy: ":").first } == ["coal", "钢铁", "clinker"])
        let coal = chart.panels[0]
        #expect(coal.series.map(\.label) == ["jilin-2016 (base)", "jilin-strict"])
        #expect(coal.series[0].points.last == Series.Point(x: 2020, y: 2164))
        #expect(coal.series[1].points.last == Series.Point(x: 2020, y: 1900))
        #expect(coal.title == "coal: variant − base in 2020 = -264 10kt/yr (-12.2 %)")
    }

    @Test func comparisonOfAnotherMetricAndOneSector() throws {
        let charts = try ComparisonChart.charts(csv: Self.fixture("comparison.csv"), source: "c.csv",
                                                metric: "workers_displaced_cumulative", sector: "coal")
        #expect(charts.map(\.name) == ["compare-workers_displaced_cumulative-coal"])
        #expect(charts[0].panels.count == 1)
        #expect(charts[0].panels[0].series[1].points.map(\.high) == [0, 36000, 56000, 70000, 70000, 70000])
    }

    @Test func comparisonErrorsNameFileAndField() throws {
        let text = try Self.fixture("comparison.csv")
        #expect { try ComparisonChart.charts(csv: text, source: "c.csv", metric: "output") } throws: {
            "\($0)" == "c.csv: metric: unknown metric 'output'; the file has capacity and workers_displaced_cumulative"
        }
        #expect { try ComparisonChart.charts(csv: text, source: "c.csv", sector: "glass") } throws: {
            "\($0)" == "c.csv: sector: no sector 'glass' for metric capacity; the file has coal, 钢铁 and clinker"
        }
        let renamed = text.replacingOccurrences(of: "base_value,variant_value", with: "base_val,variant_value")
        #expect { try ComparisonChart.charts(csv: renamed, source: "c.csv") } throws: {
            "\($0)".hasPrefix("c.csv:1: header: column 7 is 'base_val', expected 'base_value'")
        }
        let short = text + "capacity,coal,2021,10kt/yr,jilin-2016,jilin-strict,1\n"
        let line = text.split(separator: "\n").count + 1
        #expect { try ComparisonChart.charts(csv: short, source: "c.csv") } throws: {
            "\($0)" == "c.csv:\(line): row \(line - 1): 7 fields, the header has 10"
        }
        #expect { try ComparisonChart.load(file: "/nonexistent/comparison.csv") } throws: {
            "\($0)".hasPrefix("/nonexistent/comparison.csv: no such file")
        }
    }

    @Test func fanHasBandsAndMedianPerPolicyOnOneScale() throws {
        let charts = try FanChart.charts(csv: Self.fixture("quantiles.csv"), source: "q.csv", metric: "capacity")
        #expect(charts.map(\.name) == ["fan-capacity-coal", "fan-capacity-钢铁"])
        let coal = charts[0]
        #expect(coal.panels.map(\.title) == ["基准 baseline (n = 500)", "加速 fast (n = 500)"])
        #expect(coal.panels[0].yRange == coal.panels[1].yRange)
        let series = coal.panels[0].series
        #expect(series.map(\.label) == ["90 % (p05-p95)", "50 % (p25-p75)", "median"])
        #expect(series[0].points[1] == Series.Point(x: 2016, low: 4250.6, high: 4554.21))
        #expect(series[1].points[1] == Series.Point(x: 2016, low: 4338.74, high: 4466.06))
        #expect(series[2].points[1] == Series.Point(x: 2016, y: 4407.3))
        let range = try #require(coal.panels[0].yRange)
        #expect(range.lowerBound == 0 && range.upperBound >= 4897)
    }

    /// A metric flat over every draw and year gets a scale gnuplot accepts (a range narrower than
    /// its 1e-8 `zero` is "empty"), holding the value; a varying one keeps its tight scale.
    @Test(arguments: [(0.0, 0.0, 0.0, 1.0), (5.0, 5.0, 0.0, 5.5), (-3.0, -3.0, -3.3, -2.7), (1e-12, 1e-12, 0.0, 1.0),
                      (2.0, 4.0, 0.0, 4.1)])
    func fanScaleOfAFlatMetricIsNotEmpty(low: Double, high: Double, from: Double, to: Double) throws {
        let header = FanChart.header.joined(separator: ",")
        let rows = [2015, 2016].map { "p,m,coal,\($0),yuan,3,\(low),\(low),\(low),\(low),\(high),\(high)" }
        let chart = try #require(try FanChart.charts(csv: ([header] + rows).joined(separator: "\n") + "\n", source: "q.csv", metric: "m").first)
        let range = try #require(chart.panels[0].yRange)
        #expect(abs(range.lowerBound - from) < 1e-9 && abs(range.upperBound - to) < 1e-9, "\(range)")
        #expect(range.upperBound - range.lowerBound >= 1e-6 && range.contains(low) && range.contains(high))
    }

    @Test func fanFromParsedRowsIsTheSameAsFromText() throws {
        let text = try Self.fixture("quantiles.csv")
        let rows = try FanChart.parse(csv: text, source: "q.csv")
        #expect(rows.count == 24)
        #expect(try FanChart.charts(rows: rows, source: "q.csv", metric: "capacity", sector: "钢铁")
                == FanChart.charts(csv: text, source: "q.csv", metric: "capacity", sector: "钢铁"))
    }

    @Test func fanErrorsNameFileLineAndField() throws {
        let text = try Self.fixture("quantiles.csv")
        #expect { try FanChart.charts(csv: text, source: "q.csv", metric: "debt") } throws: {
            "\($0)" == "q.csv: metric: unknown metric 'debt'; the file has capacity"
        }
        #expect { try FanChart.charts(csv: text, source: "q.csv", metric: "capacity", sector: "cement") } throws: {
            "\($0)" == "q.csv: sector: no sector 'cement' for metric capacity; the file has coal and 钢铁"
        }
        var lines = text.components(separatedBy: "\n")
        lines[3] = "p,capacity,coal,2017,10kt/yr,500,10,9,11,10,12,13"  // p25 = 11 above p50 = 10
        #expect { try FanChart.parse(csv: lines.joined(separator: "\n"), source: "q.csv") } throws: {
            "\($0)" == "q.csv:4: p50: 10.0 is below p25 = 11.0; quantiles must not decrease"
        }
        lines[3] = "p,capacity,coal,2017,10kt/yr,many,10,9,10,10,12,13"
        #expect { try FanChart.parse(csv: lines.joined(separator: "\n"), source: "q.csv") } throws: {
            "\($0)" == "q.csv:4: row 3, n: 'many' is not an integer"
        }
        #expect { try FanChart.parse(csv: "policy,metric\n", source: "q.csv") } throws: {
            "\($0)".hasPrefix("q.csv:1: header: 2 columns, expected 12")
        }
        #expect { try FanChart.parse(csv: "", source: "q.csv") } throws: {
            "\($0)".hasPrefix("q.csv:1: header: the file is empty")
        }
        #expect { try FanChart.parse(csv: text + "\"open,", source: "q.csv") } throws: {
            "\($0)" == "q.csv:\(lines.count): a quoted field is never closed"
        }
    }
}
