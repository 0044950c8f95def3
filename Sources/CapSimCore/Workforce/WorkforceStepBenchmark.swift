/// Runs the workforce step alone, year after year, on inputs taken from a capacity run: what
/// Benchmarks/WorkforceStep measures with callgrind (docs/PERFORMANCE.md, "Workforce step"). Not
/// part of the model; exposed to the benchmarks package only, as SPI.
@_spi(Benchmarks) public struct WorkforceStepBenchmark {
    /// Which implementation to step.
    public enum Model: Sendable {
        /// `ReferenceResettlementModel` (the per-scenario model of main at e511dc6), the loop kernel.
        case reference
        /// The data-parallel `ResettlementModel` with the given transition kernel.
        case batched(Engine.Kernel)
    }

    let years: [Int]
    let inputs: [WorkforceYearInputs]
    let nested: [(displaced: [[Double]], cut: [[Double]], targets: [[Double?]], operating: [[Double]])]
    var reference: ReferenceResettlementModel?
    var batched: ResettlementModel?

    /// Prepares every year's inputs for `batch` (which must model workers) from `capacityRun`, a run
    /// of the capacity model whose scenario `s % capacityRun.scenarioNames.count` stands for the
    /// batch's scenario `s` (so a periodic sweep design needs only its distinct scenarios run).
    public init(batch: ScenarioBatch, capacityRun: BatchResult, model: Model) {
        let S = batch.policies.count, Σ = Sector.allCases.count
        let unique = capacityRun.scenarioNames.count
        let facilities = batch.facilities, years = batch.years
        self.years = years
        // Per unique scenario and facility: the year it opened (or was operating from the start) and closed.
        var opened = [[Int]](repeating: facilities.map { $0.startYear <= batch.baseYear ? Int.min : Int.max }, count: unique)
        var closed = [[Int]](repeating: [Int](repeating: Int.max, count: facilities.count), count: unique)
        var closedByYear = [[ClosureEvent]](repeating: [], count: years.count * unique)
        for e in capacityRun.openings { opened[e.scenario][e.facility] = e.year }
        for e in capacityRun.closures {
            closed[e.scenario][e.facility] = e.year
            closedByYear[(e.year - batch.baseYear) * unique + e.scenario].append(e)
        }
        var inputs: [WorkforceYearInputs] = []
        for (y, year) in years.enumerated() {
            var x = WorkforceYearInputs(scenarioCount: S)
            for s in 0..<S {
                let u = s % unique
                if y > 0 {
                    for e in closedByYear[y * unique + u] {
                        let i = facilities[e.facility].sector.index * S + s
                        x.displacedWorkers[i] += Double(facilities[e.facility].workers)
                        x.capacityCut10kt[i] += e.capacity10ktPerYear
                    }
                }
                for (f, facility) in facilities.enumerated() where opened[u][f] <= year - 1 && closed[u][f] > year - 1 {
                    x.operatingWorkersLastYear[facility.sector.index * S + s] += Double(facility.workers)
                }
                for σ in Sector.allCases {
                    let target = batch.policies[s].targetCapacity(σ, in: year)
                    x.targetCapacity10kt[σ.index * S + s] = target ?? 0
                    x.hasTarget[σ.index * S + s] = target != nil
                }
            }
            inputs.append(x)
        }
        self.inputs = inputs
        let policies = batch.policies.map { $0.resettlement! }
        let sectors = Sector.allCases.filter { s in facilities.contains { $0.sector == s } }
        switch model {
        case .reference:
            reference = ReferenceResettlementModel(policies: policies, years: years, sectors: sectors, kernel: .loops)
            nested = inputs.map { x in
                func split(_ a: [Double]) -> [[Double]] { (0..<S).map { s in (0..<Σ).map { a[$0 * S + s] } } }
                let targets = (0..<S).map { s in (0..<Σ).map { x.hasTarget[$0 * S + s] ? x.targetCapacity10kt[$0 * S + s] : nil } }
                return (split(x.displacedWorkers), split(x.capacityCut10kt), targets, split(x.operatingWorkersLastYear))
            }
        case .batched(let kernel):
            batched = ResettlementModel(policies: policies, years: years, sectors: sectors, kernel: kernel)
            nested = []
        }
    }

    /// Steps the model through every year after the base year.
    @inline(never)
    public mutating func runSteps() {
        for (y, year) in years.enumerated().dropFirst() {
            if reference != nil {
                let x = nested[y]
                reference!.step(yearIndex: y, year: year, displaced: x.displaced, capacityCut: x.cut,
                                targets: x.targets, operatingWorkersLastYear: x.operating)
            } else {
                batched!.step(yearIndex: y, year: year, inputs: inputs[y])
            }
        }
    }

    /// The result of the steps so far.
    public var result: ResettlementResult { reference?.result ?? batched!.result }
}
