import CapSimScenario
import CapSimServer
import CapSimTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A copy of the bundled Jilin scenario in a temporary workspace (what-ifs write into it).
func jilinWorkspace() throws -> URL {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let workspace = try temporaryFolder("workbench")
    let scenarios = workspace.appendingPathComponent("Scenarios")
    try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: root.appendingPathComponent("Scenarios/jilin-2016"),
                                     to: scenarios.appendingPathComponent("jilin-2016"))
    return workspace
}

let jilin = "Scenarios/jilin-2016/scenario.yaml"
let thresholdField = "lever:rules[coal-under-30].threshold"

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// `application/x-www-form-urlencoded` of `fields`.
func form(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.~")
    return ByteBuffer(string: fields.map {
        ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
            + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }.joined(separator: "&"))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

/// Polls a job's page until it is done (or 120 s pass in a slow debug build); returns the page.
func finishedJob(_ client: some TestClientProtocol, _ location: String) async throws -> String {
    for _ in 0..<1200 {
        let page = try await client.execute(uri: location, method: .get).text
        if page.contains("<p id=\"status\">Done") || page.contains("<p id=\"status\">Failed") { return page }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("job \(location) did not finish")
    return ""
}

/// The number in the capacity comparison cell of `sector` in `year`.
func capacityDifference(_ page: String, sector: String, year: Int) -> String? {
    let marker = "data-metric=\"capacity\" data-sector=\"\(sector)\" data-year=\"\(year)\">"
    guard let start = page.range(of: marker) else { return nil }
    return String(page[start.upperBound...].prefix { $0 != "<" })
}

@Suite(.serialized, .removesTemporaryFiles) struct WorkbenchRouteTests {
    @Test func indexListsScenariosVariantsAndSweeps() async throws {
        let app = Application(router: try Workbench(workspace: try jilinWorkspace().path).router())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/scenario?path=Scenarios/jilin-2016/scenario.yaml\""))
            #expect(page.text.contains("Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml"))
            #expect(page.text.contains("Scenarios/jilin-2016/sweeps/threshold-price.yaml"))
            #expect(!page.text.contains("facilities/"))
        }
    }

    @Test func scenarioPageShowsSummaryChartsTablesAndForm() async throws {
        let app = Application(router: try Workbench(workspace: try jilinWorkspace().path).router())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/scenario?path=" + jilin, method: .get)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("吉林省 2016-2020 去产能"))
            #expect(text.contains("Base year 2015, programme 2016-2020."))
            for id in ["summary-capacity", "summary-workers", "summary-debt", "totals"] {
                #expect(text.contains("id=\"\(id)\""), "no table \(id)")
            }
            #expect(text.contains("<figure id=\"chart-capacity\"><svg"))
            // The lever with its default, unit and source from the scenario file's comment.
            #expect(text.contains("name=\"\(thresholdField)\" id=\"\(thresholdField)\" value=\"30\""))
            #expect(text.contains("<td>10kt/yr</td><td>30</td><td class=\"muted\">S000:L56 (&quot;年产30万吨以下的煤矿全部关停&quot;) (line 67)</td>"))
            #expect(text.contains("name=\"scale:sectors.coal.priceIndexByYear\""))
            #expect(text.contains("finance.instruments[coal-strip-to-disposal-platform].share"))
            #expect(text.contains("resettlement.channels[coal-other-enterprises].capacityTotal"))
            // A variant's page has figures but no form.
            let variant = try await client.execute(uri: "/scenario?path=Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml", method: .get)
            #expect(variant.status == .ok)
            #expect(variant.text.contains("a variant of Scenarios/jilin-2016/scenario.yaml"))
            #expect(!variant.text.contains("<form"))
        }
    }

    @Test func jilinMineThreshold45LowersCoalCapacityIn2020By113() async throws {
        let workspace = try jilinWorkspace()
        let app = Application(router: try Workbench(workspace: workspace.path).router())
        try await app.test(.router) { client in
            let posted = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                  body: form([("name", "t45"), (thresholdField, "45"), ("lever:rules[coal-under-30].from", "2018")]))
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            let page = try await finishedJob(client, location)
            #expect(capacityDifference(page, sector: "coal", year: 2020) == "-113")
            #expect(capacityDifference(page, sector: "steel", year: 2020) == "0")
            #expect(page.contains("<figure id=\"chart-compare-capacity\"><svg"))
            #expect(page.contains("id=\"closure-changes\""))
            #expect(page.contains("rules[coal-under-30].threshold: 45"))
            // The variant is in the workspace, and only it: no candidate left behind.
            let variants = workspace.appendingPathComponent("variants")
            #expect(try FileManager.default.contentsOfDirectory(atPath: variants.path) == ["web-t45.yaml"])
            let written = try String(contentsOf: variants.appendingPathComponent("web-t45.yaml"), encoding: .utf8)
            #expect(written.contains("extends: \"../Scenarios/jilin-2016/scenario.yaml\"\n"))
            #expect(!written.contains(".from"), "a value left at its default is not written")
            // It loads from the command line as it stands, and gives the same what-if.
            let loaded = try Scenario.load(path: variants.appendingPathComponent("web-t45.yaml").path)
            #expect(loaded.name == "jilin-2016-web-t45")
            // Downloads of the job.
            let id = String(location.dropFirst("/job?id=".count))
            let csv = try await client.execute(uri: "/job/download?id=\(id)&file=comparison.csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.text.contains("capacity,coal,2020,10kt/yr,jilin-2016,jilin-2016-web-t45,"))
            #expect(csv.text.split(separator: "\n").contains { $0.hasPrefix("capacity,coal,2020,") && $0.hasSuffix(",-113,-2.3") || $0.hasPrefix("capacity,coal,2020,") && $0.contains(",-113,") })
            let yaml = try await client.execute(uri: "/job/download?id=\(id)&file=web-t45.yaml", method: .get)
            #expect(yaml.text == written)
            let svg = try await client.execute(uri: "/job/download?id=\(id)&file=compare-capacity.svg", method: .get)
            ImageCheck.expectSVG(Data(buffer: svg.body), "compare-capacity.svg")
            let png = try await client.execute(uri: "/job/download?id=\(id)&file=compare-capacity.png", method: .get)
            ImageCheck.expectPNG(Data(buffer: png.body), "compare-capacity.png")
            let missing = try await client.execute(uri: "/job/download?id=\(id)&file=nope.csv", method: .get)
            #expect(missing.status == .notFound)
            let file = try await client.execute(uri: "/file?path=variants/web-t45.yaml", method: .get)
            #expect(file.text == written)
        }
    }

    @Test func aPriceScaleWritesEveryYearScaled() async throws {
        let workspace = try jilinWorkspace()
        let app = Application(router: try Workbench(workspace: workspace.path).router())
        try await app.test(.router) { client in
            let posted = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                  body: form([("name", "cheap-coal"), ("scale:sectors.coal.priceIndexByYear", "0.5"),
                                                              ("lever:sectors.coal.priceIndexByYear.2020", "0.7")]))
            #expect(posted.status == .seeOther)
            let written = try String(contentsOf: workspace.appendingPathComponent("variants/web-cheap-coal.yaml"), encoding: .utf8)
            #expect(written.contains("  sectors.coal.priceIndexByYear.2017: 0.69   # what-if: scale 0.5 x 1.38\n"))
            #expect(written.contains("  sectors.coal.priceIndexByYear.2020: 0.7   # what-if;"), "a year typed in is taken as typed")
            #expect(!written.contains("priceIndexByYear.2020: 0.655"))
            let page = try await finishedJob(client, try #require(posted.headers[.location]))
            #expect(page.contains("<p id=\"status\">Done"))
        }
    }

    /// The loader's message for `value` at the Jilin mine threshold, as `capsim validate` gives it.
    func validateMessage(_ value: String, workspace: URL) throws -> String {
        let file = workspace.appendingPathComponent("Scenarios/jilin-2016/variants/check.yaml")
        try "extends: ../scenario.yaml\nset:\n  rules[coal-under-30].threshold: \(value)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try Scenario.load(path: file.path)
        } catch {
            let issue = try #require(error.issues.first)
            return (issue.field.map { "\($0): " } ?? "") + issue.message
        }
        Issue.record("\(value) loaded")
        return ""
    }

    @Test(arguments: ["-5", "abc", "1e999"])
    func aBadValueIsShownBesideItsFieldAndNothingRuns(value: String) async throws {
        let workspace = try jilinWorkspace()
        let expected = try validateMessage(value == "abc" ? "\"abc\"" : value, workspace: workspace)
        #expect(!expected.isEmpty)
        let workbench = try Workbench(workspace: workspace.path)
        let app = Application(router: workbench.router())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                body: form([("name", "bad"), (thresholdField, value)]))
            #expect(page.status == .unprocessableContent)
            let escaped = expected.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            #expect(page.text.contains("<span class=\"err\" id=\"err-\(thresholdField)\">\(escaped)</span>"), "expected \(expected)")
            #expect(page.text.contains("value=\"\(value)\""), "the typed value is kept in its field")
            #expect(page.text.contains("Nothing was run"))
            // Nothing written, nothing queued.
            let variants = workspace.appendingPathComponent("variants")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: variants.path)) ?? [] == [])
            #expect(await workbench.queue.state(of: 1) == nil)
        }
    }

    @Test func anUnknownIdOrBadNameIsReportedAndNothingRuns() async throws {
        let workspace = try jilinWorkspace()
        let workbench = try Workbench(workspace: workspace.path)
        let app = Application(router: workbench.router())
        try await app.test(.router) { client in
            let unknown = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                   body: form([("name", "x"), ("lever:rules[no-such-rule].threshold", "4")]))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("&#39;rules&#39; has no element with id &#39;no-such-rule&#39;"))
            let badName = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                   body: form([("name", "../../etc/x"), (thresholdField, "45")]))
            #expect(badName.status == .unprocessableContent)
            #expect(badName.text.contains("id=\"err-name\">give a name"))
            let injected = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                    body: form([("name", "y"), ("lever:name: evil\nx", "4")]))
            #expect(injected.status == .unprocessableContent)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent("variants").path)) ?? [] == [])
            #expect(await workbench.queue.state(of: 1) == nil)
        }
    }

    @Test func pathsOutsideTheWorkspaceAreRefused() async throws {
        let workspace = try jilinWorkspace()
        let outside = try temporaryFolder("outside")
        try "name: x\n".write(to: outside.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: workspace.appendingPathComponent("out-link"), withDestinationURL: outside)
        let app = Application(router: try Workbench(workspace: workspace.path).router())
        try await app.test(.router) { client in
            for (uri, status) in [("/scenario?path=../x.yaml", HTTPResponse.Status.forbidden),
                                  ("/scenario?path=Scenarios/../../x.yaml", .forbidden),
                                  ("/file?path=/etc/passwd", .forbidden),
                                  ("/file?path=%2Fetc%2Fpasswd", .forbidden),
                                  ("/file?path=out-link/secret.yaml", .forbidden),
                                  ("/download?path=out-link/secret.yaml&file=projections.csv", .forbidden),
                                  ("/whatif?path=out-link/secret.yaml", .forbidden),
                                  ("/file?path=no-such.yaml", .notFound),
                                  ("/scenario", .badRequest),
                                  ("/job?id=99", .notFound),
                                  ("/job?id=x", .notFound)] {
                let method: HTTPRequest.Method = uri.hasPrefix("/whatif") ? .post : .get
                let response = try await client.execute(uri: uri, method: method, headers: formHeaders, body: form([("name", "a")]))
                #expect(response.status == status, "\(uri)")
                #expect(!response.text.contains("name: x"), "\(uri) leaked the file outside")
            }
        }
    }

    @Test func downloadsOfAScenario() async throws {
        let app = Application(router: try Workbench(workspace: try jilinWorkspace().path).router())
        try await app.test(.router) { client in
            let csv = try await client.execute(uri: "/download?path=\(jilin)&file=projections.csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"projections.csv\"")
            #expect(csv.text.hasPrefix("scenario,year,sector,region,owner,metric,unit,value\n"))
            #expect(csv.text.contains("jilin-2016,2020,coal,all,all,capacity,10kt/yr,"))
            let closures = try await client.execute(uri: "/download?path=\(jilin)&file=closures.csv", method: .get)
            #expect(closures.text.hasPrefix("scenario,year,facility_id"))
            let svg = try await client.execute(uri: "/download?path=\(jilin)&file=capacity.svg", method: .get)
            ImageCheck.expectSVG(Data(buffer: svg.body), "capacity.svg")
            let png = try await client.execute(uri: "/download?path=\(jilin)&file=workers.png", method: .get)
            ImageCheck.expectPNG(Data(buffer: png.body), "workers.png")
            let missing = try await client.execute(uri: "/download?path=\(jilin)&file=x.exe", method: .get)
            #expect(missing.status == .notFound)
            let yaml = try await client.execute(uri: "/file?path=\(jilin)", method: .get)
            #expect(yaml.text.hasPrefix("# Jilin province capacity reduction"))
        }
    }

    @Test func oversizedAndMalformedBodiesAreRefused() async throws {
        let workspace = try jilinWorkspace()
        let app = Application(router: try Workbench(workspace: workspace.path, maxBodyBytes: 1024).router())
        try await app.test(.router) { client in
            let big = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                               body: form([("name", "big"), (thresholdField, String(repeating: "4", count: 2000))]))
            #expect(big.status == .contentTooLarge)
            let malformed = try await client.execute(uri: "/whatif?path=" + jilin, method: .post, headers: formHeaders,
                                                     body: ByteBuffer(string: "name=%zz&\(thresholdField)=45"))
            #expect(malformed.status == .badRequest)
            #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("variants").path))
            let after = try await client.execute(uri: "/", method: .get)
            #expect(after.status == .ok)
        }
    }
}

