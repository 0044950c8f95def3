import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// The Qinghai scenario (S004, 2016-2018) loads, its targets add up to the plan, and the batched engine
/// reproduces the plan totals, the zombie exits and the scalar reference.
@Suite struct QinghaiScenarioTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/qinghai-2016/scenario.yaml").path

    static func load() throws -> Scenario {
        do {
            return try Scenario.load(path: path)
        } catch {
            Issue.record("Qinghai scenario failed to load:\n\(error)")
            throw error
        }
    }

    @Test func loadsWithTheTablesAndTheWorkersAndDebtSections() throws {
        let s = try Self.load()
        #expect(s.name == "qinghai-2016")
        #expect(s.baseYear == 2015 && s.endYear == 2018)  // S004:L56: in force to 2018-12-31
        #expect(s.facilities.filter { $0.kind == .coalMine }.count == 25)
        #expect(s.facilities.filter { $0.sector == .steel || $0.sector == .iron }.count == 6)
        #expect(s.facilities.filter { $0.sector == .clinker || $0.sector == .grinding }.count == 14)
        #expect(Set(s.facilities.map(\.id)).count == s.facilities.count)
        #expect(s.facilities.allSatisfy { $0.startYear <= 2015 })  // no planned unit
        #expect(s.facilities.contains { $0.enterprise == "西宁特钢" })  // S004:L37
        #expect(s.policy.resettlement != nil)
        #expect(s.enterprises.count == 25)
        // Equal or reduced replacement (等量减量置换, S004:L31): a ratio of 1 in every sector.
        #expect(s.policy.sectors.count == 5 && s.policy.sectors.values.allSatisfy { $0.replacementRatio == 1 })
    }

    @Test func theTargetsAddUpToThePlanTotals() throws {
        let s = try Self.load()
        func sum(_ id: String) throws -> Double {
            let target = try #require(s.policy.targets.first { $0.id == id })
            #expect(Set(target.capacityClosedByYear.keys) == [2016, 2017, 2018])
            return target.capacityClosedByYear.values.reduce(0, +)
        }
        #expect(try sum("coal-programme") == 276)   // S004:L22
        #expect(try sum("steel-programme") == 50)   // S004:L22
        #expect(try sum("clinker-programme") + sum("grinding-programme") == 150)  // of S004:L22's 225
    }

    @Test func theEngineClosesThePlanAndMatchesTheReference() throws {
        let s = try Self.load()
        let batch = s.batch()
        let engine = Engine.run(batch)
        let reference = ReferenceEngine.run(batch)
        #expect(engine.closures == reference.closures)
        for (x, y) in zip(engine.valuesByYear, reference.valuesByYear) {
            #expect(zip(x.elements, y.elements).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) })
        }
        let (c, d) = (try #require(engine.finance), try #require(reference.finance))
        #expect(zip(c.values, d.values).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) })

        var closed: [Sector: [Int: Double]] = [:]
        for event in engine.closures {
            closed[s.facilities[event.facility].sector, default: [:]][event.year, default: 0] += event.capacity10ktPerYear
        }
        #expect(closed[.coal] == [2016: 138, 2017: 83, 2018: 55])
        #expect(closed[.steel] == [2016: 30, 2017: 20])
        #expect(closed[.clinker] == [2016: 50, 2017: 37])
        #expect(closed[.grinding] == [2016: 35, 2018: 28])
        #expect(closed[.iron] == nil)

        // Zombie exit: two insolvent private firms go bankrupt in 2016 and their units close in 2017.
        let exits = engine.closures.filter { $0.cause.ruleID == "enterprise_exit" }
        #expect(exits.map { s.facilities[$0.facility].id }.sorted() == ["qh-coal-p11", "qh-st-ef4"])
        #expect(exits.allSatisfy { $0.year == 2017 })
    }
}
