import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimTestSupport
import Foundation
import Testing

/// The Jilin 2020 scenario (003) starts from jilin-2016's end state as `EndState` derives it, and
/// reproduces the plan's +240 (new mines), +420 (expansions) and 1000 (2020 output) from the rules;
/// a higher replacement ratio or a missing credit transfer blocks units.
@Suite(.removesTemporaryFiles) struct Jilin2020ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func load(_ relative: String) throws -> Scenario {
        do { return try Scenario.load(path: path(relative)) } catch {
            Issue.record("\(relative) failed to load:\n\(error)")
            throw error
        }
    }

    static func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

    @Test func derivedTablesAreJilin2016sEndState() throws {
        let j16 = try Self.load("Scenarios/jilin-2016/scenario.yaml")
        let state = EndState(scenario: j16, result: Engine.run(j16.batch()))
        #expect(state.facilityTables.map(\.name) == ["coal-mines.csv", "steel.csv", "cement.csv"])
        for table in state.facilityTables {
            #expect(table.text == (try Self.text("Scenarios/jilin-2020/facilities/" + table.name)), "\(table.name)")
        }
        // The committed credit table is EndState's, less the pools without a unit (derive.sh).
        let derived = try Self.text("Scenarios/jilin-2020/facilities/replacement-credit.csv")
        let kept = Set(derived.split(separator: "\n").map(String.init))
        let all = state.replacementCredit.split(separator: "\n").map(String.init)
        #expect(all.filter { kept.contains($0) } == derived.split(separator: "\n").map(String.init))
        #expect(derived.contains("吉煤集团,coal,1413,"))
        let j20 = try Self.load("Scenarios/jilin-2020/scenario.yaml")
        #expect(j20.baseYear == j16.endYear)
        #expect(j20.facilities.filter { $0.kind == .coalMine && $0.startYear <= 2020 }.count == 25)
    }

    @Test func reproducesThePlanFigures() throws {
        let s = try Self.load("Scenarios/jilin-2020/scenario.yaml")
        let r = Engine.run(s.batch(), options: .init(checkInvariants: true))
        let coal = AggregationGroup(sector: .coal)
        // 003:L95: +240 of new mines, +420 of expansions; 003:L399: 1000 of output in 2020.
        #expect(r.openings.reduce(0) { $0 + $1.capacity10ktPerYear } == 240)
        #expect(r.capacityChanges.reduce(0) { $0 + $1.capacityChange10kt } == 420)
        #expect(r.blockedOpenings.isEmpty && r.blockedCapacityChanges.isEmpty && r.outputShortfalls.isEmpty)
        #expect(abs(r.value(.output, group: coal, year: 2020) - 1000) < 1e-9)
        #expect(r.value(.capacity, group: coal, year: 2025) == 2164 + 240 + 420)
        #expect(r.closures.isEmpty)
        ReferenceEngineCheck.expectSame(r, ReferenceEngine.run(s.batch()))
    }

    @Test func aHigherRatioBlocksAnExpansionAndTheNewMines() throws {
        let s = try Self.load("Scenarios/jilin-2020/variants/ratio-3.3.yaml")
        let r = Engine.run(s.batch())
        #expect(r.blockedCapacityChanges.map(\.change) == ["expand-changchun-2"])
        #expect(r.blockedCapacityChanges.first?.reason == .insufficientCredit)
        #expect(r.blockedOpenings.count == 3)
        #expect(r.value(.capacity, group: AggregationGroup(sector: .coal), year: 2025) == 2164 + 330)
    }

    @Test func withoutTheTransferTheHunchunMineIsBlocked() throws {
        let s = try Self.load("Scenarios/jilin-2020/variants/no-transfer.yaml")
        let r = Engine.run(s.batch())
        #expect(r.blockedOpenings.map { s.facilities[$0.facility].id } == ["coal-n03"])
        #expect(r.value(.capacity, group: AggregationGroup(sector: .coal), year: 2025) == 2164 + 180 + 420)
    }

    @Test func badCapacityChangesAreLocatedErrors() throws {
        let folder = try temporaryFolder("j20")
        let variant = folder.appendingPathComponent("bad.yaml")
        try """
            extends: \(Self.path("Scenarios/jilin-2020/scenario.yaml"))
            name: bad
            set:
              capacityChanges[expand-baishan-1].facility: coal-s255
              capacityChanges[expand-baishan-2].capacityChange: -50
              outputTargets[coal-output-2020].utilisationCeiling: 1.5
            """.write(to: variant, atomically: true, encoding: .utf8)
        do {
            _ = try Scenario.load(path: variant.path)
            Issue.record("the bad variant loaded")
        } catch {
            let message = "\(error)"
            #expect(message.contains("capacityChanges[0].facility: no facility has id 'coal-s255'; did you mean 'coal-s25'?"))
            #expect(message.contains("capacityChanges[1].capacityChange: a reduction of 50 would leave 'coal-s40' no capacity"))
            #expect(message.contains("outputTargets[0].utilisationCeiling: must be a share in (0, 1]"))
        }
    }
}

/// The engine's and the reference's events and metrics agree (relative 1e-9).
enum ReferenceEngineCheck {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
    static func expectSame(_ a: BatchResult, _ b: BatchResult) {
        #expect(a.closures == b.closures && a.openings == b.openings && a.blockedOpenings == b.blockedOpenings)
        #expect(a.capacityChanges == b.capacityChanges && a.blockedCapacityChanges == b.blockedCapacityChanges)
        #expect(a.outputShortfalls == b.outputShortfalls)
        #expect(zip(a.valuesByYear, b.valuesByYear).allSatisfy { zip($0.elements, $1.elements).allSatisfy { close($0, $1) } })
    }
}
