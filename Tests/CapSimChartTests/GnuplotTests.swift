import CapSimChart
import Foundation
import Testing
import CapSimTestSupport

/// Rendering through the real gnuplot (installed by scripts/setup), and its failures.
@Suite(.removesTemporaryFiles) struct GnuplotTests {
    func tempFolder() throws -> URL {
        let dir = temporaryPath("chart-test")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func fanChartsFromCSVTextRenderAsPNGAndSVG() throws {
        let charts = try FanChart.charts(csv: TableChartsTests.fixture("quantiles.csv"), source: "q.csv",
                                         metric: "capacity")
        let rendered = try Gnuplot.locate().render(charts, formats: [.png, .svg])
        #expect(rendered.files.map(\.name) == ["fan-capacity-coal.png", "fan-capacity-coal.svg",
                                                "fan-capacity-钢铁.png", "fan-capacity-钢铁.svg"])
        for file in rendered.files {
            if file.name.hasSuffix(".png") { ImageCheck.expectPNG(file.data, file.name) }
            else { ImageCheck.expectSVG(file.data, file.name) }
        }
        // Two policy panels side by side.
        let size = try #require(ImageCheck.pngSize(rendered.files[0].data))
        #expect(size.width == 1240 && size.height == 430)
        // SVG keeps text as text: the Chinese policy name must be there, in the font asked for.
        let svg = String(decoding: rendered.files[1].data, as: UTF8.self)
        #expect(svg.contains("基准 baseline") && svg.contains("WenQuanYi Micro Hei"))
    }

    @Test func labelsWithQuotesAndBackslashesReachGnuplotIntact() throws {
        let odd = #"a "quoted" \n 'sector' \ end"#
        let chart = Chart(name: "odd", title: odd, panels: [
            Panel(yLabel: "y_1^2 {x}", series: [
                Series(label: odd, color: "#000000", style: .line(width: 1, dashed: false),
                       points: [Series.Point(x: 2015, y: 1), Series.Point(x: 2016, y: 2)]),
            ]),
        ])
        let rendered = try Gnuplot.locate().render([chart], formats: [.svg])
        let svg = String(decoding: rendered.files[0].data, as: UTF8.self)
        ImageCheck.expectSVG(rendered.files[0].data, "odd.svg")
        // Quotes need no escaping in XML text, so gnuplot writes the label exactly as given.
        #expect(svg.contains("<text>\(odd)</text>"), "label mangled")
        #expect(svg.contains("y_1^2 {x}"))
    }

    @Test func missingGnuplotSaysHowToInstallIt() {
        #expect { try Gnuplot.locate(environment: ["PATH": "/nonexistent"]) } throws: {
            "\($0)".contains("gnuplot is not installed") && "\($0)".contains("scripts/setup")
        }
    }

    @Test func failingGnuplotIsReportedAndNothingIsWritten() throws {
        let dir = try tempFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("gnuplot")
        try "#!/bin/sh\necho 'line 3: unknown terminal type' >&2\nexit 1\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let out = dir.appendingPathComponent("charts")
        let chart = Chart(name: "c", title: "t", panels: [Panel(yLabel: "y", series: [])])
        #expect {
            try ChartWriter.write([chart], formats: [.png], to: out.path, gnuplot: Gnuplot(executable: fake))
        } throws: { "\($0)" == "gnuplot failed (exit status 1): line 3: unknown terminal type" }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func gnuplotThatWritesNoImageIsAnError() throws {
        let dir = try tempFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("gnuplot")
        try "#!/bin/sh\nexit 0\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let chart = Chart(name: "c", title: "t", panels: [Panel(yLabel: "y", series: [])])
        #expect { try Gnuplot(executable: fake).render([chart], formats: [.svg]) } throws: {
            "\($0)" == "gnuplot wrote no c.svg"
        }
    }
}

/// A missing CJK font is a warning, since the images are still drawn but Chinese may show as boxes.
@Suite(.removesTemporaryFiles) struct FontCheckTests {
    let chart = Chart(name: "cjk", title: "吉林省", panels: [
        Panel(yLabel: "万吨/年", series: [
            Series(label: "煤炭", color: "#000000", style: .line(width: 1, dashed: false),
                   points: [Series.Point(x: 2015, y: 1), Series.Point(x: 2016, y: 2)]),
        ]),
    ])

    @Test func installedFontGivesNoWarning() throws {
        let rendered = try Gnuplot.locate().render([chart], formats: [.png])
        #expect(rendered.warnings.isEmpty, "\(rendered.warnings)")
    }

    @Test func missingFontIsAWarning() throws {
        let rendered = try Gnuplot.locate(font: "No Such Font 123").render([chart], formats: [.png])
        #expect(rendered.warnings.contains { $0.hasPrefix("font 'No Such Font 123' is not installed") })
        ImageCheck.expectPNG(rendered.files[0].data, "cjk.png")
    }
}
