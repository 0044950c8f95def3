import Foundation
import Testing
import CapSimTestSupport

/// The Jilin enterprises and debt end to end (S000:L56: 263.8亿元 of coal debt).
@Suite(.serialized, .removesTemporaryFiles) struct FinanceRunTests {
    @Test func jilinOpensWithTheCoalDebtAndKeepsTheIdentityEveryYear() throws {
        let (result, out) = try RunCommandTests.runJilin()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect(p(2015, "coal", "debt") == 26_380_000_000)
        #expect(p(2016, "coal", "debt_opening") == 26_380_000_000)
        for year in 2016...2020 {
            for sector in ["coal", "iron", "steel", "grinding"] {
                for owner in ["all", "state", "private"] {
                    guard let closing = p(year, sector, "debt", owner: owner) else { continue }
                    func v(_ m: String) throws -> Double { try #require(p(year, sector, m, owner: owner)) }
                    let identity = try v("debt_opening") + v("new_borrowing") + v("interest_capitalised")
                        + v("debt_received") - v("debt_repaid") - v("debt_swapped") - v("debt_stripped") - v("debt_written_off")
                        + v("debt_merged_in") - v("debt_merged_out")
                    // Values are written with 2 decimals: the identity holds to the yuan.
                    #expect(abs(identity - closing) < 1, "\(sector) \(owner) \(year): \(identity) vs \(closing)")
                    #expect(try abs(v("debt_opening") - #require(p(year - 1, sector, "debt", owner: owner))) < 0.01)
                }
            }
        }
        // The plan's levers act on coal: stripping and swaps in 2017, bankruptcies of closed private mines.
        #expect(try #require(p(2017, "coal", "debt_stripped")) > 0)
        #expect(try #require(p(2017, "coal", "debt_swapped")) > 0)
        #expect(p(2016, "coal", "bankruptcies", owner: "private") == 76)
        #expect(try #require(p(2020, "coal", "debt")) < 26_380_000_000)
        let accounts = try String(contentsOf: out.appendingPathComponent("enterprises.csv"), encoding: .utf8)
        #expect(accounts.hasPrefix("scenario,year,enterprise,owner,main_sector,metric,unit,value\n"))
        #expect(accounts.contains(",吉煤集团,state,coal,debt,yuan,"))
    }

    /// The stripped debt does not vanish (issue 13): in 2017 the plan's two vehicles receive every
    /// yuan 吉煤集团 strips (A1 S000:L217, S000:L56 三要 (2)), the debt table says where it went and
    /// what became of it, and no stripped debt leaves the books untracked.
    @Test func jilinStrippedDebtGoesToThePlansTwoVehicles() throws {
        let (result, out) = try RunCommandTests.runJilin()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        let stripped = try #require(p(2017, "coal", "debt_stripped"))
        #expect(stripped > 100e8)
        #expect(try abs(#require(p(2017, "coal", "debt_received")) - stripped) < 1)
        #expect(try #require(p(2017, "coal", "assets_received")) > stripped)
        #expect(try #require(p(2018, "coal", "assets_sold")) > 0)
        let accounts = try String(contentsOf: out.appendingPathComponent("enterprises.csv"), encoding: .utf8)
        #expect(accounts.contains(",吉林省资产管理公司,state,coal,debt_received,yuan,"))
        #expect(accounts.contains(",吉林省不良资产处置平台,state,coal,assets_sold,yuan,"))
        #expect(result.stdout.contains("holding and disposal entities"))
        #expect(result.stdout.contains("吉林省不良资产处置平台  disposal_platform"))
        #expect(result.stdout.contains("stripped debt no entity received (left the books untracked): 0"))
    }

    @Test func aShareAboveOneInALeverIsRejected() throws {
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("finance:") })
        let shareLine = try #require(lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("share:") })
        var edited = lines
        edited[shareLine] = edited[shareLine].replacingOccurrences(
            of: #"share:\s*[0-9.]+"#, with: "share: 1.5", options: .regularExpression)
        try edited.joined(separator: "\n").write(to: yaml, atomically: true, encoding: .utf8)
        let out = copy.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CLIHarness.run(["run", yaml.path, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("scenario.yaml:\(shareLine + 1): finance.instruments["))
        #expect(result.stderr.contains(".share: must be a share in [0, 1], got 1.5"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
