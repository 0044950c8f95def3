import CapSimCore
import Testing

/// Aggregation groups: which groups a table forms, in which order, and who belongs to them.
@Suite struct MetricTests {
    @Test func groupsAreTotalPerRegionPerOwnerAndPerRegionAndOwnerInDocumentedOrder() {
        let fs = [unit("a", owner: .private, region: "south"), unit("b", owner: .state, region: "north"),
                  unit("c", .blastFurnace, owner: .state, region: "north"), unit("d", owner: .private, region: "south"),
                  unit("e", .clinkerLine, owner: .private, region: "east")]
        let groups = AggregationGroup.groups(of: fs)
        #expect(groups == [
            AggregationGroup(sector: .coal),
            AggregationGroup(sector: .coal, owner: .state),
            AggregationGroup(sector: .coal, owner: .private),
            AggregationGroup(sector: .coal, region: "north"),
            AggregationGroup(sector: .coal, region: "north", owner: .state),
            AggregationGroup(sector: .coal, region: "south"),
            AggregationGroup(sector: .coal, region: "south", owner: .private),
            AggregationGroup(sector: .iron),
            AggregationGroup(sector: .iron, owner: .state),
            AggregationGroup(sector: .iron, region: "north"),
            AggregationGroup(sector: .iron, region: "north", owner: .state),
            AggregationGroup(sector: .clinker),
            AggregationGroup(sector: .clinker, owner: .private),
            AggregationGroup(sector: .clinker, region: "east"),
            AggregationGroup(sector: .clinker, region: "east", owner: .private),
        ])
    }

    @Test func groupsOfRandomTablesAreExactlyTheNonEmptyCombinations() {
        var rng = SplitMix64(seed: 11)
        let fs = randomFacilities(count: 60, &rng)
        let groups = AggregationGroup.groups(of: fs)
        #expect(Set(groups).count == groups.count)
        for g in groups { #expect(fs.contains(where: g.contains), "empty group \(g)") }
        var expected = Set<AggregationGroup>()
        for s in Sector.allCases {
            for r in [nil, "north", "south"] as [String?] {
                for o in [nil, OwnerType.state, .private] {
                    let g = AggregationGroup(sector: s, region: r, owner: o)
                    if fs.contains(where: g.contains) { expected.insert(g) }
                }
            }
        }
        #expect(Set(groups) == expected)
        // Sorted by sector first.
        #expect(groups.map(\.sector) == groups.map(\.sector).sorted())
    }

    @Test func containsChecksSectorRegionAndOwner() {
        let cv = unit("cv", .converter, owner: .private, region: "north")
        #expect(AggregationGroup(sector: .steel).contains(cv))
        #expect(AggregationGroup(sector: .steel, region: "north", owner: .private).contains(cv))
        #expect(!AggregationGroup(sector: .iron).contains(cv))
        #expect(!AggregationGroup(sector: .steel, region: "south").contains(cv))
        #expect(!AggregationGroup(sector: .steel, owner: .state).contains(cv))
        #expect(AggregationGroup(sector: .steel).contains(unit("ef", .electricFurnace)))
    }

    @Test func kindsMapToTheirSectors() {
        #expect(FacilityKind.allCases.map(\.sector) == [.coal, .iron, .steel, .steel, .clinker, .grinding])
        #expect(FacilityKind.allCases.map(\.sizeUnit) == ["10kt/yr", "m3", "t", "t", "t/day", "10kt/yr"])
    }
}
