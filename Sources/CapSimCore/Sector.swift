/// An industry whose capacity the programme cuts.
///
/// Ironmaking (blast furnaces) and steelmaking (converters, electric furnaces) are separate
/// sectors because the plans set separate targets for them.
public enum Sector: String, CaseIterable, Sendable, Comparable {
    case coal, iron, steel, clinker, grinding

    /// Position in `allCases`, used as an array index.
    public var index: Int {
        switch self {
        case .coal: return 0
        case .iron: return 1
        case .steel: return 2
        case .clinker: return 3
        case .grinding: return 4
        }
    }

    public static func < (a: Sector, b: Sector) -> Bool { a.index < b.index }
}

/// The kind of a production unit; it fixes the sector and the unit of the size figure.
public enum FacilityKind: String, CaseIterable, Sendable {
    case coalMine = "coal_mine"
    case blastFurnace = "blast_furnace"
    case converter
    case electricFurnace = "electric_furnace"
    case clinkerLine = "clinker_line"
    case grindingStation = "grinding_station"

    /// The sector whose capacity this kind of unit carries.
    public var sector: Sector {
        switch self {
        case .coalMine: return .coal
        case .blastFurnace: return .iron
        case .converter, .electricFurnace: return .steel
        case .clinkerLine: return .clinker
        case .grindingStation: return .grinding
        }
    }

    /// The unit of the size figure that size rules compare, as the policy states it.
    public var sizeUnit: String {
        switch self {
        case .coalMine, .grindingStation: return "10kt/yr"
        case .blastFurnace: return "m3"
        case .converter, .electricFurnace: return "t"
        case .clinkerLine: return "t/day"
        }
    }
}

/// Ownership of an enterprise, as the plans split their targets.
public enum OwnerType: String, CaseIterable, Sendable, Comparable {
    case state, `private`

    public var index: Int { self == .state ? 0 : 1 }

    public static func < (a: OwnerType, b: OwnerType) -> Bool { a.index < b.index }
}
