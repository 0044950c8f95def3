import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Loading the `workforce:` and `resettlement:` sections: resolved core values with their defaults,
/// and each kind of bad input located by file, line and field.
@Suite struct ResettlementLoadingTests {
    /// The iron profile, kept apart so a test can leave it out (the standard table has a blast furnace).
    static let ironProfile = """
            iron:
              femaleShare: 0.2
              ageShares:
                male: [0.1, 0.2, 0.3, 0.2, 0.1, 0.1]
                female: [0.25, 0.25, 0.25, 0.25, 0, 0]
              wageYuanPerYear: 60000

        """

    static let workforceYAML = """
        workforce:
          ageBands: [16, 25, 35, 45, 50, 55, 60]
          retirementAge: {male: 60, female: 50}
          sectors:
            coal:
              femaleShare: 0.10
              ageShares:
                male:   [0.06, 0.20, 0.30, 0.16, 0.16, 0.12]
                female: [0.15, 0.35, 0.35, 0.15, 0, 0]
              wageYuanPerYear: 52000
              wageArrearsMonths: 2

        """ + ironProfile

    static let resettlementYAML = """
        resettlement:
          channels:
            - id: coal-other
              kind: other_enterprise
              sectors: [coal]
              capacityTotal: 6200
              capacityPerYear: 3000
              share: 0.5
              oneOffYuanPerPerson: 3000
              payer: central_award
            - id: retire-early
              kind: internal_retirement
              annualShareOfWage: 0.7
            - id: dole
              kind: registered_unemployment
          transitions:
            trainingYears: 1
            trainingSuccessShare: 0.6
            reemploymentRate: 0.3
            labourForceExitRate: 0.05
            jobLossRate: 0.02
            publicWelfareYears: 3
          unemploymentBenefitYuanPerYear: 12000
          socialInsurance:
            pension: 0.28
            medical: 0.08
            unemployment: {2015: 0.03, 2016: 0.02}
            maternity: {2015: 0.007, 2016: 0.005}
            workInjury: 0.01
          jobRetentionRefundShare: 0.5
          awardFund:
            amountYuanByYear: {2016: 2.0e9, 2017: 1.5e9}
            sectors: [coal, iron]
            difficulty: {coal: 1.2}

        """

    static let validYAML = scenarioText(workforceYAML + resettlementYAML)

    /// `text` with `old` replaced by `new`; records a test issue when `old` is not in `text`.
    func edit(_ text: String, _ old: String, _ new: String,
              sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(text.contains(old), "'\(old)' is not in the scenario text", sourceLocation: sourceLocation)
        return text.replacingOccurrences(of: old, with: new)
    }

    // MARK: valid input

    @Test func validSectionsResolveIntoCoreValues() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let s = try Scenario.load(path: folder.write("scenario.yaml", Self.validYAML))
        let r = try #require(s.policy.resettlement)

