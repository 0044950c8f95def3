import Foundation

/// The small sweep the CLI, runner and cluster tests share: Latin-hypercube points of the mine
/// threshold under the plan and a welfare-posts policy, one outcome (coal capacity closed).
public func smallJilinSweepText(scenario: String, samples: Int, seed: Int) -> String {
    """
    scenario: \(scenario)
    seed: \(seed)
    design: {kind: latin_hypercube, samples: \(samples)}
    parameters:
      - name: threshold
        path: rules[coal-under-30].threshold
        distribution: {kind: uniform, min: 20, max: 60}
    policies:
      - name: plan
      - name: welfare
        set:
          resettlement.channels[public-welfare].share: 0.3
    outcomes:
      - {name: coal_closed, metric: capacity_closed, sector: coal, years: [2016, 2018], aggregate: sum}
    """
}
