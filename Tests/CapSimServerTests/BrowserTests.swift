import CapSimServer
import CapSimTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The workbench in a real browser: headless Chromium over WebDriver against a live server on a
/// temporary copy of Jilin. Skipped (with the reason) where chromedriver is not installed;
/// `bash scripts/setup` installs it and `.ci/run` runs it.
///
/// With `CAPSIM_SCREENSHOT=FILE` set, the comparison page is saved there as a PNG (the README's
/// screenshot: `CAPSIM_SCREENSHOT=docs/images/workbench-comparison.png swift test --disable-xctest --filter BrowserTests`).
@Suite(.serialized, .removesTemporaryFiles) struct BrowserTests {
    static let skipReason: Comment = "chromedriver or chromium not found: `bash scripts/setup` installs chromium and chromium-driver"

    /// In CI (`CAPSIM_REQUIRE_BROWSER=1`, set by `.ci/run`) a missing browser is a failure, not a skip.
    @Test func theBrowserIsInstalledWhereItIsRequired() {
        if ProcessInfo.processInfo.environment["CAPSIM_REQUIRE_BROWSER"] == "1" {
            #expect(WebDriver.available, "CAPSIM_REQUIRE_BROWSER=1 but \(Self.skipReason)")
        }
    }

    @Test(.enabled(if: WebDriver.available, skipReason))
    func theWhatIfTheBadValueAndTheSweepInABrowser() async throws {
        let workspace = try jilinWorkspace()
        let board = SweepBoard(threads: 1)
        let workbench = try Workbench(workspace: workspace.path, sweeps: board)
        let app = Application(router: workbench.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let browser = try await WebDriver()
        do {
            try await app.test(.live) { client in
                let site = "http://127.0.0.1:\(try #require(client.port))"
                try await whatIf(browser, site)
                try await badThreshold(browser, site)
                try await sweep(browser, site, board: board)
            }
        } catch {
            await browser.quit()
            _ = board.wait(sweepPath, timeout: 120)
            throw error
        }
        await browser.quit()
        #expect(board.wait(sweepPath, timeout: 120))
    }

    let threshold = "[name='lever:rules[coal-under-30].threshold']"
    let sweepPath = "Scenarios/jilin-2016/sweeps/sensitivity.yaml"

    /// The 2018 mine threshold at 45: coal capacity in 2020 is 113 lower, and the chart is drawn.
    func whatIf(_ browser: WebDriver, _ site: String) async throws {
        try await browser.open(site + "/scenario?path=" + jilin)
        let field = try await browser.element(threshold)
        try await browser.clear(field)
        try await browser.type(field, "45")
        let name = try await browser.element("[name='name']")
        try await browser.clear(name)
        try await browser.type(name, "browser45")
        try await browser.click(try await browser.element("#run"))
        // The job page reloads itself until the comparison is there.
        let status = try await browser.wait("const s = document.getElementById('status'); return s ? s.textContent : ''") {
            ($0 as? String).map { $0.hasPrefix("Done") || $0.hasPrefix("Failed") } ?? false
        }
        #expect(status as? String == "Done.")
        let cell = try await browser.element("td[data-metric='capacity'][data-sector='coal'][data-year='2020']")
        #expect(try await browser.text(cell) == "-113")
        let headline = try await browser.text(try await browser.element("#headline"))
        #expect(headline.contains("-113"), "the headline differences lead with the capacity change: \(headline)")
        // A chart laid out by the browser: an SVG with a real size and drawn paths.
        let size = try await browser.script("""
            const svg = document.querySelector("figure[id^='chart-'] svg");
            if (!svg) return [0, 0, 0];
            const box = svg.getBoundingClientRect();
            return [box.width, box.height, svg.querySelectorAll('path').length];
            """) as? [Any]
        let numbers = (size ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
        #expect(numbers.count == 3 && numbers[0] > 300 && numbers[1] > 150 && numbers[2] > 5, "chart \(numbers)")
        if let out = ProcessInfo.processInfo.environment["CAPSIM_SCREENSHOT"], !out.isEmpty {
            let png = try await browser.screenshot()
            #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            try png.write(to: URL(fileURLWithPath: out), options: .atomic)
        }
    }

    /// A negative threshold: validate's message beside the field, and no job.
    func badThreshold(_ browser: WebDriver, _ site: String) async throws {
        try await browser.open(site + "/scenario?path=" + jilin)
        let field = try await browser.element(threshold)
        try await browser.clear(field)
        try await browser.type(field, "-5")
        try await browser.click(try await browser.element("#run"))
        let beside = try await browser.wait("""
            const i = document.querySelector("\(threshold)");
            const e = i ? i.closest('tr').querySelector('.err') : null;
            return e ? e.textContent : '';
            """) { !(($0 as? String) ?? "").isEmpty }
        let message = beside as? String ?? ""
        #expect(message.contains("threshold"), "\(message)")
        #expect(try await browser.text(try await browser.element("#form-error")).contains("Nothing was run"))
        let value = try await browser.script("return document.querySelector(\"\(threshold)\").value") as? String
        #expect(value == "-5", "the form keeps what was typed")
    }

    /// The bundled Saltelli sweep: started, its progress moves, stopped.
    func sweep(_ browser: WebDriver, _ site: String, board: SweepBoard) async throws {
        try await browser.open(site + "/sweep?path=" + sweepPath)
        try await browser.click(try await browser.element("#start"))
        let stored = "const s = document.getElementById('stored'); return s ? Number(s.textContent) : -1"
        let first = try await browser.wait(stored, timeout: 120) { (($0 as? NSNumber)?.intValue ?? 0) > 0 } as? NSNumber
        let moved = try await browser.wait(stored, timeout: 120) { (($0 as? NSNumber)?.intValue ?? 0) > (first?.intValue ?? 0) } as? NSNumber
        #expect((moved?.intValue ?? 0) > (first?.intValue ?? 0))
        try await browser.click(try await browser.element("#stop"))
        let phase = try await browser.wait("const p = document.getElementById('sweep-progress'); return p ? p.dataset.phase : ''",
                                           timeout: 120) { ($0 as? String) == "stopped" }
        #expect(phase as? String == "stopped")
        let total = try await browser.text(try await browser.element("#total"))
        let now = Int(try await browser.text(try await browser.element("#stored"))) ?? 0
        #expect(total == "6144" && now > 0 && now < 6144)
        _ = try await browser.element("#resume")
    }
}
