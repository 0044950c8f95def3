import CapSimCore
import CapSimScenario
import Testing

/// Loading `entities:` and the instrument keys that name them (`into`, `recoveryShare`): resolved
/// values with their defaults, and bad values located by line and field.
extension FinanceLoadingTests {
    static let entitiesYAML = """
        entities:
          - id: amc
            kind: asset_management
            sector: coal
            assetIncomeRate: 0.05
            interestRate: {bonds: 0.058}
          - id: platform
            kind: disposal_platform
            sector: coal
            owner: private
            fixedCost: 1000000

        """

    /// The valid scenario with two entities, the first stripping sent to `amc` and a sale by the platform.
    var entityYAML: String {
        var yaml = edit(Self.validYAML, "enterpriseTables:\n  - enterprises.csv\n",
                        "enterpriseTables:\n  - enterprises.csv\n" + Self.entitiesYAML)
        yaml = edit(yaml, "      from: 2017\n      share: 0.4\n", "      from: 2017\n      share: 0.4\n      into: amc\n")
        yaml = edit(yaml, "  zombies:\n", """
                - id: sale
                  kind: asset_sale
                  enterprises: [platform]
                  share: 0.3
                  recoveryShare: 0.25
              zombies:

            """)
        return yaml
    }

    @Test func entitiesFollowTheEnterprisesWithEmptyBooks() throws {
        let s = try loadValid(entityYAML)
        #expect(s.enterprises.map(\.id) == ["jm", "pm", "tg", "amc", "platform"])
        let amc = try #require(s.enterprises.first { $0.id == "amc" })
        #expect(amc.holding == Holding(kind: .assetManagement, sector: .coal, assetIncomeRate: 0.05))
        #expect(amc.owner == .state && amc.assetsYuan == 0 && amc.totalDebtYuan == 0)
        #expect(amc.interestRate[CreditorClass.bonds.index] == 0.058)
        let platform = try #require(s.enterprises.first { $0.id == "platform" })
        #expect(platform.owner == .private && platform.fixedCostYuanPerYear == 1_000_000)
        #expect(platform.holding?.assetIncomeRate == 0)
        #expect(s.defaulted.contains("entities[0].owner") && s.defaulted.contains("entities[1].assetIncomeRate"))
        let f = try #require(s.policy.finance)
        #expect(f.instruments[2].recipient == "amc")
        let sale = try #require(f.instruments.last)
        #expect(sale.kind == .assetSale && sale.recoveryShare == 0.25 && sale.creditors == [.bankLoans])
        #expect(f.instruments.filter { $0.kind != .assetStripping }.allSatisfy { $0.recipient == nil })
    }

    @Test func recoveryShareAboveOneIsLocated() {
        let yaml = edit(entityYAML, "recoveryShare: 0.25", "recoveryShare: 1.25")
        expectOnly(yaml, at: "recoveryShare: 1.25", field: "finance.instruments[\(5)].recoveryShare",
                   message: "must be proceeds per yuan of book value in [0, 1], got 1.25")
    }

    @Test func intoAnUnknownEntityIsLocated() {
        let yaml = edit(entityYAML, "into: amc", "into: amx")
        expectOnly(yaml, at: "into: amx", field: "finance.instruments[2].into",
                   message: "no entity has id 'amx'; 'into' names one of the entities: section (amc, platform); did you mean 'amc'?")
    }

    @Test func intoAnEnterpriseThatIsNoEntityIsLocated() {
        let yaml = edit(entityYAML, "into: amc", "into: tg")
        expectOnly(yaml, at: "into: tg", field: "finance.instruments[2].into", message: "no entity has id 'tg'")
    }

    @Test func intoOnlyForStrippingAndSwaps() {
        let yaml = edit(entityYAML, "      recoveryShare: 0.25\n", "      recoveryShare: 0.25\n      into: amc\n")
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        expectSingle(loaded.issues, file: loaded.yaml, line: linesOf("into: amc", in: yaml).last,
                     field: "finance.instruments[5].into",
                     message: "only asset_stripping and debt_equity_swap take 'into', not asset_sale")
    }

    @Test func recoveryShareOnlyForAssetSales() {
        let yaml = edit(entityYAML, "kind: debt_equity_swap\n      share: 0.3\n",
                        "kind: debt_equity_swap\n      share: 0.3\n      recoveryShare: 0.5\n")
        expectOnly(yaml, at: "recoveryShare: 0.5", field: "finance.instruments[4].recoveryShare",
                   message: "only asset_sale takes recoveryShare, not debt_equity_swap")
    }

    @Test func entityIDTakenByAnEnterprise() {
        let yaml = edit(entityYAML, "  - id: platform", "  - id: tg")
            .replacingOccurrences(of: "enterprises: [platform]", with: "enterprises: [amc]")
        expectOnly(yaml, at: "  - id: tg", field: "entities[1].id",
                   message: "id 'tg' is an enterprise of the enterprise tables; an entity needs an id of its own")
    }

    @Test func unknownEntityKindAndNegativeIncome() {
        let yaml = edit(entityYAML, "kind: disposal_platform", "kind: bad_bank")
        expectOnly(yaml, at: "kind: bad_bank", field: "entities[1].kind",
                   message: "unknown value 'bad_bank'; expected one of: asset_management, disposal_platform, equity_holding")
        let income = edit(entityYAML, "assetIncomeRate: 0.05", "assetIncomeRate: -0.05")
        expectOnly(income, at: "assetIncomeRate: -0.05", field: "entities[0].assetIncomeRate",
                   message: "must be a yearly income per yuan of assets in [0, 1], got -0.05")
    }

    @Test func entitiesWithoutFinance() {
        let yaml = scenarioText(Self.entitiesYAML)
        let folder = TempFolder()
        let loaded = loadFinance(yaml: yaml, folder: folder)
        expectSingle(loaded.issues, file: loaded.yaml, line: lineOf("entities:", in: yaml), field: "entities",
                     message: "entities keep books only with a finance section")
    }
}