/// Sends `bytes` to 127.0.0.1:`port` over a plain socket and closes it, reading at most `read` bytes first.
func rawExchange(port: Int, _ bytes: String, read: Bool) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    try #require(connected == 0)
    _ = bytes.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }
    guard read else { return "" }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = recv(fd, &buffer, buffer.count, 0)
    return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
}

@Suite(.serialized, .removesTemporaryFiles) struct WorkbenchLiveTests {
    @Test func theServerSurvivesAMalformedRequestAndAClientThatLeavesMidRun() async throws {
        let workspace = try jilinWorkspace()
        let workbench = try Workbench(workspace: workspace.path)
        let app = Application(router: workbench.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let garbage = try rawExchange(port: port, "\u{1}\u{2}NOT HTTP AT ALL\r\n\r\n", read: true)
            #expect(!garbage.hasPrefix("HTTP/1.1 200"))
            // A what-if posted by a client that hangs up at once, before any answer.
            let body = String(buffer: form([("name", "gone"), (thresholdField, "45")]))
            _ = try rawExchange(port: port, "POST /whatif?path=\(jilin) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
                                read: false)
            let index = try await client.execute(uri: "/", method: .get)
            #expect(index.status == .ok)
            // The job it queued, if the request got that far, still finishes; the server answers throughout.
            for _ in 0..<1200 {
                if case .done? = await workbench.queue.state(of: 1) { break }
                if await workbench.queue.state(of: 1) == nil,
                   !FileManager.default.fileExists(atPath: workspace.appendingPathComponent("variants/web-gone.yaml").path) {
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            if await workbench.queue.state(of: 1) != nil {
                let page = try await finishedJob(client, "/job?id=1")
                #expect(capacityDifference(page, sector: "coal", year: 2020) == "-113")
            }
            let again = try await client.execute(uri: "/scenario?path=" + jilin, method: .get)
            #expect(again.status == .ok)
        }
    }
}
