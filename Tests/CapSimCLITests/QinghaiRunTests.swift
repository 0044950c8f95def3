import Foundation
import Testing
import CapSimTestSupport

/// The Qinghai scenario end to end through the real binary: the plan totals of S004:L22 (steel 50,
/// coal 276, and the cement part of the 225 of other obsolete capacity) over 2016-2018, the yearly
/// split the scenario assumes, the zombie exits and the resettlement conservation.
@Suite(.serialized, .removesTemporaryFiles) struct QinghaiRunTests {
    static let yaml = "Scenarios/qinghai-2016/scenario.yaml"

    static func runQinghai(_ scenario: URL? = nil) throws -> (CLIHarness.Output, URL) {
        let out = temporaryPath("out")
        let path = scenario?.appendingPathComponent("scenario.yaml").path ?? yaml
        let result = try CLIHarness.run(["run", path, "--out", out.path])
        return (result, out)
    }

    /// A fresh copy of the Qinghai scenario folder in a temporary directory.
    static func copyOfQinghai() throws -> URL {
        let dir = temporaryPath("cli")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let target = dir.appendingPathComponent("qinghai-2016")
        try FileManager.default.copyItem(at: CLIHarness.packageRoot.appendingPathComponent("Scenarios/qinghai-2016"),
                                         to: target)
        return target
    }

