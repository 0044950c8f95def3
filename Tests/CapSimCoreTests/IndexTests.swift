@testable import CapSimCore
import Testing

/// The hand-written `index` properties must agree with `allCases` order, which outputs follow.
@Suite struct IndexTests {
    @Test func indicesFollowAllCasesOrder() {
        #expect(Sector.allCases.map(\.index) == Array(Sector.allCases.indices))
        #expect(Metric.allCases.map(\.index) == Array(Metric.allCases.indices))
        #expect(WorkerState.allCases.map(\.index) == Array(WorkerState.allCases.indices))
        #expect(Payer.allCases.map(\.index) == Array(Payer.allCases.indices))
        #expect(CreditorClass.allCases.map(\.index) == Array(CreditorClass.allCases.indices))
        #expect(FinanceMetric.allCases.map(\.index) == Array(FinanceMetric.allCases.indices))
        #expect(OwnerType.allCases.map(\.index) == Array(OwnerType.allCases.indices))
        #expect(Sex.allCases.map(\.index) == Array(Sex.allCases.indices))
    }
}
