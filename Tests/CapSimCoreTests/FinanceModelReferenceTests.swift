@testable import CapSimCore
import Testing

/// The data-parallel `FinanceModel` against the scalar `ReferenceFinanceModel` (docs/MODEL.md §8.0):
/// driven by the same closures and openings, every value and every exit must be the same bit for
/// bit (the new model keeps the reference's summation orders), and unit lists must follow mergers.
@Suite struct FinanceModelReferenceTests {
    /// A finance policy whose zombie rule catches many enterprises, so bankruptcies, mergers (also
    /// chains and mergers into bankrupt or merged enterprises) and exits happen in most runs.
    static func aggressive(_ ids: [String], _ rng: inout SplitMix64) -> ZombiePolicy {
        var actions: [ZombieAction] = []
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            var recovery: [CreditorClass: Double] = [:]
            for c in CreditorClass.allCases where rng.chance(0.7) { recovery[c] = rng.tenths(0...1) }
            actions.append(ZombieAction(filter: Fin.randomFilter(ids, &rng),
                                        kind: rng.chance(0.5) ? .merger : .bankruptcy, recovery: recovery,
                                        acquirer: rng.chance(0.9) ? rng.pick(ids) : "nobody"))
        }
        return ZombiePolicy(haltedMonths: rng.tenths(0...8), debtToAssets: rng.tenths(0.2...0.9),
                            lossYears: Int.random(in: 1...3, using: &rng), requireAll: false, actions: actions)
    }

    /// A random batch of `scenarios` scenarios differing in every number, half of them aggressive.
    static func batch(seed: UInt64, scenarios: Int) -> ScenarioBatch {
        var b = Fin.randomBatch(seed: seed, scenarios: scenarios, enterprises: 9, facilities: 45, holdings: 2)
        var rng = SplitMix64(seed: seed &+ 1_000)
        let ids = b.enterprises.map(\.id)
        for s in b.policies.indices where s % 2 == 1 { b.policies[s].finance!.zombies = aggressive(ids, &rng) }
        // Wind-ups (§8.8) in every third scenario, from a generator of their own.
        var windRNG = SplitMix64(seed: seed &+ 2_000)
        for s in b.policies.indices where s % 3 != 0 { b.policies[s].finance!.windUp = Fin.randomWindUp(ids, &windRNG) }
        return b
    }

    /// What a run of both models produced.
    struct Outcome {
        var values: [Double] = []
        var reference: [[Double]] = []
        var exits: [[String]] = []
        var referenceExits: [[String]] = []
        var bankruptcies = 0.0, mergers = 0.0, windUps = 0.0
        /// Debt and assets holding entities received, and assets they sold.
        var received = 0.0, sold = 0.0
    }

    /// Steps both models through the years with random closures and openings (operating units close
    /// with probability 0.15, planned ones due open with 0.5; bankrupt enterprises' operating units
    /// close first the next year and planned ones are cancelled, as the engine does).
    static func drive(_ b: ScenarioBatch, seed: UInt64) -> Outcome {
        enum Unit { case planned, operating, closed }
        var rng = SplitMix64(seed: seed)
        let S = b.policies.count, F = b.facilities.count
        var model = FinanceModel(enterprises: b.enterprises, facilities: b.facilities, baseYear: b.baseYear,
                                 years: b.years, policies: b.policies)
        var refs = b.policies.map {
            ReferenceFinanceModel(enterprises: b.enterprises, facilities: b.facilities, baseYear: b.baseYear,
                                  years: b.years, policies: [$0.finance!])
        }
        var status = (0..<S).map { _ in b.facilities.map { $0.startYear <= b.baseYear ? Unit.operating : .planned } }
        var pending = [[Int]](repeating: [], count: S)
        var out = Outcome()
        for (y, year) in b.years.enumerated().dropFirst() {
            var closed: [UnitEvent] = [], opened: [UnitEvent] = [], closedBy = [[Int]](repeating: [], count: S)
            for s in 0..<S {
                func close(_ f: Int) {
                    status[s][f] = .closed
                    closed.append(UnitEvent(facility: Int32(f), scenario: Int32(s)))
                    closedBy[s].append(f)
                }
                for f in pending[s] where status[s][f] == .operating { close(f) }
                pending[s] = []
                // Closures in a random order, as rules and targets close units out of table order.
                for f in (0..<F).shuffled(using: &rng) where status[s][f] == .operating && rng.chance(0.15) { close(f) }
                for f in 0..<F where status[s][f] == .planned && b.facilities[f].startYear <= year && rng.chance(0.5) {
                    status[s][f] = .operating
                    opened.append(UnitEvent(facility: Int32(f), scenario: Int32(s)))
                }
            }
            model.step(yearIndex: y, year: year, closed: closed, opened: opened)
            for s in 0..<S {
                refs[s].step(yearIndex: y, year: year, scenario: 0, policy: b.policies[s], facilities: b.facilities,
                             operating: { status[s][$0] == .operating }, closed: closedBy[s])
                out.referenceExits.append(refs[s].exits[0].map { "\(year) \(b.facilities[$0.facility].id) \($0.enterprise)" })
                out.exits.append(model.exits.filter { $0.scenario == s }.map {
                    "\(year) \(b.facilities[Int($0.facility)].id) \(b.enterprises[Int($0.enterprise)].id)"
                })
                for exit in refs[s].exits[0] {
                    if status[s][exit.facility] == .planned { status[s][exit.facility] = .closed }
                    pending[s].append(exit.facility)
                }
                refs[s].exits[0] = []
            }
            // Exits come in scenario order.
            #expect(zip(model.exits, model.exits.dropFirst()).allSatisfy { $0.scenario <= $1.scenario })
            model.clearExits()
        }
        let f = model.result
        out.values = f.values
        out.reference = refs.map(\.result.values)
        for y in f.years.indices {
            for s in 0..<S {
                out.bankruptcies += f.total(.bankruptcies, sector: nil, owner: nil, yearIndex: y, scenario: s)
                out.mergers += f.total(.mergers, sector: nil, owner: nil, yearIndex: y, scenario: s)
                out.windUps += f.total(.windUps, sector: nil, owner: nil, yearIndex: y, scenario: s)
                out.received += f.total(.debtReceived, sector: nil, owner: nil, yearIndex: y, scenario: s)
                    + f.total(.assetsReceived, sector: nil, owner: nil, yearIndex: y, scenario: s)
                out.sold += f.total(.assetsSold, sector: nil, owner: nil, yearIndex: y, scenario: s)
            }
        }
        return out
    }

    /// Same events in, same numbers and same exits out, bit for bit, for every scenario of a batch of
    /// five that differ in every number; and the runs really contain bankruptcies and mergers.
    @Test(arguments: Array(101...112) as [UInt64])
    func sameNumbersAndExitsAsTheReference(seed: UInt64) throws {
        let b = Self.batch(seed: seed, scenarios: 5)
        let out = Self.drive(b, seed: seed)
        let E = b.enterprises.count, M = FinanceMetric.allCases.count
        var differences: [String] = []
        for y in b.years.indices {
            for e in b.enterprises.indices {
                for m in FinanceMetric.allCases {
                    for s in 0..<5 {
                        let new = out.values[((y * E + e) * M + m.index) * 5 + s]
                        let ref = out.reference[s][(y * E + e) * M + m.index]
                        if new != ref { differences.append("s\(s) e\(e) \(b.years[y]) \(m.name): \(new) vs \(ref)") }
                    }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences: \(differences.prefix(4))")
        #expect(out.exits == out.referenceExits)
        #expect(out.bankruptcies + out.mergers > 0, "seed \(seed) exercises no zombie action")
    }

    /// Over the seeds above, every zombie action and exits of acquired units all occur (so the
    /// comparison is not vacuous).
    @Test func theRandomRunsExerciseBankruptciesMergersAndExits() {
        var bankruptcies = 0.0, mergers = 0.0, exits = 0, received = 0.0, sold = 0.0, windUps = 0.0
        for seed in 101...112 as ClosedRange<UInt64> {
            let out = Self.drive(Self.batch(seed: seed, scenarios: 5), seed: seed)
            bankruptcies += out.bankruptcies
            mergers += out.mergers
            received += out.received
            windUps += out.windUps
            sold += out.sold
            exits += out.exits.reduce(0) { $0 + $1.count }
        }
        #expect(bankruptcies >= 10)
        #expect(mergers >= 10)
        #expect(exits >= 20)
        #expect(received > 0, "no lever sent anything to a holding entity")
        #expect(sold > 0, "no asset sale sold anything")
        #expect(windUps >= 5, "few wind-ups: \(windUps)")
    }

    /// A merger splices the zombie's units into the acquirer's list, in its scenario only; a later
    /// bankruptcy of the acquirer lists its own and its acquired units in table order; exits come in
    /// scenario order.
    @Test func mergersRelinkUnitListsAndBankruptciesListEveryUnitInTableOrder() throws {
        let M = Fin.M
        let fs = [unit("a1", enterprise: "A", capacity: 10), unit("b1", enterprise: "B", capacity: 1),
                  unit("a2", enterprise: "A", capacity: 10)]
        let es = [Fin.enterprise("A", assets: 100 * M), Fin.enterprise("B", assets: 10 * M, bank: 50 * M)]
        // Scenario 0: B (λ 5) merges into A in 2016; A, halted 12 × (1 − 1/20) ≥ 6 once a1 and a2 close
        // in 2017, goes bankrupt then. Scenario 1: A goes bankrupt in 2016 (a1, a2 closed); B is only flagged.
        let p0 = Fin.finance(zombies: Fin.zombies(halted: 6, leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("B"), kind: .merger, acquirer: "A"),
            ZombieAction(filter: Fin.only("A"), kind: .bankruptcy)]))
        let p1 = Fin.finance(zombies: Fin.zombies(halted: 6, leverage: 0.85, actions: [
            ZombieAction(filter: Fin.only("A"), kind: .bankruptcy)]))
        let years = Array(base...end)
        var model = FinanceModel(enterprises: es, facilities: fs, baseYear: base, years: years,
                                 policies: [Policy(finance: p0), Policy(finance: p1)])
        func ev(_ f: Int32, _ s: Int32) -> UnitEvent { UnitEvent(facility: f, scenario: s) }
        model.step(yearIndex: 1, year: 2016, closed: [ev(0, 1), ev(2, 1)], opened: [])
        #expect(model.exits == [EnterpriseExit(facility: 0, scenario: 1, enterprise: 0),
                                EnterpriseExit(facility: 2, scenario: 1, enterprise: 0)])
        #expect(model.owner == [0, 0, 0, 1, 0, 0])  // [f · S + s]: b1 is A's in scenario 0 only
        // [e · S + s]: A starts at b1 in s0 and a1 in s1 (a bankrupt enterprise keeps its list); B's list
        // is empty in s0.
        #expect(model.firstUnit == [1, 0, -1, 1])
        // Scenario 0: B's list (b1) spliced in front of A's (a1 → a2).
        #expect(model.nextUnit[1 * 2 + 0] == 0 && model.nextUnit[0 * 2 + 0] == 2 && model.nextUnit[2 * 2 + 0] == -1)
        model.clearExits()
        model.step(yearIndex: 2, year: 2017, closed: [ev(0, 0), ev(2, 0)], opened: [])
        #expect(model.exits == [0, 1, 2].map { EnterpriseExit(facility: $0, scenario: 0, enterprise: 0) })
        #expect(model.result.value(.bankruptcies, yearIndex: 2, enterprise: 0, scenario: 0) == 1)
        #expect(model.result.value(.mergers, yearIndex: 1, enterprise: 1, scenario: 0) == 1)
        #expect(model.result.value(.zombies, yearIndex: 2, enterprise: 1, scenario: 1) == 1)
        #expect(model.result.value(.mergers, yearIndex: 1, enterprise: 1, scenario: 1) == 0)
    }

    /// The heap sort that puts a bankrupt enterprise's units into table order sorts any prefix.
    @Test func heapSortSortsAPrefixInPlace() {
        var rng = SplitMix64(seed: 7)
        for n in [0, 1, 2, 3, 10, 57] {
            var a = (0..<(n + 5)).map { _ in Int32.random(in: -50...50, using: &rng) }
            let tail = Array(a[n...]), want = Array(a[..<n]).sorted()
            FinanceModel.heapSort(&a, count: n)
            #expect(Array(a[..<n]) == want, "n \(n)")
            #expect(Array(a[n...]) == tail, "n \(n)")
        }
    }

    /// Splitting a batch into threads or chunks of any size gives the same finance values bit for bit.
    @Test(arguments: [121, 122, 123] as [UInt64])
    func batchSplitsGiveBitIdenticalFinance(seed: UInt64) {
        let b = Self.batch(seed: seed, scenarios: 6)
        let whole = Engine.run(b)
        #expect(Engine.run(b, threads: 2).finance?.values == whole.finance?.values)
        for chunk in [1, 2, 4] {
            var parts: [BatchResult] = []
            Engine.stream(b, chunkSize: chunk, threads: 2) { _, part in parts.append(part) }
            #expect(BatchResult.joined(parts).finance?.values == whole.finance?.values, "chunks of \(chunk)")
            #expect(BatchResult.joined(parts).closures == whole.closures, "chunks of \(chunk)")
        }
    }
}
