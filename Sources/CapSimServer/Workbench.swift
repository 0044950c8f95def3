import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation
import Hummingbird

/// The planner's workbench: the pages and endpoints over one workspace folder, and the queue
/// that runs the model one job at a time. `router()` gives the routes (tested in-process);
/// `application(host:port:)` the server `capsim serve` starts.
public final class Workbench: Sendable {
    /// The folder served.
    public let workspace: Workspace
    /// Where runs wait their turn.
    public let queue: RunQueue
    /// The sweeps started from the page (one at a time).
    public let sweeps: SweepBoard
    /// Bootstrap resamples of the Sobol' intervals on a sweep's page.
    public let sweepResamples: Int
    /// How long a what-if's request waits for its run before sending the browser to the job's page
    /// (which reloads itself until the run is done), in seconds.
    public let whatIfWait: Double
    /// Largest request body accepted (a what-if form is a few kilobytes).
    public let maxBodyBytes: Int
    /// Where what-if variants are written, relative to the workspace.
    public static let variantFolder = "variants"
    /// Longest variant name accepted.
    public static let maxNameLength = 64
    /// Serialises the writing and checking of variant files, so two forms naming the same variant
    /// never interleave.
    private let writeLock = NSLock()

    /// A workbench over `workspace` (a folder; default the current one).
    public init(workspace folder: String = ".", maxBodyBytes: Int = 64 * 1024, queue: RunQueue = RunQueue(),
                sweeps: SweepBoard = SweepBoard(), sweepResamples: Int = 1000, whatIfWait: Double = 3) throws {
        self.whatIfWait = whatIfWait
        workspace = try Workspace(folder: folder)
        self.maxBodyBytes = maxBodyBytes
        self.queue = queue
        self.sweeps = sweeps
        self.sweepResamples = sweepResamples
    }

