import Foundation
import Testing
import CapSimTestSupport

/// The Jilin resettlement channels end to end (S000:L56, A1 L184, A1 L202).
@Suite(.serialized, .removesTemporaryFiles) struct ResettlementRunTests {
    @Test func jilinReproducesThePlanChannelFigures() throws {
        let (result, out) = try RunCommandTests.runJilin()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect(p(2018, "coal", "workers_displaced_cumulative") == 65_000)
        for (channel, persons) in [("coal-other-enterprises", 6_200.0), ("coal-non-coal-business", 2_200),
                                   ("coal-trading-logistics", 5_000), ("coal-out-of-province-mines", 3_200),
                                   ("coal-self-employment-training", 48_400)] {
            #expect(p(2020, "coal", "workers_placed_cumulative.\(channel)") == persons, "\(channel)")
        }
        // The Tonggang park takes Tonggang's ironmaking and steelmaking workers: 2,110 in all.
        let park = try #require(p(2020, "iron", "workers_placed_cumulative.tonggang-park"))
            + #require(p(2020, "steel", "workers_placed_cumulative.tonggang-park"))
        #expect(park == 2_110)
        let cement = try #require(p(2020, "clinker", "workers_placed_cumulative.cement-parks"))
            + #require(p(2020, "grinding", "workers_placed_cumulative.cement-parks"))
        #expect(cement == 4_400)
        // A channel's rows appear only for the sectors it serves.
        #expect(p(2016, "coal", "workers_placed.cement-parks") == nil)
        // Nobody is left unresettled, and every displaced worker is in exactly one state each year.
        let states = ["waiting", "in_training", "reemployed", "public_welfare", "unemployed", "internally_retired",
                      "retired", "out_of_labour_force"]
        for year in 2016...2020 {
            for sector in ["coal", "iron", "steel", "clinker", "grinding"] {
                #expect(p(year, sector, "workers_waiting") == 0)
                let displaced = try #require(p(year, sector, "workers_displaced_cumulative"))
                let held = try states.reduce(0.0) { try $0 + #require(p(year, sector, "workers_\($1)")) }
                #expect(abs(displaced - held) < 1e-3, "\(sector) \(year): \(displaced) displaced, \(held) in states")
            }
        }
        #expect(result.stdout.contains("placed: coal-self-employment-training"))
    }

    @Test func fewerSuccessfulTraineesMeansMoreUnemployed() throws {
        let (base, baseOut) = try RunCommandTests.runJilin()
        #expect(base.status == 0)
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").first { $0.contains("trainingSuccessShare:") })
        try text.replacingOccurrences(of: line, with: "    trainingSuccessShare: 0.3   # share; assumption: what-if")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let (variant, variantOut) = try RunCommandTests.runJilin(copy)
        #expect(variant.status == 0, "\(variant.stderr)")
        let b = try Projections(baseOut.appendingPathComponent("projections.csv"))
        let v = try Projections(variantOut.appendingPathComponent("projections.csv"))
        #expect(try #require(v(2017, "coal", "workers_unemployed")) > #require(b(2017, "coal", "workers_unemployed")))
        #expect(try #require(v(2017, "coal", "workers_reemployed")) < #require(b(2017, "coal", "workers_reemployed")))
        // Placement is unchanged: the channels take the same people, only what follows differs.
        #expect(v(2020, "coal", "workers_placed_cumulative.coal-self-employment-training") == 48_400)
    }

    @Test func aSmallerChannelSpillsToTheNextOne() throws {
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").first { $0.contains("capacityTotal: 6200") })
        try text.replacingOccurrences(of: line, with: "      capacityTotal: 1200   # persons; assumption: what-if")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let (result, out) = try RunCommandTests.runJilin(copy)
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect(p(2020, "coal", "workers_placed_cumulative.coal-other-enterprises") == 1_200)
        #expect(p(2020, "coal", "workers_placed_cumulative.coal-self-employment-training") == 53_400)
    }
}
