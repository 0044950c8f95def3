@testable import CapSimCore
import Testing

/// Sector markets (docs/MODEL.md §2.7): hand-worked prices, utilisation and costs; the batched
/// engine against the scalar reference on random batches; markets off leaving a scenario unchanged.
@Suite struct MarketTests {
    /// A coal market balanced in the base year at 2 × 100 10kt/yr, u* = 0.6, demand 120.
    static func coalMarket(_ changes: (inout SectorMarket) -> Void = { _ in }) -> SectorMarket {
        var m = SectorMarket(demand10kt: 120, referenceUtilisation: 0.6, elasticity: 0.5)
        changes(&m)
        return m
    }

    @Test func priceClearsOnCapacityAfterTheCutsAndRevenueIsBookedAtIt() throws {
        let mines = [unit("a", enterprise: "A", capacity: 100), unit("b", enterprise: "B", capacity: 100)]
        let enterprises = [Fin.enterprise("A", assets: 1e9), Fin.enterprise("B", assets: 1e9)]
        let sectors: [Sector: SectorPolicy] = [.coal: SectorPolicy(utilisation: 0.6, market: Self.coalMarket())]
        let r = Fin.run(mines, enterprises, Fin.finance(), rules: [named("cut", ["a"], year: 2016)], sectors: sectors)
        let m = try #require(r.market)
        // Base year: balance 120 / (0.6 × 200) = 1 → P = 1; utilisation 120 / 200 = 0.6.
        #expect(m.priceIndex(.coal, year: 2015) == 1)
        #expect(m.utilisation(.coal, year: 2015) == 0.6)
        // 2016: mine a closes; balance 120 / (0.6 × 100) = 2 → P = 2^(1/0.5) = 4; u = min(1, 1.2) = 1.
        #expect(abs(m.priceIndex(.coal, year: 2016) - 4) < 1e-12)
        #expect(m.utilisation(.coal, year: 2016) == 1)
        // b sells 100 × 1 × 10,000 t at 100 yuan/t × 4 = 400 M yuan; costs 100 yuan/t.
        #expect(Fin.near(Fin.value(r, .revenue, "B", 2016), 400 * Fin.M))
        #expect(Fin.near(Fin.value(r, .operatingCost, "B", 2016), 100 * Fin.M))
        // Output follows demand up to the ceiling: 100 × 1.
        #expect(r.value(.output, group: total(.coal), year: 2016) == 100)
        #expect(!m.isOn(.steel))
    }

    @Test func capAppliesWithoutCapacityAndFloorInAGlut() throws {
        let mines = [unit("a", capacity: 100)]
        var sectors: [Sector: SectorPolicy] = [.coal: SectorPolicy(utilisation: 1, market: Self.coalMarket {
            $0.priceIndexCap = 3
            $0.priceIndexFloor = 0.5
            $0.demandByYear = [2017: 1]
        })]
        let r = run(mines, Policy(rules: [named("cut", ["a"], year: 2018)], sectors: sectors))
        let m = try #require(r.market)
        // 2016: 120 / 60 = 2 → 4, capped at 3. 2017: 1 / 60 → far below 1, floored at 0.5.
        #expect(m.priceIndex(.coal, year: 2016) == 3)
        #expect(m.priceIndex(.coal, year: 2017) == 0.5)
        #expect(abs(m.utilisation(.coal, year: 2017) - 0.01) < 1e-15)
        // 2018: no capacity: price at the cap, utilisation 0.
        #expect(m.priceIndex(.coal, year: 2018) == 3)
        #expect(m.utilisation(.coal, year: 2018) == 0)
        sectors[.coal]?.market = nil
        #expect(run(mines, Policy(sectors: sectors)).market == nil)
    }

    @Test func costRulesCompareWithLastYearsPriceAndCostsThatMoved() throws {
        // One mine at cost 120 against price 100: in 2016 it invests (cost > price at P[2015] = 1):
        // factor 1.02 (depletion) then × 0.9 = 0.918 → 110.16 yuan/t; investment
        // 2 years × (122.4 − 110.16) × 50 × 10,000 t = 12.24 M yuan.
        let mines = [unit("x", enterprise: "X", capacity: 50, cost: 120), unit("y", enterprise: "Y", capacity: 50, cost: 80)]
        let enterprises = [Fin.enterprise("X", assets: 1e9), Fin.enterprise("Y", assets: 1e9)]
        let market = Self.coalMarket {
            $0.demand10kt = 60
            $0.depletionRate = 0.02
            $0.costReductionRate = 0.1
            $0.costReductionLimit = 0.15
            $0.investmentPaybackYears = 2
        }
        let sectors: [Sector: SectorPolicy] = [.coal: SectorPolicy(utilisation: 1, market: market)]
        // The rule closes where cost > price × P × 1.09: 2016: 110.16 > 109 → closes.
        let rules = [rule("cost", .coal, .costAbovePrice, 0.09, years: 2016...2016)]
        let r = Fin.run(mines, enterprises, Fin.finance(), rules: rules, sectors: sectors)
        let m = try #require(r.market)
        #expect(m.priceIndex(.coal, year: 2015) == 1)  // 60 / (0.6 × 100)
        #expect(abs(m.investment(.coal, year: 2016) - 12.24 * Fin.M) < 1e-6)
        let closure = try #require(r.closures.first)
        guard case let .rule(_, _, measured, threshold) = closure.cause else { Issue.record("not a rule"); return }
        #expect(abs(measured - 120 * 0.918) < 1e-12 && abs(threshold - 109) < 1e-12)
        // X's 2016 operating cost is the investment alone (the mine closed; no output).
        #expect(Fin.near(Fin.value(r, .operatingCost, "X", 2016), 12.24 * Fin.M))
        // Without the rule x invests again in 2017 (P[2016] = 1, 120 × 0.918 × 1.02 = 112.36 > 100),
        // and its cut 0.93636 × 0.9 = 0.8427 stops at the limit 1 − 0.15 = 0.85:
        // investment 2 × 120 × (0.93636 − 0.85) × 50 × 10,000 = 10.3632 M yuan.
        let free = try #require(Fin.run(mines, enterprises, Fin.finance(), sectors: sectors).market)
        #expect(abs(free.investment(.coal, year: 2017) - 10.3632 * Fin.M) < 1e-6)
        // 2018: depletion lifts it to 0.867 (104.04 yuan/t > 100) and the cut brings it back to the
        // limit: 2 × 120 × 0.017 × 500,000 = 2.04 M yuan, every year from now on.
        #expect(abs(free.investment(.coal, year: 2018) - 2.04 * Fin.M) < 1e-6)
    }

