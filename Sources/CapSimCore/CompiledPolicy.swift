/// A policy's facility references resolved to table indices, once per batch.
struct CompiledPolicy {
    /// Per rule, the facility indices of a `named` rule (empty otherwise).
    let namedIndices: [[Int]]

    init(_ policy: Policy, columns: FacilityColumns) {
        namedIndices = policy.rules.map { rule in
            rule.criterion == .named ? rule.namedFacilities.compactMap { columns.indexByID[$0] } : []
        }
    }
}
