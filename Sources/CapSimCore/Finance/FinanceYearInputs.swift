/// A unit's change of status in one year, as the capacity step produced it (docs/MODEL.md §8.0).
///
/// The engine hands the finance step its closures and openings as lists of these, in scenario
/// order and, within a scenario, in the order the capacity step closed or opened the units.
struct UnitEvent: Equatable, Sendable {
    /// Facility index in the table.
    var facility: Int32
    /// Scenario index in the batch.
    var scenario: Int32
}

/// A unit of an enterprise that went bankrupt this year (docs/MODEL.md §8.4).
///
/// `FinanceModel.exits` lists them in scenario order and, within a scenario, by enterprise (table
/// order) and then by facility (table order). The engine closes the operating ones first next year
/// (§2.0a) and cancels the planned ones now.
struct EnterpriseExit: Equatable, Sendable {
    /// Facility index in the table.
    var facility: Int32
    /// Scenario index in the batch.
    var scenario: Int32
    /// The bankrupt enterprise (index in the enterprise table) that owned the unit at that moment.
    var enterprise: Int32
}