        #expect(r.structure == WorkforceStructure(ageBandEdges: [16, 25, 35, 45, 50, 55, 60],
                                                  retirementAge: [.male: 60, .female: 50], careerStartAge: 20))
        #expect(r.sectors == [
            .coal: SectorWorkforce(femaleShare: 0.1,
                                   ageShares: [.male: [0.06, 0.2, 0.3, 0.16, 0.16, 0.12],
                                               .female: [0.15, 0.35, 0.35, 0.15, 0, 0]],
                                   wageYuanPerYear: 52000, wageArrearsMonths: 2),
            .iron: SectorWorkforce(femaleShare: 0.2,
                                   ageShares: [.male: [0.1, 0.2, 0.3, 0.2, 0.1, 0.1],
                                               .female: [0.25, 0.25, 0.25, 0.25, 0, 0]],
                                   wageYuanPerYear: 60000, wageArrearsMonths: 0),
        ])
        #expect(r.channels == [
            ResettlementChannel(id: "coal-other", kind: .otherEnterprise, sectors: [.coal], capacityTotalPersons: 6200,
                                capacityPerYearPersons: 3000, share: 0.5, withinYearsOfRetirement: nil,
                                oneOffYuanPerPerson: 3000, annualYuanPerPerson: 0, annualShareOfWage: 0,
                                payer: .centralAward),
            ResettlementChannel(id: "retire-early", kind: .internalRetirement, sectors: [],
                                withinYearsOfRetirement: 5, annualShareOfWage: 0.7, payer: .enterprise),
            ResettlementChannel(id: "dole", kind: .registeredUnemployment),
        ])
        #expect(r.transitions == TransitionRates(trainingYears: 1, trainingSuccessShare: 0.6, reemploymentRate: 0.3,
                                                 labourForceExitRate: 0.05, jobLossRate: 0.02, publicWelfareYears: 3))
        #expect(r.unemploymentBenefitYuanPerYear == 12000)
        #expect(r.socialInsurance == SocialInsuranceRates(
            pension: SteppedRate(0.28), medical: SteppedRate(0.08),
            unemployment: SteppedRate(fromYear: [2015: 0.03, 2016: 0.02]),
            maternity: SteppedRate(fromYear: [2015: 0.007, 2016: 0.005]), workInjury: SteppedRate(0.01)))
        #expect(r.socialInsurance.unemployment.rate(in: 2018) == 0.02)
        #expect(r.jobRetentionRefundShare == 0.5)
        #expect(r.backWagesPayer == .localBudget)
        #expect(r.awardFund == AwardFund(amountYuanByYear: [2016: 2e9, 2017: 1.5e9], sectors: [.coal, .iron],
                                         baseShare: 0.8, capacityWeight: 0.5, workersWeight: 0.5,
                                         difficulty: [.coal: 1.2, .iron: 1], fallbackPayer: .provincialBudget))

        for path in ["workforce.careerStartAge", "workforce.sectors.iron.wageArrearsMonths",
                     "resettlement.channels[0].annualYuanPerPerson", "resettlement.channels[0].annualShareOfWage",
                     "resettlement.channels[1].sectors", "resettlement.channels[1].withinYearsOfRetirement",
                     "resettlement.channels[1].oneOffYuanPerPerson", "resettlement.channels[1].payer",
                     "resettlement.channels[2].sectors", "resettlement.channels[2].payer",
                     "resettlement.backWagesPayer", "resettlement.awardFund.baseShare",
                     "resettlement.awardFund.capacityWeight", "resettlement.awardFund.workersWeight",
                     "resettlement.awardFund.difficulty.iron", "resettlement.awardFund.fallbackPayer"] {
            #expect(s.defaulted.contains(path), "\(path) should be recorded as defaulted")
        }
        for path in ["workforce.sectors.coal.wageArrearsMonths", "resettlement.channels[0].sectors",
                     "resettlement.channels[0].payer", "resettlement.channels[0].oneOffYuanPerPerson",
                     "resettlement.channels[0].withinYearsOfRetirement",
                     "resettlement.channels[2].withinYearsOfRetirement",
                     "resettlement.channels[1].annualShareOfWage", "resettlement.awardFund.difficulty.coal"] {
            #expect(!s.defaulted.contains(path), "\(path) was given, not defaulted")
        }
    }

    @Test func descriptionListsWorkforceAndChannelsWithDefaults() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let text = try Scenario.load(path: folder.write("scenario.yaml", Self.validYAML)).resolvedDescription
        for line in [
            "  ageBands: 16, 25, 35, 45, 50, 55, 60 years (6 bands: 16-25, 25-35, 35-45, 45-50, 50-55, 55-60)",
            "  retirementAge: male 60, female 50",
            "  careerStartAge: 20 (default)",
            "      ageShares female: 16-25 0.15, 25-35 0.35, 35-45 0.35, 45-50 0.15, 50-55 0, 55-60 0",
            "      wageArrearsMonths: 0 (default)",
            "    - coal-other: other_enterprise (workers enter reemployed)",
            "        capacityTotal: 6200 persons",
            "    - retire-early: internal_retirement (workers enter internally_retired)",
            "        sectors: all (default)",
            "        withinYearsOfRetirement: 5 years (default)",
            "        payer: enterprise (default)",
            "    unemployment: 0.03 from 2015, 0.02 from 2016",
            "    pension: 0.28 every year",
            "  backWagesPayer: local_budget (default)",
            "    amountYuanByYear: 2016: 2000000000, 2017: 1500000000",
            "    difficulty: coal 1.2, iron 1 (default)",
        ] {
            #expect(text.contains(line + "\n"), "missing line '\(line)' in:\n\(text)")
        }
        let channels = ["coal-other", "retire-early", "dole"].compactMap { text.range(of: "    - \($0):")?.lowerBound }
        #expect(channels.count == 3 && channels == channels.sorted(), "channels listed in file order")
    }

    @Test func scenarioWithoutSectionsHasNoResettlement() throws {
        let folder = TempFolder()
        folder.write("mines.csv", standardMines)
        let s = try Scenario.load(path: folder.write("scenario.yaml", scenarioText()))
        #expect(s.policy.resettlement == nil)
        #expect(s.resolvedDescription.contains("workforce and resettlement: not modelled"))
    }

    // MARK: located errors

    /// Loads `yaml` over the standard table and expects exactly one issue in the YAML file at the
    /// line containing `marker`.
    func expectOnly(_ yaml: String, at marker: String, field: String, message: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = TempFolder()
        let loaded = load(yaml: yaml, folder: folder, sourceLocation: sourceLocation)
        expectSingle(loaded.issues, file: loaded.yaml, line: lineOf(marker, in: yaml, sourceLocation: sourceLocation),
                     field: field, message: message, sourceLocation: sourceLocation)
    }

    @Test func ageSharesSummingAboveOne() {
        let yaml = edit(Self.validYAML, "male:   [0.06, 0.20, 0.30, 0.16, 0.16, 0.12]",
                        "male:   [0.06, 0.20, 0.30, 0.16, 0.16, 0.22]")
        expectOnly(yaml, at: "male:   [0.06", field: "workforce.sectors.coal.ageShares.male",
                   message: "must sum to 1, got 1.1")
    }

    @Test func ageShareAfterRetirementMustBeZero() {
        let yaml = edit(Self.validYAML, "female: [0.15, 0.35, 0.35, 0.15, 0, 0]", "female: [0.15, 0.35, 0.35, 0.05, 0.1, 0]")
        expectOnly(yaml, at: "female: [0.15", field: "workforce.sectors.coal.ageShares.female[4]",
                   message: "band 50-55 is at or past the female retirement age (50)")
    }

    @Test func ageSharesOfWrongLength() {
        let yaml = edit(Self.validYAML, "female: [0.15, 0.35, 0.35, 0.15, 0, 0]", "female: [0.15, 0.35, 0.35, 0.15, 0]")
        expectOnly(yaml, at: "female: [0.15", field: "workforce.sectors.coal.ageShares.female",
                   message: "give one share per age band: 6 bands")
    }

    @Test func channelShareAboveOne() {
        let yaml = edit(Self.validYAML, "share: 0.5", "share: 1.5")
        expectOnly(yaml, at: "share: 1.5", field: "resettlement.channels[0].share",
                   message: "must be a share in [0, 1], got 1.5")
    }

    @Test func negativeChannelCapacity() {
        let yaml = edit(Self.validYAML, "capacityPerYear: 3000", "capacityPerYear: -5")
        expectOnly(yaml, at: "capacityPerYear: -5", field: "resettlement.channels[0].capacityPerYear",
                   message: "must be a number of persons ≥ 0, got -5")
    }

    @Test func ageBandOutOfOrder() {
        let yaml = edit(Self.validYAML, "ageBands: [16, 25, 35, 45,", "ageBands: [16, 25, 45, 35,")
        expectOnly(yaml, at: "ageBands:", field: "workforce.ageBands[3]",
                   message: "age band out of order: 35 is not above the edge before it (45)")
    }

    @Test func tooFewAgeBandEdges() {
        let yaml = edit(Self.validYAML, "ageBands: [16, 25, 35, 45, 50, 55, 60]", "ageBands: [16]")
        expectOnly(yaml, at: "ageBands:", field: "workforce.ageBands", message: "list at least 2 band edges")
    }

    @Test func retirementAgeThatIsNotAnEdge() {
        let yaml = edit(Self.validYAML, "retirementAge: {male: 60, female: 50}", "retirementAge: {male: 60, female: 52}")
        expectOnly(yaml, at: "retirementAge:", field: "workforce.retirementAge.female",
                   message: "must be one of the age band edges above the first (25, 35, 45, 50, 55, 60)")
    }

    @Test func missingSectorProfile() {
        let yaml = edit(Self.validYAML, Self.ironProfile, "")
        expectOnly(yaml, at: "  sectors:", field: "workforce.sectors",
                   message: "no profile for sector iron, which has facilities")
    }

    @Test func workforceWithoutResettlement() {
        let yaml = scenarioText(Self.workforceYAML)
        expectOnly(yaml, at: "workforce:", field: "resettlement", message: "required when workforce is given")
    }

    @Test func resettlementWithoutWorkforce() {
        let yaml = scenarioText(Self.resettlementYAML)
        expectOnly(yaml, at: "resettlement:", field: "workforce", message: "required when resettlement is given")
    }

    @Test func unknownChannelKind() {
        let yaml = edit(Self.validYAML, "kind: registered_unemployment", "kind: unemployment_benefit")
        expectOnly(yaml, at: "kind: unemployment_benefit", field: "resettlement.channels[2].kind",
                   message: "unknown value 'unemployment_benefit'; expected one of: internal_transfer")
    }

    @Test func duplicateChannelIDs() {
        let yaml = edit(Self.validYAML, "- id: dole", "- id: coal-other")
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let uses = lines.indices.filter { lines[$0].contains("- id: coal-other") }.map { $0 + 1 }
        #expect(uses.count == 2)
        let folder = TempFolder()
        let loaded = load(yaml: yaml, folder: folder)
        // The second use is the error, and it points back at the first.
        expectSingle(loaded.issues, file: loaded.yaml, line: uses.last, field: "resettlement.channels[2].id",
                     message: "id 'coal-other' is already used by channels[0] (line \(uses[0]))")
    }

    @Test func unknownKeyInChannel() {
        let yaml = edit(Self.validYAML, "kind: registered_unemployment",
                        "kind: registered_unemployment\n      capacity: 100")
        expectOnly(yaml, at: "capacity: 100", field: "resettlement.channels[2].capacity",
                   message: "unknown key; expected one of: id, kind, sectors")
    }

    @Test func missingTransitionAndUnknownSocialInsuranceYear() {
        let yaml = edit(edit(Self.validYAML, "    jobLossRate: 0.02\n", ""),
                        "unemployment: {2015: 0.03, 2016: 0.02}", "unemployment: {2015: 0.03, 2026: 0.02}")
        let folder = TempFolder()
        let loaded = load(yaml: yaml, folder: folder)
        #expect(loaded.issues.count == 2, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("trainingYears:", in: yaml),
                    field: "resettlement.transitions.jobLossRate", message: "required key is missing")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("unemployment: {", in: yaml),
                    field: "resettlement.socialInsurance.unemployment.2026", message: "keys must be years in 2015...2020")
    }

    @Test func awardFundYearsAndDifficulty() {
        let yaml = edit(edit(Self.validYAML, "{2016: 2.0e9, 2017: 1.5e9}", "{2015: 2.0e9, 2017: 1.5e9}"),
                        "difficulty: {coal: 1.2}", "difficulty: {coal: 0, steel: 2}")
        let folder = TempFolder()
        let loaded = load(yaml: yaml, folder: folder)
        #expect(loaded.issues.count == 3, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("amountYuanByYear:", in: yaml),
                    field: "resettlement.awardFund.amountYuanByYear.2015", message: "keys must be years in 2016...2020")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("difficulty:", in: yaml),
                    field: "resettlement.awardFund.difficulty.coal", message: "must be a coefficient > 0, got 0")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("difficulty:", in: yaml),
                    field: "resettlement.awardFund.difficulty.steel",
                    message: "sector steel is not among the fund's sectors (coal, iron)")
    }

    @Test func everyProblemInBothSectionsIsReported() {
        var yaml = edit(Self.validYAML, "femaleShare: 0.10", "femaleShare: 1.10")
        yaml = edit(yaml, "wageYuanPerYear: 60000", "wageYuanPerYear: 0")
        yaml = edit(yaml, "payer: central_award", "payer: the_state")
        yaml = edit(yaml, "publicWelfareYears: 3", "publicWelfareYears: 0")
        let folder = TempFolder()
        let loaded = load(yaml: yaml, folder: folder)
        #expect(loaded.issues.count == 4, "issues: \(loaded.issues)")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("femaleShare: 1.10", in: yaml),
                    field: "workforce.sectors.coal.femaleShare", message: "must be a share in [0, 1], got 1.10")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("wageYuanPerYear: 0", in: yaml),
                    field: "workforce.sectors.iron.wageYuanPerYear", message: "must be a wage > 0")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("payer: the_state", in: yaml),
                    field: "resettlement.channels[0].payer", message: "unknown value 'the_state'")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("publicWelfareYears: 0", in: yaml),
                    field: "resettlement.transitions.publicWelfareYears", message: "must be a mean length > 0")
    }
}
