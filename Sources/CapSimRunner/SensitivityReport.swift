import CapSimCore
import CapSimIO

/// The terminal report of `capsim analyze sobol|morris`: per policy the parameters ranked, with a
/// plain sentence on the largest one. Sobol' indices and their intervals are shown clipped to
/// [0, 1], the indices' range (the estimators can fall outside it by sampling noise).
public enum SensitivityReport {
    /// `x` clipped to [0, 1].
    static func clip(_ x: Double) -> Double { min(1, max(0, x)) }

    static func percent(_ x: Double) -> String { decimalText(100 * clip(x), digits: 0) }

    /// The Sobol' ranking of `rows` for `target`: by total index, largest first.
    public static func sobol(_ rows: [SweepAnalysis.SobolRow], target: AnalysisTarget) -> String {
        var lines: [String] = []
        var policies: [String] = []
        for r in rows where !policies.contains(r.policy) { policies.append(r.policy) }
        for policy in policies {
            let ranked = rows.enumerated().filter { $0.element.policy == policy }.sorted { a, b in
                a.element.total != b.element.total ? a.element.total > b.element.total : a.offset < b.offset
            }.map(\.element)
            guard let top = ranked.first else { continue }
            lines.append("policy \(policy): what explains the variance of \(target) (Sobol' indices; S1 = the parameter alone, "
                         + "ST = with its interactions; 95 % bootstrap intervals; all clipped to [0, 1])")
            var table = [["rank", "parameter", "S1", "S1 interval", "ST", "ST interval"]]
            for (i, r) in ranked.enumerated() {
                func interval(_ i: ClosedRange<Double>) -> String {
                    "[" + decimalText(clip(i.lowerBound), digits: 2) + ", " + decimalText(clip(i.upperBound), digits: 2) + "]"
                }
                table.append([String(i + 1), r.parameter, decimalText(clip(r.first), digits: 2), interval(r.firstInterval),
                              decimalText(clip(r.total), digits: 2), interval(r.totalInterval)])
            }
            lines += SummaryTable.fixedWidth(table, leftColumns: 2)
            var sentence = "\(top.parameter) explains about \(percent(top.first)) % of the variance of \(target) on its own "
                + "(95 % interval \(percent(top.firstInterval.lowerBound))-\(percent(top.firstInterval.upperBound)) %), "
                + "about \(percent(top.total)) % with its interactions."
            let sumFirst = ranked.reduce(0) { $0 + clip($1.first) }
            if sumFirst < 0.7 {
                sentence += " The parameters alone explain about \(percent(sumFirst)) % together: interactions matter."
            }
            if top.firstInterval.upperBound - top.firstInterval.lowerBound > 0.3 {
                sentence += " The intervals are wide: a sweep with more base points would narrow them."
            }
            lines.append(sentence)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// The Morris ranking of `rows` for `target`: by mu*, largest first.
    public static func morris(_ rows: [SweepAnalysis.MorrisRow], target: AnalysisTarget) -> String {
        var lines: [String] = []
        var policies: [String] = []
        for r in rows where !policies.contains(r.policy) { policies.append(r.policy) }
        for policy in policies {
            let ranked = rows.enumerated().filter { $0.element.policy == policy }.sorted { a, b in
                a.element.muStar != b.element.muStar ? a.element.muStar > b.element.muStar : a.offset < b.offset
            }.map(\.element)
            guard let top = ranked.first else { continue }
            lines.append("policy \(policy): effects on \(target) (Morris; mu* = mean absolute effect of a step across the "
                         + "parameter's range, in the outcome's unit; sigma = their spread)")
            var table = [["rank", "parameter", "mu*", "mu", "sigma"]]
            for (i, r) in ranked.enumerated() {
                table.append([String(i + 1), r.parameter, HeadlineFigures.grouped(r.muStar, digits: 2),
                              HeadlineFigures.grouped(r.mu, digits: 2), HeadlineFigures.grouped(r.sigma, digits: 2)])
            }
            lines += SummaryTable.fixedWidth(table, leftColumns: 2)
            var sentence = "\(top.parameter) has the largest effect on \(target) (mu* \(HeadlineFigures.grouped(top.muStar, digits: 2)))"
            if let second = ranked.dropFirst().first, second.muStar > 0 {
                sentence += ", \(decimalText(top.muStar / second.muStar, digits: 1)) times that of \(second.parameter)"
            }
            sentence += "."
            if top.muStar > 0 && top.sigma > 0.5 * top.muStar {
                sentence += " Its sigma is large against mu*: its effect depends on the other parameters or is not linear."
            }
            lines.append(sentence)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
