import Foundation
import Testing
import CapSimTestSupport

/// The headline figures of `capsim run` on the bundled Jilin scenario: the terminal block and
/// `summary.json`'s `headline`, pinned to the figures of `projections.csv`.
@Suite(.serialized, .removesTemporaryFiles) struct HeadlineFiguresTests {
    static let jilin = "Scenarios/jilin-2016/scenario.yaml"

    struct Figure: Decodable {
        var key: String
        var sector: String
        var detail: String?
        var year: Int?
        var unit: String
        var value: Double
    }
    struct Headline: Decodable { var base_year: Int; var end_year: Int; var figures: [Figure] }
    struct Summary: Decodable { var headline: Headline }

    static func runJilin() throws -> (stdout: String, headline: Headline, projections: Projections) {
        let out = temporaryPath("headline")
        let result = try CLIHarness.run(["run", jilin, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        return (result.stdout, summary.headline, try Projections(out.appendingPathComponent("projections.csv")))
    }

    static func value(_ h: Headline, _ key: String, _ sector: String = "all", detail: String? = nil) -> Figure? {
        h.figures.first { $0.key == key && $0.sector == sector && $0.detail == detail }
    }

    @Test func unemploymentIsNotHiddenBehindUnresettled() throws {
        let (stdout, h, p) = try Self.runJilin()
        // The figures: 9,251 coal workers unemployed at the end of 2020, 15,591 (all sectors) at the 2018 peak.
        let coalEnd = try #require(Self.value(h, "workers_unemployed_end", "coal"))
        #expect(coalEnd.value == 9251 && coalEnd.unit == "人")
        #expect(coalEnd.value == (p(2020, "coal", "workers_unemployed") ?? .nan).rounded())
        let peak = try #require(Self.value(h, "workers_unemployed_peak"))
        #expect(peak.value == 15591 && peak.year == 2018)
        let coalPeak = try #require(Self.value(h, "workers_unemployed_peak", "coal"))
        #expect(coalPeak.value == 15231 && coalPeak.year == 2018)
        #expect(Self.value(h, "workers_unemployed_end")?.value == 9764)
        #expect(Self.value(h, "workers_without_job_end")?.value == 9764)
        #expect(Self.value(h, "workers_waiting_end", "coal")?.value == 0)
        #expect(Self.value(h, "workers_displaced", "coal")?.value == 65000)
        #expect(Self.value(h, "workers_placed", "coal", detail: "coal-self-employment-training")?.value == 48400)
        // The terminal says the same, and no longer calls everyone resettled.
        #expect(!stdout.contains("unresettled"))
        let peakLine = try #require(stdout.split(separator: "\n").first { $0.hasPrefix("unemployed at the peak") })
        #expect(peakLine.contains("15,231 (2018)") && peakLine.contains("15,591 (2018)"))
        let endLine = try #require(stdout.split(separator: "\n").first { $0.hasPrefix("unemployed at the end") })
        #expect(endLine.contains("9,251") && endLine.contains("9,764"))
        // The workers table lists the unemployed per sector next to the never placed.
        let table = stdout.split(separator: "\n").filter { $0.contains("unemployed at end of 2020") }
        #expect(table.count == 5 && table[0].split(separator: " ").contains("9251"))
    }

    @Test func capacityCostsAndDebtInPlannerUnits() throws {
        let (stdout, h, p) = try Self.runJilin()
        #expect(h.base_year == 2015 && h.end_year == 2020)
        let closed = try #require(Self.value(h, "capacity_closed", "coal"))
        #expect(closed.value == 2733 && closed.unit == "万吨/年")
        #expect(closed.value == (2016...2020).reduce(0) { $0 + (p($1, "coal", "capacity_closed") ?? .nan) })
        #expect(Self.value(h, "capacity_end", "coal")?.value == 2164)
        // Capacities of different products are not added up.
        #expect(Self.value(h, "capacity_closed") == nil)
        // 亿元 with 4 decimals, equal to the yuan rows of projections.csv over the run.
        let writtenOff = try #require(Self.value(h, "debt_written_off"))
        #expect(writtenOff.unit == "亿元" && abs(writtenOff.value - 115.21) < 0.005) // 56.03 + the disposal platform's 59.19 (issue 13)
        let yuan = (2016...2020).reduce(0.0) { $0 + (p($1, "coal", "debt_written_off") ?? .nan) }
        #expect(abs(writtenOff.value - yuan / 1e8) < 1e-4)
        // Coal debt includes what the plan's vehicles still hold (41.58; issue 13): 29.80 + 41.58.
        #expect(abs((Self.value(h, "debt_end", "coal")?.value ?? .nan) - 71.38) < 0.005)
        #expect(Self.value(h, "enterprises_bankrupt")?.value == 112)
        #expect(Self.value(h, "enterprises_merged")?.value == 3) // 通钢矿业公司 into 通钢集团 (issue 13)
        // Every payer is listed; together they pay what the channels cost.
        let paid = h.figures.filter { $0.key == "resettlement_cost" }
        #expect(paid.count == 6)
        let paidYuan = ["enterprise", "central_award", "job_retention_refund", "unemployment_insurance",
                        "provincial_budget", "local_budget"].reduce(0.0) { total, payer in
            total + ["coal", "iron", "steel", "clinker", "grinding"].reduce(0.0) { t, s in
                t + (2016...2020).reduce(0.0) { $0 + (p($1, s, "paid.\(payer)") ?? 0) }
            }
        }
        #expect(abs(paid.reduce(0) { $0 + $1.value } - paidYuan / 1e8) < 1e-3)
        #expect(stdout.contains("debt written off 核销债务") && stdout.contains("115.21"))
    }
}