    /// The server on `host:port` (127.0.0.1 by default: the data stays on this machine).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "capsim"))
    }

    /// Every route of the workbench.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/") { _, _ in self.index() }
        router.get("/scenario") { request, _ in await self.scenario(request) }
        router.get("/download") { request, _ in await self.download(request) }
        router.get("/file") { request, _ in self.file(request) }
        router.post("/whatif") { request, _ in await self.whatIf(request) }
        router.get("/job") { request, _ in await self.job(request) }
        router.get("/job/download") { request, _ in await self.jobDownload(request) }
        addSweepRoutes(router)
        return router
    }

    // MARK: pages

    func index() -> Response {
        let entries = workspace.entries()
        var html = "<p class=\"muted\">Workspace <code>\(HTML.escape(workspace.root))</code>. Everything runs on this machine.</p>"
        for (kind, heading) in [(Workspace.FileKind.scenario, "Scenarios"), (.variant, "Variants"), (.sweep, "Sweep files")] {
            let list = entries.filter { $0.kind == kind }
            html += "<h2>\(heading)</h2>"
            if list.isEmpty { html += "<p class=\"muted\">none</p>"; continue }
            html += "<ul id=\"\(kind.rawValue)s\">" + list.map { e in
                kind == .sweep
                    ? "<li><a href=\"/sweep?path=\(HTML.query(e.path))\">\(HTML.escape(e.path))</a> "
                        + "<span class=\"muted\">(run, stop and resume it on its page, or with <code>capsim sweep \(HTML.escape(e.path))</code>)</span></li>"
                    : "<li><a href=\"/scenario?path=\(HTML.query(e.path))\">\(HTML.escape(e.path))</a></li>"
            }.joined() + "</ul>"
        }
        return Self.html("capsim workbench", html)
    }

    func scenario(_ request: Request) async -> Response {
        let (relative, real): (String, String)
        switch resolved(request) {
        case let .failure(response): return response
        case let .success(r): (relative, real) = r
        }
        let workspace = self.workspace
        guard let outcome = await queue.perform({ Pages.scenarioPage(path: relative, real: real, workspace: workspace) }) else {
            return busy()
        }
        var html = outcome.html
        if !outcome.failed, Workspace.kind(ofFile: real) == .scenario {
            html += form(relative: relative, real: real, request: nil, fieldErrors: [:], general: "")
        } else if !outcome.failed {
            html += "<p class=\"muted\">The what-if form is on the pages of scenarios without <code>extends:</code>.</p>"
        }
        return Self.html(outcome.title, html, status: outcome.failed ? .unprocessableContent : .ok)
    }

    func download(_ request: Request) async -> Response {
        let (relative, real): (String, String)
        switch resolved(request) {
        case let .failure(response): return response
        case let .success(r): (relative, real) = r
        }
        guard let name = request.uri.queryParameters["file"].map(String.init) else {
            return Self.error(.badRequest, "give ?file=NAME (projections.csv, closures.csv, capacity.svg, …)")
        }
        let workspace = self.workspace
        guard let outcome = await queue.perform({ Pages.scenarioPage(path: relative, real: real, workspace: workspace) }) else {
            return busy()
        }
        guard let file = outcome.downloads[name] else {
            return Self.error(.notFound, "no file '\(name)' for this scenario; it has: " + outcome.downloads.keys.sorted().joined(separator: ", "))
        }
        return Self.attachment(name, file)
    }

    func file(_ request: Request) -> Response {
        switch resolved(request) {
        case let .failure(response): return response
        case let .success((relative, real)):
            guard let handle = FileHandle(forReadingAtPath: real) else { return Self.error(.notFound, "'\(relative)' cannot be read") }
            defer { try? handle.close() }
            let limit = 16 << 20
            guard let data = try? handle.read(upToCount: limit + 1), data.count <= limit else {
                return Self.error(.contentTooLarge, "'\(relative)' is not a file of at most 16 MiB")
            }
            let type = relative.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8"
            return Self.attachment((relative as NSString).lastPathComponent, .init(contentType: type, data: data))
        }
    }

    func job(_ request: Request) async -> Response {
        guard let id = request.uri.queryParameters["id"].flatMap({ Int($0) }), let state = await queue.state(of: id) else {
            return Self.error(.notFound, "no such job (a job number from a what-if; old results are forgotten)")
        }
        switch state {
        case let .queued(position):
            return Self.html("What-if \(id): waiting", "<p id=\"status\">Queued: position \(position) in line (one run at a time). "
                             + "This page reloads itself.</p>", refresh: 1)
        case .running:
            return Self.html("What-if \(id): running", "<p id=\"status\">Running. This page reloads itself.</p>", refresh: 1)
        case let .done(outcome):
            var html = outcome.html
            if !outcome.failed {
                html += "<h2>Downloads</h2><ul id=\"downloads\">" + outcome.downloads.keys.sorted().map {
                    "<li><a href=\"/job/download?id=\(id)&file=\(HTML.query($0))\">\(HTML.escape($0))</a></li>"
                }.joined() + "</ul>"
            }
            return Self.html(outcome.title, "<p id=\"status\">\(outcome.failed ? "Failed" : "Done").</p>" + html)
        }
    }

    func jobDownload(_ request: Request) async -> Response {
        guard let id = request.uri.queryParameters["id"].flatMap({ Int($0) }), case let .done(outcome)? = await queue.state(of: id) else {
            return Self.error(.notFound, "no finished job with that number")
        }
        guard let name = request.uri.queryParameters["file"].map(String.init), let file = outcome.downloads[name] else {
            return Self.error(.notFound, "no such file; this job has: " + outcome.downloads.keys.sorted().joined(separator: ", "))
        }
        return Self.attachment(name, file)
    }

    // MARK: the what-if form

    /// Handles a submitted form: checks it, writes the variant, queues its run, and sends the
    /// browser to the job's page; on bad input shows the form again with each message beside
    /// its field, and runs nothing.
    func whatIf(_ request: Request) async -> Response {
        let (relative, real): (String, String)
        switch resolved(request) {
        case let .failure(response): return response
        case let .success(r): (relative, real) = r
        }
        guard Workspace.kind(ofFile: real) == .scenario else {
            return Self.error(.badRequest, "what-ifs start from a scenario file without extends: ('\(relative)' is not one)")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch {
            return Self.error(.contentTooLarge, "the form is larger than \(maxBodyBytes) bytes: refused")
        }
        guard let fields = Self.formFields(String(buffer: body)) else {
            return Self.error(.badRequest, "the request body is not a form (application/x-www-form-urlencoded)")
        }
        let levers: [Lever]
        do { levers = try LeverCatalogue.levers(ofFile: real) } catch {
            return Self.error(.unprocessableContent, "'\(relative)' cannot be read: \(error)")
        }
        let whatIf = WhatIfRequest(fields: fields, levers: levers)
        switch prepare(whatIf, relative: relative, real: real, levers: levers) {
        case let .invalid(fieldErrors, general):
            return Self.html("What-if: fix the marked fields",
                             form(relative: relative, real: real, request: whatIf, fieldErrors: fieldErrors, general: general),
                             status: .unprocessableContent)
        case let .ready(base, variant, text, path):
            let workspace = self.workspace
            guard let id = await queue.submit({
                Pages.comparisonPage(base: base, variant: variant, variantText: text, variantPath: path, workspace: workspace)
            }) else { return busy() }
            // A what-if that runs at once (Jilin's takes a fraction of a second) is answered with its
            // comparison straight away, rather than after the job page's first one-second reload.
            _ = await queue.result(of: id, within: whatIfWait)
            return Response(status: .seeOther, headers: [.location: "/job?id=\(id)"])
        }
    }

    enum Prepared {
        case invalid([String: String], String)
        case ready(Scenario, Scenario, String, String)
    }

    /// Writes the variant beside a hidden candidate, loads it as `capsim validate` would, and
    /// keeps it (renamed into place, atomically) only when it loads; otherwise maps each located
    /// problem back to the field that wrote its line.
    func prepare(_ whatIf: WhatIfRequest, relative: String, real: String, levers: [Lever]) -> Prepared {
        if whatIf.name.isEmpty || whatIf.name.count > Self.maxNameLength || !Scenario.isValidName(whatIf.name) || whatIf.name.hasPrefix(".") {
            return .invalid(["name": "give a name of 1-\(Self.maxNameLength) letters, digits, '-', '_' or '.' (not starting with '.'); "
                             + "the variant is written to \(Self.variantFolder)/web-NAME.yaml"], "")
        }
        let folder = workspace.root + "/" + Self.variantFolder
        let finalPath = folder + "/web-\(whatIf.name).yaml"
        let candidate = folder + "/\(AtomicOutput.temporaryPrefix)web-\(whatIf.name)-\(UUID().uuidString).yaml"
        let extends = "../" + relative
        let base: Scenario
        do { base = try Scenario.load(path: real) } catch {
            return .invalid([:], "The base scenario does not load:" + Pages.issueList(error, workspace: workspace))
        }
        let variantText = VariantText(request: whatIf, base: base, extends: extends, levers: levers)
        if !variantText.fieldErrors.isEmpty { return .invalid(variantText.fieldErrors, "") }

        writeLock.lock()
        defer { writeLock.unlock() }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // A variants folder that is a link out of the workspace is refused like any such path.
            guard let realFolder = Workspace.realpath(folder), workspace.isInside(realFolder) else {
                return .invalid([:], "<p class=\"err\">\(Self.variantFolder)/ leads outside the workspace: refused</p>")
            }
            try Data(variantText.text.utf8).write(to: URL(fileURLWithPath: candidate))
        } catch {
            try? FileManager.default.removeItem(atPath: candidate)
            return .invalid([:], "<p class=\"err\">cannot write \(HTML.escape(Self.variantFolder))/: \(HTML.escape("\(error)"))</p>")
        }
        var variant: Scenario
        do {
            variant = try Scenario.load(path: candidate)
        } catch {
            try? FileManager.default.removeItem(atPath: candidate)
            var fieldErrors: [String: String] = [:]
            var rest: [ScenarioIssue] = []
            for issue in error.issues {
                if issue.file == candidate, let line = issue.line, let field = variantText.fieldOfLine[line] {
                    let message = (issue.field.map { "\($0): " } ?? "") + issue.message
                    fieldErrors[field] = fieldErrors[field].map { $0 + "; " + message } ?? message
                } else {
                    rest.append(issue)
                }
            }
            let general = rest.isEmpty ? "" : Pages.issueList(ScenarioError(issues: rest), workspace: workspace,
                                                             rename: [candidate: Self.variantFolder + "/web-\(whatIf.name).yaml"])
            return .invalid(fieldErrors, general)
        }
        guard rename(candidate, finalPath) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: candidate)
            return .invalid([:], "<p class=\"err\">cannot write \(HTML.escape(finalPath)): \(HTML.escape(why))</p>")
        }
        variant.file = finalPath
        return .ready(base, variant, variantText.text, finalPath)
    }

    /// The what-if form of the scenario at `real`: every lever, grouped, with unit, default and source.
    func form(relative: String, real: String, request: WhatIfRequest?, fieldErrors: [String: String], general: String) -> String {
        guard let levers = try? LeverCatalogue.levers(ofFile: real) else { return "" }
        let typed = Dictionary((request?.values ?? []).map { ("lever:" + $0.path, $0.text) } + (request?.scales ?? []).map { ("scale:" + $0.path, $0.text) },
                               uniquingKeysWith: { a, _ in a })
        func error(_ field: String) -> String {
            "<span class=\"err\" id=\"err-\(HTML.escape(field))\">\(HTML.escape(fieldErrors[field] ?? ""))</span>"
        }
        var html = "<h2 id=\"whatif\">What if…</h2>" + general
        if !fieldErrors.isEmpty { html += "<p class=\"err\" id=\"form-error\">Nothing was run: fix the marked fields.</p>" }
        html += "<form method=\"post\" action=\"/whatif?path=\(HTML.query(relative))\">"
        html += "<p><label>Name of the what-if <input type=\"text\" name=\"name\" value=\"\(HTML.escape(request?.name ?? "whatif"))\"></label> "
            + "<span class=\"muted\">written to \(Self.variantFolder)/web-NAME.yaml</span> \(error("name"))</p>"
        html += "<p class=\"muted\">Change any value; those left at the scenario's value are not written. A scale multiplies every year of a path.</p>"
        for group in Lever.Group.allCases {
            let list = levers.filter { $0.group == group }
            guard !list.isEmpty else { continue }
            html += "<h3>\(HTML.escape(group.rawValue))</h3><table class=\"lever\"><tr><th>value</th><th></th><th>unit</th><th>default</th><th>source</th><th></th></tr>"
            for lever in list {
                let field = (lever.isScale ? "scale:" : "lever:") + lever.path
                html += "<tr><td><code>\(HTML.escape(lever.path))</code>\(lever.isScale ? " (scale)" : "")</td>"
                    + "<td><input type=\"text\" name=\"\(HTML.escape(field))\" id=\"\(HTML.escape(field))\" value=\"\(HTML.escape(typed[field] ?? lever.value))\"></td>"
                    + "<td>\(HTML.escape(lever.unit))</td><td>\(HTML.escape(lever.value))</td>"
                    + "<td class=\"muted\">\(HTML.escape(lever.source)) (line \(lever.line))</td><td>\(error(field))</td></tr>"
            }
            html += "</table>"
        }
        for (field, message) in fieldErrors.sorted(by: { $0.key < $1.key })
        where field != "name" && !levers.contains(where: { (($0.isScale ? "scale:" : "lever:") + $0.path) == field }) {
            html += "<p class=\"err\">\(HTML.escape(field)): \(HTML.escape(message))</p>"
        }
        return html + "<p><button type=\"submit\" id=\"run\">Run and compare</button></p></form>"
    }

    // MARK: helpers

    /// The `path` query parameter resolved inside the workspace, or the error page.
    func resolved(_ request: Request) -> Resolved {
        guard let path = request.uri.queryParameters["path"].map(String.init) else {
            return .failure(Self.error(.badRequest, "give ?path=FILE, a file of the workspace"))
        }
        do throws(Workspace.PathError) {
            return .success((path, try workspace.resolve(path)))
        } catch {
            return .failure(Self.error(error.outside ? .forbidden : .notFound, error.description))
        }
    }

    /// A request's file: its path as given and its real path, or the refusal to send.
    enum Resolved {
        case success((String, String))
        case failure(Response)
    }

    func busy() -> Response {
        Self.error(.serviceUnavailable, "too many runs are waiting (\(queue.maxQueued)); try again shortly")
    }

    /// Decodes `a=1&b=x+y` (percent escapes, `+` for space); nil when an escape is malformed.
    static func formFields(_ body: String) -> [(String, String)]? {
        var fields: [(String, String)] = []
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let key = decode(kv[0]), let value = kv.count > 1 ? decode(kv[1]) : "" else { return nil }
            fields.append((key, value))
        }
        return fields
    }

    static func html(_ title: String, _ body: String, status: HTTPResponse.Status = .ok, refresh: Int? = nil) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: HTML.page(title, body, refresh: refresh))))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        html("Error \(status.code)", "<p class=\"err\" id=\"error\">\(HTML.escape(message))</p>", status: status)
    }

    static func attachment(_ name: String, _ file: WhatIfOutcome.Download) -> Response {
        let safe = name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        return Response(status: .ok, headers: [.contentType: file.contentType,
                                                .contentDisposition: "attachment; filename=\"\(safe.isEmpty ? "download" : safe)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }
}
