extension ClosureCause {
    /// A planner-readable reason with the numbers that made the rule fire.
    public func reason(facility: Facility) -> String {
        let unit = facility.kind.sizeUnit
        switch self {
        case let .reserveExhausted(remaining):
            return "reserve exhausted: \(decimalText(remaining)) years left"
        case let .rule(_, criterion, measured, threshold):
            switch criterion {
            case .sizeBelow: return "size \(decimalText(measured)) \(unit) < \(decimalText(threshold)) \(unit)"
            case .sizeAtOrBelow: return "size \(decimalText(measured)) \(unit) <= \(decimalText(threshold)) \(unit)"
            case .reserveBelow:
                return "remaining reserve \(decimalText(measured)) years < \(decimalText(threshold)) years"
            case .costAbovePrice:
                return "unit cost \(decimalText(measured)) yuan/t > price limit \(decimalText(threshold)) yuan/t"
            case .logisticsAbove:
                return "logistics distance \(decimalText(measured)) km > \(decimalText(threshold)) km"
            case .safetyFlag: return "safety flag set (hydrogeology, banned method or failed check)"
            case .named: return "named closure"
            }
        case let .enterpriseExit(enterprise):
            return "enterprise \(enterprise) went bankrupt as a zombie last year"
        case let .target(_, goal, before, priority):
            return "target \(decimalText(goal)) 10kt/yr, \(decimalText(before)) closed before; priority "
                + priority.map(\.rawValue).joined(separator: ">")
        }
    }
}

