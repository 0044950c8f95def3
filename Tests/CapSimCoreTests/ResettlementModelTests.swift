import CapSimCore
import Numerics
import Testing

/// The resettlement model end to end through `Engine.run` (docs/MODEL.md §7): placements,
/// spill-over, waiting, costs, payers, funds, conservation and batching.
@Suite struct ResettlementModelTests {
    // MARK: the hand-worked run

    /// Coal mines m1 (1000 workers, 90 capacity), m2 (500, 40), m3 (300, 20, never closes) and a
    /// blast furnace bf (400, 60). m1 and bf close in 2016, m2 in 2017. A coal target of 60 in 2016
    /// is over-fulfilled by 30 (m1 alone closes 90).
    static let facilities = [
        WF.facility("m1", workers: 1000, capacity: 90), WF.facility("m2", workers: 500, capacity: 40),
        WF.facility("m3", workers: 300, capacity: 20), WF.facility("bf", .blastFurnace, workers: 400, capacity: 60),
    ]

    /// Channels, in order:
    /// - transfer: internal transfer, coal only, 500 in all, 300 a year, 3000 one-off, paid by the central award;
    /// - early: internal retirement within 5 years of retirement, half the wage a year, paid by the enterprise;
    /// - terminate: contract termination, at most 10 % of the pool, 20000 a year, paid by job-retention refunds;
    /// - dole: registered unemployment, takes the rest.
    static let channels = [
        ResettlementChannel(id: "transfer", kind: .internalTransfer, sectors: [.coal], capacityTotalPersons: 500,
                            capacityPerYearPersons: 300, oneOffYuanPerPerson: 3000, payer: .centralAward),
        ResettlementChannel(id: "early", kind: .internalRetirement, withinYearsOfRetirement: 5,
                            annualShareOfWage: 0.5, payer: .enterprise),
        ResettlementChannel(id: "terminate", kind: .contractTermination, share: 0.1, annualYuanPerPerson: 20000,
                            payer: .jobRetentionRefund),
        ResettlementChannel(id: "dole", kind: .registeredUnemployment),
    ]

    static func handPolicy(rates: TransitionRates = WF.rates()) -> Policy {
        let fund = AwardFund(amountYuanByYear: [2016: 1_000_000], sectors: [.coal, .iron], baseShare: 0.8,
                             capacityWeight: 0.5, workersWeight: 0.5, difficulty: [.coal: 1.2])
        let resettlement = ResettlementPolicy(
            structure: WF.structure, sectors: [.coal: WF.coalProfile, .iron: WF.ironProfile], channels: channels,
            transitions: rates, unemploymentBenefitYuanPerYear: 12000, socialInsurance: WF.insurance,
            jobRetentionRefundShare: 0.5, awardFund: fund)
        return Policy(rules: [WF.close(["m1", "bf"], in: 2016), WF.close(["m2"], in: 2017)],
                      targets: [ClosureTarget(id: "coal-goal", sector: .coal, capacityClosedByYear: [2016: 60],
                                              priority: [.smallest])],
                      resettlement: resettlement)
    }

    static let handRun = WF.run(facilities, [handPolicy()])

    func v(_ name: String, _ sector: Sector, _ year: Int) -> Double { WF.value(Self.handRun, name, sector, year) }

