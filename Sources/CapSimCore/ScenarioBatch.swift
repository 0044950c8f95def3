/// Scenarios that share one facility table and one horizon, run together.
///
/// A single scenario is a batch of one.
public struct ScenarioBatch: Sendable {
    /// The facilities, in table order (the order breaks priority ties).
    public var facilities: [Facility]
    /// The year before the programme; its row shows the starting state.
    public var baseYear: Int
    /// The last simulated year.
    public var endYear: Int
    /// Scenario names, one per policy.
    public var scenarioNames: [String]
    /// One policy per scenario.
    public var policies: [Policy]
    /// Enterprises with their base-year balance sheets; needed when the policies model debt.
    public var enterprises: [Enterprise]

    /// Creates a batch; names and policies pair up by index.
    public init(facilities: [Facility], baseYear: Int, endYear: Int, scenarioNames: [String],
                policies: [Policy], enterprises: [Enterprise] = []) {
        precondition(endYear > baseYear, "endYear must be after baseYear")
        precondition(scenarioNames.count == policies.count, "one name per policy")
        self.facilities = facilities
        self.baseYear = baseYear
        self.endYear = endYear
        self.scenarioNames = scenarioNames
        self.policies = policies
        self.enterprises = enterprises
    }

    /// Years reported, base year first.
    public var years: [Int] { Array(baseYear...endYear) }
}
