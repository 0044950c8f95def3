import CapSimChart
import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation

/// The model work behind the pages, as plain functions of files: load, run, summarise, compare.
/// Each runs on the run queue's thread, one at a time.
enum Pages {
    /// A scenario loaded and run, or the loader's (or the result check's) issues.
    static func loadAndRun(_ path: String) -> Result<(Scenario, BatchResult), ScenarioError> {
        let scenario: Scenario
        do { scenario = try Scenario.load(path: path) } catch { return .failure(error) }
        return run(scenario).map { (scenario, $0) }
    }

    /// Runs `scenario` and checks its results, as `capsim run` does before writing anything.
    static func run(_ scenario: Scenario) -> Result<BatchResult, ScenarioError> {
        let result = Engine.run(scenario.batch(), options: Engine.Options(checkInvariants: false))
        let issues = ResultCheck.issues(result, scenarios: [scenario])
        return issues.isEmpty ? .success(result) : .failure(ScenarioError(issues: issues))
    }

    /// The issues as `capsim validate` prints them, one per line, with `rename` applied to file names.
    static func issueList(_ error: ScenarioError, workspace: Workspace, rename: [String: String] = [:]) -> String {
        "<ul class=\"err\" id=\"issues\">" + error.issues.map { issue in
            var issue = issue
            if let r = rename[issue.file] { issue.file = r } else if workspace.isInside(issue.file) { issue.file = workspace.relative(issue.file) }
            return "<li>\(HTML.escape(issue.description))</li>"
        }.joined() + "</ul>"
    }

    /// The charts of a run (capacity, closures, workers, debt) as SVG and PNG files, or why none.
    static func runCharts(_ scenario: Scenario, _ result: BatchResult) -> (files: [(name: String, data: Data)], note: String?) {
        do {
            let charts = try RunCharts.charts(
                projections: ProjectionTables.projections(result), projectionsSource: "projections.csv",
                closures: ProjectionTables.closures(result, facilities: scenario.facilities), closuresSource: "closures.csv",
                title: scenario.title)
            return (try Gnuplot.locate().render(charts, formats: [.svg, .png]).files, nil)
        } catch {
            return ([], "charts unavailable: \(error)")
        }
    }

    /// An SVG file's text from its `<svg` element on, to inline in a page.
    static func inlineSVG(_ data: Data) -> String {
        guard let text = String(data: data, encoding: .utf8), let start = text.range(of: "<svg") else { return "" }
        return String(text[start.lowerBound...])
    }