    @Test func theHandRunClosesWhatItShould() throws {
        let r = Self.handRun
        #expect(r.closures.map { "\(Self.facilities[$0.facility].id)@\($0.year)" } == ["m1@2016", "bf@2016", "m2@2017"])
        let result = try #require(r.resettlement)
        #expect(result.sectors == [.coal, .iron])
        #expect(result.years == [2015, 2016, 2017, 2018])
        #expect(result.scenarioCount == 1)
        let names = Set(result.quantities.map(\.name))
        let channelNames = ["transfer", "early", "terminate", "dole"].flatMap {
            ["workers_placed.\($0)", "workers_placed_cumulative.\($0)", "cost.\($0)"]
        }
        let expected = ["workers_displaced", "workers_displaced_cumulative", "cost.back_wages",
                        "central_award_allocated", "job_retention_refund_accrued", "central_award_balance",
                        "job_retention_refund_balance"]
            + WorkerState.allCases.map { "workers_\($0.rawValue)" } + Payer.allCases.map { "paid.\($0.rawValue)" }
            + channelNames
        #expect(names == Set(expected))
        #expect(result.quantities.count == expected.count)
        // The base year is the starting state: nothing displaced, placed or paid.
        for sector in [Sector.coal, .iron] {
            for q in result.quantities { #expect(WF.value(r, q.name, sector, 2015) == 0, "\(q.name) \(sector) 2015") }
        }
        // Sectors without facilities are not reported.
        #expect(result.value("workers_displaced", sector: .steel, year: 2016) == nil)
        #expect(result.conservationViolations().isEmpty)
    }

    @Test func placementsPerChannelAndYear() {
        // 2016, coal: 1000 displaced, cells men 160 240 240 80 80, women 50 50 100 0 0.
        //   transfer: 300 (its yearly capacity); the pool keeps 70 % of every cell.
        //   early (within 5 years): men 55-60 all 56, women 40-50 half of 70 = 35 → 91.
        //   terminate: 10 % of the starting pool 1000 → 100.
        //   dole: the remaining 509.
        WF.near(v("workers_displaced", .coal, 2016), 1000)
        WF.near(v("workers_placed.transfer", .coal, 2016), 300)
        WF.near(v("workers_placed.early", .coal, 2016), 91)
        WF.near(v("workers_placed.terminate", .coal, 2016), 100)
        WF.near(v("workers_placed.dole", .coal, 2016), 509)
        WF.near(v("workers_waiting", .coal, 2016), 0)
        // 2017: m2's 500 (men 80 120 120 40 40, women 25 25 50 0 0). The transfer has 200 left in all.
        //   transfer 200 (60 % stays); early: men 24, women half of 30 = 15 → 39; terminate 50; dole 211.
        WF.near(v("workers_displaced", .coal, 2017), 500)
        WF.near(v("workers_placed.transfer", .coal, 2017), 200)
        WF.near(v("workers_placed.early", .coal, 2017), 39)
        WF.near(v("workers_placed.terminate", .coal, 2017), 50)
        WF.near(v("workers_placed.dole", .coal, 2017), 211)
        // 2018: nobody new, nobody waiting.
        for c in ["transfer", "early", "terminate", "dole"] { #expect(v("workers_placed.\(c)", .coal, 2018) == 0) }
        // Cumulative.
        for (c, want) in [("transfer", [300.0, 500, 500]), ("early", [91, 130, 130]), ("terminate", [100, 150, 150]),
                          ("dole", [509, 720, 720])] {
            for (y, w) in zip(2016...2018, want) { WF.near(v("workers_placed_cumulative.\(c)", .coal, y), w, "\(c) \(y)") }
        }
        for (y, w) in zip(2015...2018, [0.0, 1000, 1500, 1500]) {
            WF.near(v("workers_displaced_cumulative", .coal, y), w, "displaced \(y)")
        }
        // Iron (400: men 75 75 75 75 0, women 50 50 0 0 0): the transfer is for coal only and nobody
        // is within 5 years of retirement, so terminate takes 40 and dole the other 360.
        WF.near(v("workers_placed.transfer", .iron, 2016), 0)
        WF.near(v("workers_placed.early", .iron, 2016), 0)
        WF.near(v("workers_placed.terminate", .iron, 2016), 40)
        WF.near(v("workers_placed.dole", .iron, 2016), 360)
        WF.near(v("workers_displaced_cumulative", .iron, 2018), 400)
    }

    @Test func stocksAtTheEndOfTheYearHaveAgedAndRetired() {
        // Retiring in 2016 (the bands that end at the retirement age): men 55-60 (1/5 a year) are the
        // transfer's 24 and early's 56; women 40-50 (1/10) are transfer 30, early 35, terminate + dole 35.
        //   (24 + 56) / 5 + (30 + 35 + 35) / 10 = 16 + 10 = 26
        WF.near(v("workers_retired", .coal, 2016), 26)
        // Internal retirees: 56 × 0.8 + 35 × 0.9 = 76.3 at the end of 2016; at the end of 2017
        // 44.8 × 0.8 + 31.5 × 0.9 + 24 × 0.8 + 15 × 0.9 = 35.84 + 28.35 + 19.2 + 13.5 = 96.89.
        WF.near(v("workers_internally_retired", .coal, 2016), 76.3)
        WF.near(v("workers_internally_retired", .coal, 2017), 96.89)
        WF.near(v("workers_retired", .iron, 2016), 0)
        for y in 2015...2018 { WF.near(v("workers_waiting", .coal, y), 0, "waiting \(y)") }
    }

    @Test func costsOfTheFirstYear() {
        // Coal, wage 60 000; 2016 stocks are this year's placements.
        // transfer: 300 × 3000 one-off.
        WF.near(v("cost.transfer", .coal, 2016), 900_000)
        // early: 91 × (0.5 × 60 000) allowance + 91 × 60 000 × ρ(2016); ρ = 0.2 + 0.08 + 0.02
        // (unemployment from 2016) + 0.01 (maternity: before its first year 2017) + 0.01 = 0.32.
        WF.near(v("cost.early", .coal, 2016), 91 * 30_000 + 91 * 60_000 * 0.32)
        // terminate: 100 × 20 000 + severance + 100 × 12 000 benefits. Severance is drawn from the
        // pool after early (men 112 168 168 56 0, women 35 35 35 0 0) at 100/609 of each cell, service
        // years 5 15 25 32.5 37.5 (mid-points less 20): Σ cells × years = 10 675; × 100/609 × 60 000/12.
        let severance = 10_675.0 * 100 / 609 * 5000
        WF.near(v("cost.terminate", .coal, 2016), 2_000_000 + severance + 1_200_000)
        WF.near(v("cost.dole", .coal, 2016), 509 * 12_000)
        // Back wages: 1000 × 2 months × 60 000/12.
        WF.near(v("cost.back_wages", .coal, 2016), 10_000_000)
        // Iron, wage 50 000: terminate takes 10 % of every cell, men 7.5 × 4, women 5 5:
        // severance (7.5 × (5 + 15 + 25 + 32.5) + 5 × (5 + 15)) × 50 000/12 = 681.25 × 50 000/12.
        let ironSeverance = 681.25 * 50_000 / 12
        WF.near(v("cost.terminate", .iron, 2016), 40 * 20_000 + ironSeverance + 40 * 12_000)
        WF.near(v("cost.dole", .iron, 2016), 360 * 12_000)
        WF.near(v("cost.early", .iron, 2016), 0)
        WF.near(v("cost.transfer", .iron, 2016), 0)
        WF.near(v("cost.back_wages", .iron, 2016), 400 * 50_000.0 / 12)
        // Later years: early pays on the internal retirees at the start of the year (after last
        // year's transitions) plus the new ones: 2017 (76.3 + 39) × 60 000 × (0.5 + 0.32);
        // 2018 96.89 × 60 000 × (0.5 + 0.315), maternity having stepped down to 0.005.
        WF.near(v("cost.early", .coal, 2017), 115.3 * 60_000 * 0.82)
        WF.near(v("cost.early", .coal, 2018), 96.89 * 60_000 * 0.815)
        WF.near(v("cost.back_wages", .coal, 2017), 5_000_000)
        WF.near(v("cost.back_wages", .coal, 2018), 0)
    }

    @Test func whoPaidInTheFirstYear() {
        // Award fund 1 000 000 in 2016 over coal and iron. Cut coal 90, iron 60 (Σ 150); displaced
        // coal 1000, iron 400 (Σ 1400); difficulty coal 1.2:
        //   v_coal = (0.5 × 90/150 + 0.5 × 1000/1400) × 1.2 = 11.04/14, v_iron = 0.2 + 2/14 = 4.8/14,
        //   so coal has 23/33 of the 800 000 base, iron 10/33; coal over-fulfils its target 60 by 30
        //   and is the only sector with excess: all of the 200 000 reward.
        let coalAward = 800_000.0 * 23 / 33 + 200_000
        let ironAward = 800_000.0 * 10 / 33
        WF.near(v("central_award_allocated", .coal, 2016), coalAward)
        WF.near(v("central_award_allocated", .iron, 2016), ironAward)
        // The transfer's 900 000 exhausts coal's award; the rest falls to the provincial budget.
        WF.near(v("paid.central_award", .coal, 2016), coalAward)
        WF.near(v("paid.provincial_budget", .coal, 2016), 900_000 - coalAward)
        WF.near(v("central_award_balance", .coal, 2016), 0)
        // Iron's award is never used and carries over.
        for y in 2016...2018 { WF.near(v("central_award_balance", .iron, y), ironAward, "iron balance \(y)") }
        // Refunds: 0.5 × u(2015) = 0.03 × 1800 coal workers operating at the end of 2015 × 60 000.
        WF.near(v("job_retention_refund_accrued", .coal, 2016), 1_620_000)
        // Terminate's 2 000 000 uses all of it; the enterprise pays the other 380 000.
        WF.near(v("paid.job_retention_refund", .coal, 2016), 1_620_000)
        WF.near(v("job_retention_refund_balance", .coal, 2016), 0)
        let severance = 10_675.0 * 100 / 609 * 5000
        // Enterprise: terminate's rest, severance, early's allowance and the retirees' insurance.
        WF.near(v("paid.enterprise", .coal, 2016), 380_000 + severance + 91 * 30_000 + 91 * 60_000 * 0.32)
        // Unemployment insurance: benefits for terminate's 100 and dole's 509.
        WF.near(v("paid.unemployment_insurance", .coal, 2016), 609 * 12_000)
        // Local budgets: back wages.
        WF.near(v("paid.local_budget", .coal, 2016), 10_000_000)
        // Iron: refunds 0.5 × 0.03 × 400 × 50 000 = 300 000 against terminate's 800 000.
        let ironSeverance = 681.25 * 50_000 / 12
        WF.near(v("job_retention_refund_accrued", .iron, 2016), 300_000)
        WF.near(v("paid.job_retention_refund", .iron, 2016), 300_000)
        WF.near(v("paid.enterprise", .iron, 2016), 500_000 + ironSeverance)
        WF.near(v("paid.unemployment_insurance", .iron, 2016), 400 * 12_000)
        WF.near(v("paid.local_budget", .iron, 2016), 400 * 50_000.0 / 12)
        WF.near(v("paid.central_award", .iron, 2016), 0)
        WF.near(v("paid.provincial_budget", .iron, 2016), 0)
    }

    @Test func laterYearsDrawOnBalancesAndAccrueOnLastYearsWorkforce() {
        // 2017: no award money; the transfer's 200 × 3000 goes wholly to the fallback payer.
        WF.near(v("central_award_allocated", .coal, 2017), 0)
        WF.near(v("paid.central_award", .coal, 2017), 0)
        WF.near(v("paid.provincial_budget", .coal, 2017), 600_000)
        // Refunds 2017: 0.5 × u(2016) = 0.02 × 800 (m2 and m3 operating at the end of 2016) × 60 000;
        // terminate costs at least 50 × 20 000, so all of it is used.
        WF.near(v("job_retention_refund_accrued", .coal, 2017), 480_000)
        WF.near(v("paid.job_retention_refund", .coal, 2017), 480_000)
        // 2018: 0.5 × 0.02 × 300 (m3) × 60 000.
        WF.near(v("job_retention_refund_accrued", .coal, 2018), 180_000)
        // Iron has no unit left after 2016: nothing accrues.
        WF.near(v("job_retention_refund_accrued", .iron, 2017), 0)
        WF.near(v("job_retention_refund_accrued", .iron, 2018), 0)
        // Every yuan charged is paid by someone: Σ paid = Σ costs, every year and sector.
        for sector in [Sector.coal, .iron] {
            for y in 2016...2018 {
                let costs = (["transfer", "early", "terminate", "dole"].map { "cost.\($0)" } + ["cost.back_wages"])
                    .reduce(0.0) { $0 + v($1, sector, y) }
                let paid = Payer.allCases.reduce(0.0) { $0 + v("paid.\($1.rawValue)", sector, y) }
                WF.near(paid, costs, rel: 1e-12, "\(sector) \(y)")
            }
        }
    }

    // MARK: waiting

    @Test func theUnresettledWaitAndArePlacedInLaterYears() {
        // Men aged 20-40 only, so nobody reaches retirement within the run; no job losses.
        let young = SectorWorkforce(femaleShare: 0, ageShares: [.male: [0.5, 0.5, 0, 0, 0], .female: [1, 0, 0, 0, 0]],
                                    wageYuanPerYear: 60_000)
        let channels = [
            ResettlementChannel(id: "park", kind: .absorbingProject, capacityPerYearPersons: 300),
            ResettlementChannel(id: "welfare", kind: .publicWelfare, share: 0.25),
        ]
        let policy = Policy(
            rules: [WF.close(["m1"], in: 2016), WF.close(["m2"], in: 2017)],
            resettlement: ResettlementPolicy(
                structure: WF.structure, sectors: [.coal: young], channels: channels, transitions: WF.rates(jobLoss: 0),
                unemploymentBenefitYuanPerYear: 0, socialInsurance: WF.insurance, jobRetentionRefundShare: 0))
        let r = WF.run([WF.facility("m1", workers: 1000), WF.facility("m2", workers: 500)], [policy])
        func v(_ n: String, _ y: Int) -> Double { WF.value(r, n, .coal, y) }
        // 2016: pool 1000; park 300 (its yearly capacity), welfare 25 % of 1000 = 250; 450 wait.
        // 2017: pool 450 + 500 = 950; park 300 again, welfare 25 % of 950 = 237.5; 412.5 wait.
        // 2018: pool 412.5; park 300, welfare min(112.5, 25 % of 412.5 = 103.125); 9.375 wait.
        for (y, park, welfare, waiting) in [(2016, 300.0, 250.0, 450.0), (2017, 300, 237.5, 412.5),
                                            (2018, 300, 103.125, 9.375)] {
            WF.near(v("workers_placed.park", y), park, "park \(y)")
            WF.near(v("workers_placed.welfare", y), welfare, "welfare \(y)")
            WF.near(v("workers_waiting", y), waiting, "waiting \(y)")
            WF.near(v("workers_retired", y), 0, "retired \(y)")
        }
        WF.near(v("workers_placed_cumulative.park", 2018), 900)
        WF.near(v("workers_placed_cumulative.welfare", 2018), 590.625)
        // The park's reemployed keep their jobs (job loss 0).
        WF.near(v("workers_reemployed", 2016), 300)
        #expect(r.resettlement!.conservationViolations().isEmpty)
    }

    // MARK: award fallback

    @Test func centralAwardFallsBackToTheFundsPayerOrTheProvince() {
        let channels = [ResettlementChannel(id: "c", kind: .otherEnterprise, oneOffYuanPerPerson: 1000,
                                            payer: .centralAward)]
        func policy(_ fund: AwardFund?) -> Policy {
            Policy(rules: [WF.close(["m1"], in: 2016), WF.close(["m2"], in: 2017)],
                   resettlement: ResettlementPolicy(
                    structure: WF.structure, sectors: [.coal: WF.coalProfile], channels: channels,
                    transitions: WF.rates(jobLoss: 0), unemploymentBenefitYuanPerYear: 0,
                    socialInsurance: WF.insurance, jobRetentionRefundShare: 0, backWagesPayer: .enterprise,
                    awardFund: fund))
        }
        let fs = [WF.facility("m1", workers: 100), WF.facility("m2", workers: 100)]
        // No fund: the province pays.
        let none = WF.run(fs, [policy(nil)])
        WF.near(WF.value(none, "paid.provincial_budget", .coal, 2016), 100_000)
        WF.near(WF.value(none, "paid.central_award", .coal, 2016), 0)
        // A fund whose fallback is local budgets: 30 000 in 2016 (coal's only), 200 000 in 2017.
        let fund = AwardFund(amountYuanByYear: [2016: 30_000, 2017: 200_000], sectors: [.coal], baseShare: 1,
                             fallbackPayer: .localBudget)
        let r = WF.run(fs, [policy(fund)])
        func v(_ n: String, _ y: Int) -> Double { WF.value(r, n, .coal, y) }
        WF.near(v("central_award_allocated", 2016), 30_000)
        WF.near(v("paid.central_award", 2016), 30_000)
        WF.near(v("paid.local_budget", 2016), 70_000)
        WF.near(v("paid.provincial_budget", 2016), 0)
        WF.near(v("central_award_balance", 2016), 0)
        WF.near(v("central_award_allocated", 2017), 200_000)
        WF.near(v("paid.central_award", 2017), 100_000)
        WF.near(v("paid.local_budget", 2017), 0)
        WF.near(v("central_award_balance", 2017), 100_000)
        WF.near(v("central_award_balance", 2018), 100_000)
        // Back wages went to the enterprise as asked: 100 × 2 × 5000 a year.
        WF.near(v("paid.enterprise", 2016), 1_000_000)
    }

    // MARK: random policies

    static func randomProfile(_ st: WorkforceStructure, _ rng: inout WF.RNG) -> SectorWorkforce {
        var shares: [Sex: [Double]] = [:]
        for sex in Sex.allCases {
            let raw = (0..<st.bandCount).map { st.isPastRetirement(sex, $0) ? 0 : rng.uniform(0.01...1) }
            let sum = raw.reduce(0, +)
            shares[sex] = raw.map { $0 / sum }
        }
        return SectorWorkforce(femaleShare: rng.uniform(0...0.5), ageShares: shares,
                               wageYuanPerYear: rng.uniform(30_000...90_000), wageArrearsMonths: rng.uniform(0...6))
    }

    static func randomStepped(_ rng: inout WF.RNG, _ range: ClosedRange<Double>) -> SteppedRate {
        if rng.chance(0.5) { return SteppedRate(rng.uniform(range)) }
        var steps: [Int: Double] = [:]
        for y in 2014...2021 where rng.chance(0.4) { steps[y] = rng.uniform(range) }
        return steps.isEmpty ? SteppedRate(rng.uniform(range)) : SteppedRate(fromYear: steps)
    }

    /// A random resettlement policy over `structure` with `channelCount` channels named c0, c1, ….
    static func randomResettlement(_ st: WorkforceStructure, channelCount: Int, _ rng: inout WF.RNG) -> ResettlementPolicy {
        var profiles: [Sector: SectorWorkforce] = [:]
        for sector in Sector.allCases { profiles[sector] = randomProfile(st, &rng) }
        let channels = (0..<channelCount).map { c in
            ResettlementChannel(
                id: "c\(c)", kind: rng.pick(ChannelKind.allCases),
                sectors: rng.chance(0.6) ? [] : Sector.allCases.filter { _ in rng.chance(0.5) },
                capacityTotalPersons: rng.chance(0.5) ? rng.uniform(0...3000) : nil,
                capacityPerYearPersons: rng.chance(0.5) ? rng.uniform(0...1000) : nil,
                share: rng.chance(0.4) ? rng.uniform(0...1) : nil,
                withinYearsOfRetirement: rng.chance(0.3) ? rng.uniform(0...12) : nil,
                oneOffYuanPerPerson: rng.chance(0.5) ? rng.uniform(0...10_000) : 0,
                annualYuanPerPerson: rng.chance(0.5) ? rng.uniform(0...20_000) : 0,
                annualShareOfWage: rng.chance(0.3) ? rng.uniform(0...0.8) : 0,
                payer: rng.pick(Payer.allCases))
        }
        let insurance = SocialInsuranceRates(
            pension: randomStepped(&rng, 0.1...0.3), medical: randomStepped(&rng, 0.05...0.1),
            unemployment: randomStepped(&rng, 0.01...0.03), maternity: randomStepped(&rng, 0...0.01),
            workInjury: randomStepped(&rng, 0...0.02))
        var fund: AwardFund?
        if rng.chance(0.7) {
            var amounts: [Int: Double] = [:]
            for y in 2016...2021 where rng.chance(0.6) { amounts[y] = rng.uniform(0...5e7) }
            var difficulty: [Sector: Double] = [:]
            for s in Sector.allCases where rng.chance(0.3) { difficulty[s] = rng.uniform(0.5...2) }
            fund = AwardFund(amountYuanByYear: amounts, sectors: Sector.allCases.filter { _ in rng.chance(0.6) },
                             baseShare: rng.uniform(0...1), capacityWeight: rng.uniform(0...1),
                             workersWeight: rng.uniform(0...1), difficulty: difficulty,
                             fallbackPayer: rng.pick([.provincialBudget, .localBudget, .enterprise]))
        }
        return ResettlementPolicy(
            structure: st, sectors: profiles, channels: channels, transitions: WF.randomRates(&rng),
            unemploymentBenefitYuanPerYear: rng.uniform(0...20_000), socialInsurance: insurance,
            jobRetentionRefundShare: rng.uniform(0...1),
            backWagesPayer: rng.pick([.localBudget, .provincialBudget, .enterprise, .centralAward]), awardFund: fund)
    }

    static func randomFacilities(_ rng: inout WF.RNG) -> [Facility] {
        (0..<rng.int(8...20)).map { i in
            WF.facility("f\(i)", rng.pick(FacilityKind.allCases), workers: rng.int(0...3000),
                        capacity: rng.uniform(1...100), size: rng.uniform(1...1000))
        }
    }

    /// Random closures: each unit closes in a random year with probability 0.6, plus random targets.
    static func randomPolicy(_ fs: [Facility], _ resettlement: ResettlementPolicy, endYear: Int,
                             _ rng: inout WF.RNG) -> Policy {
        var rules: [ClosureRule] = []
        for y in 2016...endYear {
            let ids = fs.filter { _ in rng.chance(0.12) }.map(\.id)
            if !ids.isEmpty { rules.append(WF.close(ids, in: y)) }
        }
        var targets: [ClosureTarget] = []
        for (t, sector) in Sector.allCases.enumerated() where rng.chance(0.4) {
            var goals: [Int: Double] = [:]
            for y in 2016...endYear where rng.chance(0.5) { goals[y] = rng.uniform(0...80) }
            targets.append(ClosureTarget(id: "t\(t)", sector: sector, capacityClosedByYear: goals,
                                         priority: [rng.pick(PriorityKey.allCases)]))
        }
        return Policy(rules: rules, targets: targets, resettlement: resettlement)
    }

    @Test(arguments: [41, 42, 43, 44, 45, 46, 47, 48] as [UInt64])
    func randomRunsConservePersonsAndYuan(seed: UInt64) throws {
        var rng = WF.RNG(seed: seed)
        let endYear = 2021
        let st = rng.pick([WF.structure, WF.wide, WF.uneven])
        let fs = Self.randomFacilities(&rng)
        let channelCount = rng.int(1...5)
        let scenarios = rng.int(1...3)
        let policies = (0..<scenarios).map { _ in
            Self.randomPolicy(fs, Self.randomResettlement(st, channelCount: channelCount, &rng), endYear: endYear, &rng)
        }
        let r = WF.run(fs, policies, endYear: endYear)
        let result = try #require(r.resettlement)
        #expect(result.conservationViolations() == [])
        for (s, policy) in policies.enumerated() {
            let rp = policy.resettlement!
            var closedIn: [Int: Int] = [:]
            for c in r.closures where c.scenario == s { closedIn[c.facility] = c.year }
            for sector in result.sectors {
                func v(_ n: String, _ y: Int) -> Double { WF.value(r, n, sector, y, scenario: s) }
                var placedSoFar = [Double](repeating: 0, count: channelCount)
                for y in 2016...endYear {
                    let what = "seed \(seed) scenario \(s) \(sector) \(y)"
                    // Displaced: the headcount of the units closed this year.
                    let displaced = fs.indices.filter { fs[$0].sector == sector && closedIn[$0] == y }
                        .reduce(0.0) { $0 + Double(fs[$1].workers) }
                    WF.near(v("workers_displaced", y), displaced, what + " displaced")
                    // Everyone displaced so far is in exactly one state.
                    let inStates = WorkerState.allCases.reduce(0.0) { $0 + v("workers_\($1.rawValue)", y) }
                    WF.near(inStates, v("workers_displaced_cumulative", y), abs: 1e-6, rel: 1e-9, what + " states")
                    for state in WorkerState.allCases { #expect(v("workers_\(state.rawValue)", y) >= -1e-9, "\(what) \(state)") }
                    // Cumulative placements are running sums.
                    for c in 0..<channelCount {
                        placedSoFar[c] += v("workers_placed.c\(c)", y)
                        WF.near(v("workers_placed_cumulative.c\(c)", y), placedSoFar[c], abs: 1e-9, rel: 1e-12,
                                what + " placed c\(c)")
                    }
                    // Every yuan is paid by someone.
                    let costs = ((0..<channelCount).map { "cost.c\($0)" } + ["cost.back_wages"]).reduce(0.0) { $0 + v($1, y) }
                    let paid = Payer.allCases.reduce(0.0) { $0 + v("paid.\($1.rawValue)", y) }
                    WF.near(paid, costs, abs: 1e-6, rel: 1e-12, what + " paid")
                    // Balances carry over: + allocated / accrued − drawn.
                    WF.near(v("central_award_balance", y),
                            v("central_award_balance", y - 1) + v("central_award_allocated", y) - v("paid.central_award", y),
                            abs: 1e-6, rel: 1e-12, what + " award balance")
                    WF.near(v("job_retention_refund_balance", y),
                            v("job_retention_refund_balance", y - 1) + v("job_retention_refund_accrued", y)
                                - v("paid.job_retention_refund", y),
                            abs: 1e-6, rel: 1e-12, what + " refund balance")
                    #expect(v("central_award_balance", y) >= -1e-6 && v("job_retention_refund_balance", y) >= -1e-6)
                    // Refund accrual = share × u(y−1) × workers operating at the end of y−1 × wage.
                    let operating = fs.indices.filter { fs[$0].sector == sector && (closedIn[$0].map { $0 > y - 1 } ?? true) }
                        .reduce(0.0) { $0 + Double(fs[$1].workers) }
                    let profile = rp.sectors[sector]!
                    WF.near(v("job_retention_refund_accrued", y),
                            rp.jobRetentionRefundShare * rp.socialInsurance.unemployment.rate(in: y - 1) * operating
                                * profile.wageYuanPerYear, abs: 1e-6, rel: 1e-12, what + " accrued")
                    // Back wages at closure.
                    WF.near(v("cost.back_wages", y), displaced * profile.wageArrearsMonths * profile.wageYuanPerYear / 12,
                            abs: 1e-6, rel: 1e-12, what + " back wages")
                }
            }
            // A channel's total capacity is shared by every sector.
            for c in 0..<channelCount {
                guard let total = rp.channels[c].capacityTotalPersons else { continue }
                let used = result.sectors.reduce(0.0) { $0 + WF.value(r, "workers_placed_cumulative.c\(c)", $1, endYear, scenario: s) }
                #expect(used <= total + 1e-6, "seed \(seed) scenario \(s) c\(c): \(used) > \(total)")
            }
        }
    }

    // MARK: batching

    /// Every resettlement value of `scenario` in `batch` equals scenario 0 of `alone`.
    func expectSame(_ batch: BatchResult, scenario s: Int, as alone: BatchResult,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        guard let b = batch.resettlement, let a = alone.resettlement else {
            Issue.record("no resettlement result", sourceLocation: sourceLocation)
            return
        }
        #expect(b.quantities == a.quantities && b.years == a.years && b.sectors == a.sectors, sourceLocation: sourceLocation)
        var mismatches = 0
        for y in a.years.indices {
            for σ in a.sectors.indices {
                for q in a.quantities.indices {
                    let got = b.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: s)
                    let want = a.value(yearIndex: y, sectorIndex: σ, quantityIndex: q, scenario: 0)
                    if !got.isApproximatelyEqual(to: want, absoluteTolerance: 1e-9, relativeTolerance: 1e-12) {
                        mismatches += 1
                        if mismatches <= 5 {
                            Issue.record("scenario \(s) \(a.quantities[q].name) \(a.sectors[σ]) \(a.years[y]): \(got) vs alone \(want)",
                                         sourceLocation: sourceLocation)
                        }
                    }
                }
            }
        }
        #expect(mismatches == 0, "scenario \(s): \(mismatches) values differ from the run alone", sourceLocation: sourceLocation)
    }

    @Test func aBatchOfThreeWithDifferentRatesGivesEachScenarioItsOwnNumbers() {
        let rates = [WF.rates(), WF.rates(trainingYears: 2, success: 0.4, reemployment: 0.5, exit: 0.2, jobLoss: 0.1,
                                          publicWelfareYears: 1),
                     WF.rates(trainingYears: 0.5, success: 0.9, reemployment: 0.1, exit: 0.01, jobLoss: 0, publicWelfareYears: 5)]
        // Training and public-welfare channels too, so every rate matters.
        var policies = rates.map { Self.handPolicy(rates: $0) }
        for s in policies.indices {
            policies[s].resettlement!.channels.insert(
                ResettlementChannel(id: "train", kind: .training, share: 0.1 * Double(s + 1), annualYuanPerPerson: 1000), at: 1)
            policies[s].resettlement!.channels.insert(
                ResettlementChannel(id: "welfare", kind: .publicWelfare, capacityPerYearPersons: 50, payer: .localBudget), at: 2)
        }
        // The third scenario also closes m3 in 2018.
        policies[2].rules.append(WF.close(["m3"], in: 2018))
        let batch = WF.run(Self.facilities, policies)
        #expect(batch.resettlement?.scenarioCount == 3)
        for s in 0..<3 { expectSame(batch, scenario: s, as: WF.run(Self.facilities, [policies[s]])) }
        // The rates do make a difference.
        let unemployed = (0..<3).map { WF.value(batch, "workers_unemployed", .coal, 2018, scenario: $0) }
        #expect(Set(unemployed).count == 3)
        #expect(batch.resettlement!.conservationViolations().isEmpty)
    }

    @Test(arguments: [[0, 0, 1], [0, 1, 0], [1, 1, 1], [1, 0, 0, 1, 1]])
    func scenariosSharingRatesInRunsGiveTheSameNumbersAsAlone(pattern: [Int]) {
        let rates = [WF.rates(), WF.rates(trainingYears: 3, success: 0.2, reemployment: 0.6, exit: 0.3, jobLoss: 0.2,
                                          publicWelfareYears: 2)]
        var policies = pattern.map { Self.handPolicy(rates: rates[$0]) }
        // Scenarios differ in more than the rates: the terminate share.
        for s in policies.indices { policies[s].resettlement!.channels[2].share = 0.05 * Double(s + 1) }
        let batch = WF.run(Self.facilities, policies)
        for s in policies.indices { expectSame(batch, scenario: s, as: WF.run(Self.facilities, [policies[s]])) }
    }
}