    /// Random batches in which some scenarios give some sectors markets (with random costs), the
    /// others not: the engine and the reference agree, chunks join to the whole, and a scenario
    /// without markets gets the numbers it gets alone.
    @Test(arguments: [21, 22, 23, 24, 25, 26] as [UInt64])
    func engineMatchesReferenceWithMarkets(seed: UInt64) throws {
        var batch = Fin.randomBatch(seed: seed, scenarios: 4, enterprises: 5, facilities: 40)
        var rng = SplitMix64(seed: seed &+ 1000)
        for s in 1..<batch.policies.count {
            for sector in Sector.allCases where rng.chance(0.7) {
                let capacity = batch.facilities.filter { $0.sector == sector && $0.startYear <= base }
                    .reduce(0) { $0 + $1.capacity10ktPerYear }
                var m = SectorMarket(demand10kt: max(1, rng.tenths(0.3...0.9) * capacity),
                                     referencePriceIndex: rng.tenths(0.7...1.3), referenceUtilisation: rng.tenths(0.5...1),
                                     elasticity: rng.tenths(0.2...2), utilisationCeiling: rng.tenths(0.6...1),
                                     priceIndexFloor: rng.tenths(0...0.5), priceIndexCap: rng.tenths(2...5))
                for y in (base + 1)...end where rng.chance(0.4) { m.demandByYear[y] = max(1, rng.tenths(0.2...1) * capacity) }
                if rng.chance(0.6) {
                    m.depletionRate = rng.tenths(0...0.1)
                    m.costReductionRate = rng.tenths(0...0.3)
                    m.costReductionLimit = rng.tenths(0...0.4)
                    m.investmentPaybackYears = rng.tenths(0...5)
                }
                var sp = batch.policies[s].sector(sector)
                sp.market = m
                batch.policies[s].sectors[sector] = sp
            }
            batch.policies[s].rules.append(rule("market-cost", rng.pick(Sector.allCases), .costAbovePrice, rng.tenths(-0.2...0.2)))
            batch.policies[s].targets.append(ClosureTarget(
                id: "market-target", sector: rng.pick(Sector.allCases),
                capacityClosedByYear: [2017: rng.tenths(0...100), 2019: rng.tenths(0...100)], priority: [.highestCost]))
        }
        let reference = ReferenceEngine.run(batch)
        let engine = Engine.run(batch)
        ReferenceEngineTests.expectSame(engine, reference)
        let a = try #require(engine.market), b = try #require(reference.market)
        #expect(a.isOn == b.isOn)
        for (x, y) in [(a.priceIndex, b.priceIndex), (a.utilisation, b.utilisation), (a.demand10kt, b.demand10kt),
                       (a.capacity10kt, b.capacity10kt), (a.investmentYuan, b.investmentYuan)] {
            #expect(x.count == y.count && zip(x, y).allSatisfy { ReferenceEngineTests.close($0, $1) })
        }
        #expect(a.isOn.contains(true))
        // Chunks (one without any market) join to the whole, bit for bit.
        let joined = BatchResult.joined([Engine.run(batch.slice(0..<1)), Engine.run(batch.slice(1..<4))])
        #expect(joined.market == engine.market)
        #expect(joined.closures == engine.closures)
        #expect(joined.finance?.values == engine.finance?.values)
        // Scenario 0 has no market: alone it runs without the market step, in the batch with it.
        let alone = Engine.run(batch.slice(0..<1))
        #expect(alone.market == nil)
        #expect(alone.closures == engine.closures.filter { $0.scenario == 0 })
        let f0 = try #require(alone.finance), f = try #require(engine.finance)
        for y in f.years.indices {
            for e in f.enterprises.indices {
                for metric in FinanceMetric.allCases {
                    #expect(f0.value(metric, yearIndex: y, enterprise: e, scenario: 0)
                            == f.value(metric, yearIndex: y, enterprise: e, scenario: 0))
                }
            }
        }
    }
}