    /// The scenario page: summary, tables per metric, charts, downloads, and the what-if form.
    static func scenarioPage(path relative: String, real: String, workspace: Workspace) -> WhatIfOutcome {
        switch loadAndRun(real) {
        case let .failure(error):
            return WhatIfOutcome(title: relative, html: "<p class=\"err\">The scenario does not load; "
                                 + "<code>capsim validate</code> says:</p>" + issueList(error, workspace: workspace),
                                 downloads: [:], failed: true)
        case let .success((scenario, result)):
            var downloads: [String: WhatIfOutcome.Download] = [
                "projections.csv": .init(contentType: "text/csv; charset=utf-8", data: Data(ProjectionTables.projections(result).utf8)),
                "closures.csv": .init(contentType: "text/csv; charset=utf-8",
                                      data: Data(ProjectionTables.closures(result, facilities: scenario.facilities).utf8)),
                "openings.csv": .init(contentType: "text/csv; charset=utf-8",
                                      data: Data(ProjectionTables.openings(result, facilities: scenario.facilities).utf8)),
                "summary.json": .init(contentType: "application/json", data: Data(RunSummary(scenario: scenario, result: result).json().utf8)),
            ]
            if let accounts = ProjectionTables.enterpriseAccounts(result) {
                downloads["enterprises.csv"] = .init(contentType: "text/csv; charset=utf-8", data: Data(accounts.utf8))
            }
            var workbookNote: String?
            do { downloads["workbook.xlsx"] = try Downloads.runWorkbook(downloads) } catch { workbookNote = "workbook unavailable: \(error)" }
            let (charts, note) = runCharts(scenario, result)
            for file in charts {
                downloads[file.name] = .init(contentType: file.name.hasSuffix(".svg") ? "image/svg+xml" : "image/png", data: file.data)
            }
            let q = HTML.query(relative)
            var html = "<p class=\"muted\">\(HTML.escape(relative)) · <b>\(HTML.escape(scenario.name))</b> · years "
                + "\(scenario.baseYear)-\(scenario.endYear) · \(scenario.facilities.count) units"
                + (scenario.chain.count > 1 ? " · a variant of \(HTML.escape(workspace.relative(scenario.chain[0])))" : "") + "</p>"
            html += "<p id=\"years\">Base year \(scenario.baseYear), programme \(scenario.baseYear + 1)-\(scenario.endYear).</p>"
            html += summaryTables(RunSummary(scenario: scenario, result: result), into: &downloads)
            let totals = totalsTables(result, into: &downloads)
            html += "<h2>Charts</h2>"
            if let note { html += "<p class=\"muted\">\(HTML.escape(note))</p>" }
            for file in charts where file.name.hasSuffix(".svg") {
                let stem = String(file.name.dropLast(4))
                html += "<figure id=\"chart-\(HTML.escape(stem))\">" + inlineSVG(file.data)
                    + "<figcaption>\(HTML.escape(stem)): <a href=\"/download?path=\(q)&file=\(HTML.query(stem)).svg\">SVG</a> "
                    + "<a href=\"/download?path=\(q)&file=\(HTML.query(stem)).png\">PNG</a></figcaption></figure>"
            }
            if let workbookNote { html += "<p class=\"muted\">\(HTML.escape(workbookNote))</p>" }
            html += "<h2>Downloads</h2><p class=\"muted\">Each table as CSV, the run's files as <code>capsim run</code> writes them, "
                + "the Excel workbook as <code>capsim xlsx</code> writes it, each chart as SVG and PNG.</p><ul id=\"downloads\">"
                + downloads.keys.sorted().map {
                "<li><a href=\"/download?path=\(q)&file=\(HTML.query($0))\">\(HTML.escape($0))</a></li>"
            }.joined() + "<li><a href=\"/file?path=\(q)\">\(HTML.escape(relative))</a> (the scenario file)</li></ul>"
            html += "<h2>Tables (province totals)</h2>" + totals
            return WhatIfOutcome(title: scenario.title, html: html, downloads: downloads, failed: false)
        }
    }

    /// The figures `capsim run` prints: capacity by sector, workers by channel, debt by creditor action.
    static func summaryTables(_ s: RunSummary, into downloads: inout [String: WhatIfOutcome.Download]) -> String {
        func d(_ x: Decimal) -> String { "\(x)" }
        let years = Array(Set(s.sectors.flatMap { $0.capacityClosed10ktByYear.keys })).sorted()
        var html = "<h2>Summary</h2>" + table(
            ["sector", "capacity \(s.baseYear) (10kt/yr)", "capacity \(s.endYear)", "closed"] + years.map { "closed \($0)" }
                + ["opened", "units \(s.baseYear)", "units \(s.endYear)"],
            s.sectors.map { x in
                [x.sector, d(x.capacityBase10kt), d(x.capacityEnd10kt), d(x.capacityClosed10kt)]
                    + years.map { d(x.capacityClosed10ktByYear[$0] ?? 0) } + [d(x.capacityOpened10kt), d(x.unitsBase), d(x.unitsEnd)]
            }, id: "summary-capacity", into: &downloads)
        if let workers = s.workers {
            let channels = Array(Set(workers.flatMap { $0.placedPersonsByChannel.keys })).sorted()
            html += "<h3>Workers (persons)</h3>" + table(
                ["sector", "displaced"] + channels + ["unresettled at end"],
                workers.map { w in [w.sector, d(w.displacedPersons)] + channels.map { d(w.placedPersonsByChannel[$0] ?? 0) }
                    + [d(w.unresettledEndPersons)] }, id: "summary-workers", into: &downloads)
        }
        if let debt = s.debt {
            html += "<h3>Debt (yuan)</h3>" + table(
                ["sector", "debt \(s.baseYear)", "debt \(s.endYear)", "swapped", "stripped", "written off", "repaid",
                 "zombie enterprise-years", "bankruptcies"],
                debt.map { [$0.sector, d($0.debtBaseYuan), d($0.debtEndYuan), d($0.debtSwappedYuan), d($0.debtStrippedYuan),
                             d($0.debtWrittenOffYuan), d($0.debtRepaidYuan), d($0.zombieEnterpriseYears), d($0.bankruptcies)] },
                id: "summary-debt", into: &downloads)
        }
        if !s.shortfalls.isEmpty {
            html += "<p class=\"err\">" + s.shortfalls.map {
                "warning: target \(HTML.escape($0.target)) in \($0.year) not met: \($0.closed10kt) of \($0.target10kt) 10kt/yr closed"
            }.joined(separator: "<br>") + "</p>"
        }
        return html
    }