    /// The rows of closures.csv, each with at least the 12 columns, so that tests can index them.
    static func closureRows(_ out: URL) throws -> [[String]] {
        let rows = try String(contentsOf: out.appendingPathComponent("closures.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.components(separatedBy: ",") }
        for row in rows { try #require(row.count >= 12, "closures.csv row with \(row.count) fields: \(row)") }
        return rows
    }

    @Test func validatePasses() throws {
        let result = try CLIHarness.run(["validate", Self.yaml])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok: no errors"))
    }

    @Test func qinghaiReproducesThePlanTotalsAndTheYearlySplit() throws {
        let (result, out) = try Self.runQinghai()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("not met"))
        let p = try Projections(out.appendingPathComponent("projections.csv"))

        // The yearly split (assumption, README "Yearly split"), 10kt/yr closed per year.
        let split: [String: [Double]] = [
            "coal": [138, 83, 55], "iron": [0, 0, 0], "steel": [30, 20, 0], "clinker": [50, 37, 0], "grinding": [35, 0, 28],
        ]
        for (sector, closed) in split {
            for (year, cap) in zip(2016...2018, closed) {
                #expect(p(year, sector, "capacity_closed") == cap, "\(sector) closed \(year)")
                #expect(p(year, sector, "capacity_opened") == 0, "\(sector) opened \(year)")
            }
        }
        // The plan's three-year totals (S004:L22): coal 276, steel 50; the modelled part of the 225 of
        // other obsolete capacity is cement, 150 (clinker 87 + grinding 63).
        func total(_ sector: String) throws -> Double {
            try (2016...2018).reduce(0.0) { try $0 + #require(p($1, sector, "capacity_closed")) }
        }
        #expect(try total("coal") == 276)
        #expect(try total("steel") == 50)
        #expect(try total("clinker") + total("grinding") == 150)
        #expect(try total("iron") == 0)
        for (sector, base) in [("coal", 1281.0), ("iron", 175), ("steel", 210), ("clinker", 585), ("grinding", 263)] {
            #expect(p(2015, sector, "capacity") == base)
            #expect(try p(2018, sector, "capacity") == base - total(sector))
        }
        // Units closed per year: coal 11 / 4 / 3 mines, 7 of 25 left.
        for (year, mines) in [(2016, 11.0), (2017, 4), (2018, 3)] {
            #expect(p(year, "coal", "units_closed") == mines)
        }
        #expect(p(2018, "coal", "units_operating") == 7)
        // State / private split of the coal closures.
        for (year, owner, cap) in [(2016, "state", 72.0), (2016, "private", 66), (2017, "state", 24), (2017, "private", 59),
                                   (2018, "state", 21), (2018, "private", 34)] {
            #expect(p(year, "coal", "capacity_closed", owner: owner) == cap, "\(owner) \(year)")
        }
        // 西宁特钢 (named in S004:L37) closes its 30 t EAF in 2016 and keeps the rest.
        let rows = try Self.closureRows(out)
        #expect(rows.count == 26)
        let xining = rows.filter { $0[6] == "西宁特钢" }
        #expect(xining.count == 1 && xining.first?[1] == "2016" && xining.first?[2] == "qh-st-ef3")
        #expect(result.stdout.contains("1281") && result.stdout.contains("25->7"))
    }

    @Test func zombieEnterprisesExit() throws {
        let (result, out) = try Self.runQinghai()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        // 2016: the insolvent private steelmaker and the insolvent private mine are flagged and go bankrupt
        // while their units still operate; their units close at the start of 2017 (出清一批, S004:L31).
        let exits = try Self.closureRows(out).filter { $0[10] == "enterprise_exit" }
        #expect(exits.map { $0[2] }.sorted() == ["qh-coal-p11", "qh-st-ef4"])
        #expect(exits.allSatisfy { $0[1] == "2017" && $0[7] == "private" })
        #expect(p(2016, "steel", "bankruptcies", owner: "private") == 1)
        // Every private coal firm is wound up in the year its mine closes, p11 a year before its mine.
        #expect(p(2016, "coal", "bankruptcies", owner: "private") == 9)
        #expect(p(2017, "coal", "bankruptcies", owner: "private") == 2)
        #expect(p(2018, "coal", "bankruptcies", owner: "private") == 2)
        // The county state mine company is merged into the provincial group (重组一批, S004:L31).
        #expect(p(2016, "coal", "mergers", owner: "state") == 1)
        // 西宁特钢 is flagged but restructured, not wound up (S004:L37); the swap and the stripping act in 2017.
        let accounts = try String(contentsOf: out.appendingPathComponent("enterprises.csv"), encoding: .utf8)
        #expect(accounts.contains("qinghai-2016,2016,西宁特钢,state,steel,zombies,enterprises,1\n"))
        #expect(!accounts.contains(",西宁特钢,state,steel,bankruptcies,enterprises,1\n"))
        #expect(try #require(p(2017, "steel", "debt_swapped", owner: "state")) > 0)
        #expect(try #require(p(2017, "steel", "debt_stripped", owner: "state")) > 0)
        // The debt identity holds for every group and year.
        for year in 2016...2018 {
            for sector in ["coal", "steel", "clinker", "grinding"] {
                for owner in ["all", "state", "private"] {
                    guard let closing = p(year, sector, "debt", owner: owner) else { continue }
                    func v(_ m: String) throws -> Double { try #require(p(year, sector, m, owner: owner)) }
                    let identity = try v("debt_opening") + v("new_borrowing") + v("interest_capitalised")
                        - v("debt_repaid") - v("debt_swapped") - v("debt_stripped") - v("debt_written_off")
                        + v("debt_merged_in") - v("debt_merged_out")
                    #expect(abs(identity - closing) < 1, "\(sector) \(owner) \(year): \(identity) vs \(closing)")
                }
            }
        }
    }

    @Test func withoutBankruptcyTheTargetsPickOtherUnits() throws {
        let copy = try Self.copyOfQinghai()
        // The private firms' action becomes `none` (flagged only); `none` takes no recovery shares.
        let yaml = copy.appendingPathComponent("scenario.yaml")
        var lines = try String(contentsOf: yaml, encoding: .utf8).components(separatedBy: "\n")
        let action = try #require(lines.firstIndex { $0.hasSuffix("action: bankruptcy") })
        #expect(lines[action + 1].contains("recovery:"))
        lines[action] = "        action: none"
        lines.remove(at: action + 1)
        try lines.joined(separator: "\n").write(to: yaml, atomically: true, encoding: .utf8)
        let (result, out) = try Self.runQinghai(copy)
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        let rows = try Self.closureRows(out)
        #expect(!rows.contains { $0[10] == "enterprise_exit" })
        // The zombies stay open. The coal target then picks state mines and overshoots 83; the steel
        // target (smallest first) picks the private 40 t EAF itself, so steel is unchanged.
        #expect(try #require(p(2017, "coal", "capacity_closed")) > 83)
        #expect(rows.contains { $0[1] == "2017" && $0[2] == "qh-coal-p11" } == false)
        #expect(p(2017, "steel", "capacity_closed") == 20)
        #expect(rows.contains { $0[1] == "2017" && $0[2] == "qh-st-ef4" && $0[10] == "steel-programme" })
        #expect(p(2017, "coal", "bankruptcies") == 0)
    }

    @Test func everyDisplacedWorkerIsResettledAndCounted() throws {
        let (result, out) = try Self.runQinghai()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        // Workers of the closed units (facility tables): coal 6,105, steel 750, clinker 870, grinding 378.
        for (sector, displaced) in [("coal", 6_105.0), ("steel", 750), ("clinker", 870), ("grinding", 378), ("iron", 0)] {
            #expect(p(2018, sector, "workers_displaced_cumulative") == displaced, "\(sector)")
        }
        // 内部分流 (S004:L37) takes the state units' workers first.
        #expect(p(2018, "coal", "workers_placed_cumulative.coal-internal-diversion") == 2_925)
        #expect(p(2018, "steel", "workers_placed_cumulative.steel-internal-diversion") == 450)
        let cement = try #require(p(2018, "clinker", "workers_placed_cumulative.cement-internal-diversion"))
            + #require(p(2018, "grinding", "workers_placed_cumulative.cement-internal-diversion"))
        #expect(cement == 538)
        // Conservation: every displaced worker is in exactly one state each year, and nobody waits.
        let states = ["waiting", "in_training", "reemployed", "public_welfare", "unemployed", "internally_retired",
                      "retired", "out_of_labour_force"]
        for year in 2016...2018 {
            for sector in ["coal", "iron", "steel", "clinker", "grinding"] {
                #expect(p(year, sector, "workers_waiting") == 0)
                let displaced = try #require(p(year, sector, "workers_displaced_cumulative"))
                let held = try states.reduce(0.0) { try $0 + #require(p(year, sector, "workers_\($1)")) }
                #expect(abs(displaced - held) < 1e-3, "\(sector) \(year): \(displaced) displaced, \(held) in states")
                let placed = try ["internal-retirement", "public-welfare", "training-and-entrepreneurship",
                                  "registered-unemployment"]
                    .reduce(0.0) { try $0 + #require(p(year, sector, "workers_placed_cumulative.\($1)")) }
                let diversion = ["coal-internal-diversion", "steel-internal-diversion", "cement-internal-diversion"]
                    .compactMap { p(year, sector, "workers_placed_cumulative.\($0)") }.reduce(0, +)
                #expect(abs(placed + diversion - displaced) < 1e-3, "\(sector) \(year): placed \(placed + diversion)")
            }
        }
        #expect(p(2018, "coal", "workers_placed_cumulative.registered-unemployment") == 0)
    }
}