    /// A table on the page, and the same cells as `ID.csv` among the downloads.
    static func table(_ header: [String], _ rows: [[String]], id: String, into downloads: inout [String: WhatIfOutcome.Download]) -> String {
        downloads[id + ".csv"] = Downloads.csv(header, rows)
        return HTML.table(header, rows, id: id)
    }

    /// Every province total (region and owner all) as metric × sector rows and year columns.
    static func totalsTables(_ result: BatchResult, into downloads: inout [String: WhatIfOutcome.Download]) -> String {
        let rows = ProjectionTotals.rows(result)
        let years = result.years
        var order: [String] = []
        var cells: [String: [Int: String]] = [:]
        var units: [String: String] = [:]
        for r in rows {
            let key = r.metric + "\u{1}" + r.sector.rawValue
            if cells[key] == nil { order.append(key); units[key] = r.unit }
            cells[key, default: [:]][r.year] = HTML.number(r.value, digits: r.digits)
        }
        return table(["metric", "sector", "unit"] + years.map(String.init), order.map { key in
            let parts = key.split(separator: "\u{1}").map(String.init)
            return parts + [units[key] ?? ""] + years.map { cells[key]?[$0] ?? "" }
        }, id: "totals", into: &downloads)
    }

    /// The result of a what-if: the variant's text, the headline differences, the capacity table,
    /// the comparison chart and the closure changes, with downloads.
    static func comparisonPage(base: Scenario, variant: Scenario, variantText: String, variantPath: String,
                               workspace: Workspace) -> WhatIfOutcome {
        let started = Date()
        let runs: (BatchResult, BatchResult)
        switch (run(base), run(variant)) {
        case let (.success(b), .success(v)): runs = (b, v)
        case let (.failure(e), _), let (_, .failure(e)):
            return WhatIfOutcome(title: "What-if failed", html: issueList(e, workspace: workspace), downloads: [:], failed: true)
        }
        let comparison: ScenarioComparison
        do {
            comparison = try ScenarioComparison(base: (base, runs.0), variants: [(variant, runs.1)])
        } catch {
            return WhatIfOutcome(title: "What-if failed", html: issueList(error, workspace: workspace), downloads: [:], failed: true)
        }
        let csv = comparison.comparisonCSV()
        var downloads: [String: WhatIfOutcome.Download] = [
            "comparison.csv": .init(contentType: "text/csv; charset=utf-8", data: Data(csv.utf8)),
            "closure_changes.csv": .init(contentType: "text/csv; charset=utf-8", data: Data(comparison.closureChangesCSV().utf8)),
            (variantPath as NSString).lastPathComponent: .init(contentType: "application/yaml; charset=utf-8", data: Data(variantText.utf8)),
        ]
        var chartNote: String?
        do {
            let charts = try ComparisonChart.charts(csv: csv, source: "comparison.csv", metric: "capacity")
            for file in try Gnuplot.locate().render(charts, formats: [.svg, .png]).files {
                downloads[file.name] = .init(contentType: file.name.hasSuffix(".svg") ? "image/svg+xml" : "image/png", data: file.data)
            }
        } catch {
            chartNote = "chart unavailable: \(error)"
        }
        let rel = workspace.relative(variantPath)
        var html = "<p>Variant <a href=\"/scenario?path=\(HTML.query(rel))\">\(HTML.escape(rel))</a> of "
            + "<a href=\"/scenario?path=\(HTML.query(workspace.relative(base.file)))\">\(HTML.escape(workspace.relative(base.file)))</a>, "
            + "run and compared in \(HTML.number(Date().timeIntervalSince(started), digits: 2)) s.</p>"
        html += "<h2>Headline differences</h2>"
        // The same headline differences `capsim compare` prints first (CapSimIO's ComparisonAnswer).
        let moved = ComparisonAnswer(comparison).headline.filter { $0.variant == 0 && $0.difference != 0 }
        if moved.isEmpty { html += "<p id=\"no-difference\">The variant changes no figure.</p>" }
        var rows: [[String]] = []
        for h in moved {
            let label = [h.base.key, h.base.detail].compactMap { $0 }.joined(separator: " ")
            let year = h.base.year.map(String.init) ?? ""
            rows.append([label, h.base.sector, year, h.base.unit.rawValue,
                         "\(h.base.value)", "\(h.variantFigure.value)", "\(h.difference)"])
        }
        html += table(["figure", "sector", "year", "unit", "base", "variant", "difference"], rows, id: "headline", into: &downloads)
        do { downloads["comparison.xlsx"] = try Downloads.compareWorkbook(ComparisonAnswer(comparison)) } catch {
            html += "<p class=\"muted\">workbook unavailable: \(HTML.escape("\(error)"))</p>"
        }
        // Headline differences first, then the chart, then the tables behind them.
        html += "<h2>Capacity by sector, base and variant</h2>"
        if let chartNote { html += "<p class=\"muted\">\(HTML.escape(chartNote))</p>" }
        for (name, file) in downloads.sorted(by: { $0.key < $1.key }) where name.hasSuffix(".svg") {
            html += "<figure id=\"chart-\(HTML.escape(String(name.dropLast(4))))\">" + inlineSVG(file.data) + "</figure>"
        }
        html += "<h2>Capacity by sector and year (10kt/yr)</h2><table id=\"capacity\"><tr><th>sector</th><th>year</th><th>base</th><th>variant</th><th>difference</th></tr>"
        var capacityRows: [[String]] = []
        for d in comparison.differences where d.metric == "capacity" {
            capacityRows.append([d.sector.rawValue, String(d.year), d.baseValue.map { HTML.number($0, digits: d.digits) } ?? "",
                                 d.variantValue.map { HTML.number($0, digits: d.digits) } ?? "",
                                 d.difference.map { HTML.number($0, digits: d.digits) } ?? ""])
            html += "<tr><td>\(d.sector.rawValue)</td><td>\(d.year)</td><td>\(d.baseValue.map { HTML.number($0, digits: d.digits) } ?? "")</td>"
                + "<td>\(d.variantValue.map { HTML.number($0, digits: d.digits) } ?? "")</td>"
                + "<td class=\"diff\" data-metric=\"capacity\" data-sector=\"\(d.sector.rawValue)\" data-year=\"\(d.year)\">"
                + "\(d.difference.map { HTML.number($0, digits: d.digits) } ?? "")</td></tr>"
        }
        html += "</table>"
        downloads["capacity.csv"] = Downloads.csv(["sector", "year", "base", "variant", "difference"], capacityRows)
        html += "<h2>Closure changes</h2>" + HTML.table(
            ["facility", "name", "sector", "capacity (10kt/yr)", "change", "base", "variant"],
            comparison.closureChanges.map { c in
                [c.facilityID, c.name, c.sector.rawValue, HTML.number(c.capacity10ktPerYear), c.kind.rawValue,
                 c.inBase.map { "\($0.year) \($0.rule)" } ?? "open", c.inVariant.map { "\($0.year) \($0.rule)" } ?? "open"]
            }, id: "closure-changes")
        for note in comparison.notes { html += "<p class=\"muted\">\(HTML.escape(note))</p>" }
        html += "<h2>The variant file</h2><p>Run it from the command line (in the workspace): "
            + "<code>capsim compare \(HTML.escape(workspace.relative(base.file))) \(HTML.escape(rel))</code></p>"
            + "<pre id=\"variant-text\">\(HTML.escape(variantText))</pre>"
        return WhatIfOutcome(title: "What-if: \(variant.title)", html: html, downloads: downloads, failed: false)
    }
}
