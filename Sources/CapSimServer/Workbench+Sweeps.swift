import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation
import Hummingbird

/// The sweep routes: a sweep file's page with its live progress, start, stop, resume, results and downloads.
extension Workbench {
    /// Where the page's sweep stores go, relative to the workspace.
    public static let storeFolder = "runs"

    func addSweepRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/sweep") { request, _ in self.sweepPage(request) }
        router.get("/sweep/progress") { request, _ in self.sweepProgress(request) }
        router.post("/sweep/start") { request, _ in self.sweepAction(request, resume: false) }
        router.post("/sweep/resume") { request, _ in self.sweepAction(request, resume: true) }
        router.post("/sweep/stop") { request, _ in self.sweepStop(request) }
        router.get("/sweep/download") { request, _ in self.sweepDownload(request) }
    }

    /// The store of the sweep file at `relative`: `runs/` + the path with `/` as `-`, `.sqlite`.
    static func storeRelative(_ relative: String) -> String {
        var stem = relative
        for ext in [".yaml", ".yml"] where stem.hasSuffix(ext) { stem.removeLast(ext.count) }
        return storeFolder + "/" + stem.split(separator: "/").joined(separator: "-") + ".sqlite"
    }

    /// What a sweep's store holds.
    enum StoreState {
        case absent
        case partial(Int)
        case complete
        /// Another sweep's store (or a damaged one): the reason.
        case unusable(String)
    }

    /// A loaded sweep file: its runner, its store's path and state.
    struct SweepContext {
        var relative: String
        var runner: SweepRunner
        var storeRelative: String
        var storePath: String
        var state: StoreState
    }

    /// Loads the sweep file the request names, or the page to send instead.
    func sweepContext(_ request: Request) -> Result<SweepContext, SweepResponse> {
        let (relative, real): (String, String)
        switch resolved(request) {
        case let .failure(response): return .failure(SweepResponse(response))
        case let .success(r): (relative, real) = r
        }
        guard Workspace.kind(ofFile: real) == .sweep else {
            return .failure(SweepResponse(Self.error(.badRequest, "'\(relative)' is not a sweep file (it needs scenario: and parameters:)")))
        }
        let runner: SweepRunner
        do {
            let spec = try SweepSpec.load(path: real)
            // The sweep's scenario and tables must be workspace files, like every file a page reads.
            for file in spec.base.chain + spec.base.facilityTables + spec.base.enterpriseTables {
                guard let r = Workspace.realpath(file), workspace.isInside(r) else {
                    return .failure(SweepResponse(Self.error(.forbidden, "'\(relative)' reads \(file), outside the workspace: refused")))
                }
            }
            runner = try SweepRunner(spec: spec)
        } catch {
            return .failure(SweepResponse(Self.html("Sweep \(relative) does not load",
                                                    "<p class=\"err\">The sweep file does not load; <code>capsim sweep</code> says:</p>"
                                                        + Pages.issueList(error, workspace: workspace),
                                                    status: .unprocessableContent)))
        }
        let storeRelative = Self.storeRelative(relative)
        let storePath = workspace.root + "/" + storeRelative
        return .success(SweepContext(relative: relative, runner: runner, storeRelative: storeRelative, storePath: storePath,
                                     state: sweeps.running == relative ? .partial(0) : Self.storeState(storePath, runner: runner)))
    }

    /// A response carried in a `Result`'s failure.
    struct SweepResponse: Error {
        var response: Response
        init(_ response: Response) { self.response = response }
    }

    static func storeState(_ path: String, runner: SweepRunner) -> StoreState {
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        do {
            let store = try SweepStore.read(path: path)
            defer { try? store.close() }
            guard store.layout == runner.layout else {
                return .unusable("holds another sweep (was the sweep file or its scenario changed?); "
                                 + "remove it or run the changed sweep into another store")
            }
            let n = try store.completed().count
            return n >= runner.experimentCount ? .complete : .partial(n)
        } catch {
            return .unusable("\(error)")
        }
    }

    /// The progress the page shows: the live one while the page runs the sweep, else the store's.
    func progress(_ context: SweepContext) -> SweepBoard.Progress {
        if let live = sweeps.progress(context.relative), sweeps.running == context.relative || live.phase == .failed {
            return live
        }
        let total = context.runner.experimentCount
        let last = sweeps.progress(context.relative)
        switch context.state {
        case .absent: return .init(phase: .idle, stored: 0, total: total, rate: 0, secondsLeft: nil, message: "")
        case let .partial(n): return .init(phase: .stopped, stored: n, total: total, rate: last?.rate ?? 0, secondsLeft: nil, message: "")
        case .complete: return .init(phase: .done, stored: total, total: total, rate: last?.rate ?? 0, secondsLeft: 0, message: "")
        case let .unusable(why):
            return .init(phase: .failed, stored: 0, total: total, rate: 0, secondsLeft: nil, message: "\(context.storeRelative): \(why)")
        }
    }

    func sweepProgress(_ request: Request) -> Response {
        // While the sweep runs, its progress comes from memory: the store is not opened.
        if let path = request.uri.queryParameters["path"].map(String.init), sweeps.running == path, let live = sweeps.progress(path) {
            return Self.json(live)
        }
        switch sweepContext(request) {
        case let .failure(r): return r.response
        case let .success(context): return Self.json(progress(context))
        }
    }

    static func json(_ progress: SweepBoard.Progress) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(progress)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func sweepAction(_ request: Request, resume: Bool) -> Response {
        let context: SweepContext
        switch sweepContext(request) {
        case let .failure(r): return r.response
        case let .success(c): context = c
        }
        if sweeps.running == context.relative { return Self.error(.conflict, "this sweep is already running") }
        var stored = 0
        switch (context.state, resume) {
        case let (.unusable(why), _):
            return Self.error(.conflict, "\(context.storeRelative) \(why)")
        case (.complete, _):
            return Self.error(.conflict, "every experiment is already stored in \(context.storeRelative): nothing to run")
        case let (.partial(n), false):
            return Self.error(.conflict, "\(context.storeRelative) already holds \(n) of \(context.runner.experimentCount) experiments: resume it")
        case (.absent, true):
            return Self.error(.conflict, "nothing to resume: \(context.storeRelative) does not exist yet; start the sweep")
        case let (.partial(n), true):
            stored = n
        case (.absent, false):
            break
        }
        let folder = workspace.root + "/" + Self.storeFolder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return Self.error(.internalServerError, "cannot create \(Self.storeFolder)/: \(error)")
        }
        guard let realFolder = Workspace.realpath(folder), workspace.isInside(realFolder) else {
            return Self.error(.forbidden, "\(Self.storeFolder)/ leads outside the workspace: refused")
        }
        do throws(SweepBoard.Refusal) {
            try sweeps.start(context.relative, runner: context.runner, storePath: context.storePath, stored: stored)
        } catch {
            return Self.error(.conflict, error.description)
        }
        return Response(status: .seeOther, headers: [.location: "/sweep?path=\(HTML.query(context.relative))"])
    }

    func sweepStop(_ request: Request) -> Response {
        guard let path = request.uri.queryParameters["path"].map(String.init) else {
            return Self.error(.badRequest, "give ?path=FILE, a sweep file of the workspace")
        }
        if case let .failure(response) = resolved(request) { return response }
        do throws(SweepBoard.Refusal) {
            try sweeps.stop(path)
        } catch {
            return Self.error(.conflict, error.description)
        }
        return Response(status: .seeOther, headers: [.location: "/sweep?path=\(HTML.query(path))"])
    }

    /// The results of a complete store (cached until the store file changes).
    func sweepResults(_ context: SweepContext) -> SweepResults? {
        guard case .complete = context.state, sweeps.running != context.relative else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: context.storePath)
        let stamp = "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)-\(attributes?[.size] ?? 0)"
        return sweeps.results(context.relative, stamp: stamp) {
            do {
                let store = try SweepStore.read(path: context.storePath)
                defer { try? store.close() }
                return SweepResults.compute(runner: context.runner, store: store, resamples: sweepResamples)
            } catch {
                return SweepResults(html: "<p class=\"err\">\(HTML.escape("\(error)"))</p>", downloads: [:])
            }
        }
    }

    func sweepDownload(_ request: Request) -> Response {
        let context: SweepContext
        switch sweepContext(request) {
        case let .failure(r): return r.response
        case let .success(c): context = c
        }
        guard let results = sweepResults(context) else {
            return Self.error(.notFound, "the sweep is not finished: its results are downloadable once every experiment is stored")
        }
        guard let name = request.uri.queryParameters["file"].map(String.init), let file = results.downloads[name] else {
            return Self.error(.notFound, "no such file; this sweep has: " + results.downloads.keys.sorted().joined(separator: ", "))
        }
        return Self.attachment(name, file)
    }

    func sweepPage(_ request: Request) -> Response {
        let context: SweepContext
        switch sweepContext(request) {
        case let .failure(r): return r.response
        case let .success(c): context = c
        }
        let spec = context.runner.spec
        let p = progress(context)
        let q = HTML.query(context.relative)
        var html = "<p class=\"muted\">\(HTML.escape(context.relative)) · <a href=\"/file?path=\(q)\">the sweep file</a> · "
            + "\(HTML.escape(spec.design.name)): \(context.runner.design.count) points × \(spec.policies.count) "
            + "\(spec.policies.count == 1 ? "policy" : "policies") = \(context.runner.experimentCount) experiments · seed \(spec.seed)</p>"
        html += "<p>Parameters: " + spec.parameters.map { "<code>\(HTML.escape($0.name))</code> (\(HTML.escape($0.canonicalPath)))" }
            .joined(separator: ", ") + ". Outcomes: " + spec.outcomes.map { "<code>\(HTML.escape($0.name))</code>" }.joined(separator: ", ") + ".</p>"
        html += "<p class=\"muted\">Store <code>\(HTML.escape(context.storeRelative))</code>; the same sweep from the command line "
            + "(in the workspace): <code>capsim sweep \(HTML.escape(context.relative)) --store \(HTML.escape(context.storeRelative))</code></p>"
        html += "<div id=\"sweep-progress\" data-phase=\"\(p.phase.rawValue)\"><p><b id=\"phase\">\(p.phase.rawValue)</b> · "
            + "<span id=\"stored\">\(p.stored)</span> of <span id=\"total\">\(p.total)</span> experiments stored · "
            + "<span id=\"rate\">\(HTML.number(p.rate, digits: 0))</span> experiments/s · "
            + "<span id=\"left\">\(p.secondsLeft.map { HTML.number($0, digits: 0) } ?? "?")</span> s left</p>"
            + "<progress id=\"bar\" max=\"\(max(1, p.total))\" value=\"\(p.stored)\"></progress>"
            + "<p class=\"err\" id=\"sweep-message\">\(HTML.escape(p.message))</p></div>"
        func button(_ action: String, _ label: String) -> String {
            "<form method=\"post\" action=\"/sweep/\(action)?path=\(q)\" style=\"display:inline\">"
                + "<button type=\"submit\" id=\"\(action)\">\(label)</button></form> "
        }
        html += "<p>"
        switch p.phase {
        case .idle: html += button("start", "Start the sweep")
        case .running, .stopping: html += button("stop", "Stop")
        case .stopped: html += button("resume", "Resume")
        case .failed:
            if case .partial = context.state { html += button("resume", "Resume") }
            if case .absent = context.state { html += button("start", "Start the sweep") }
        case .done: break
        }
        html += "</p>"
        if let running = sweeps.running, running != context.relative {
            html += "<p class=\"muted\">The sweep <a href=\"/sweep?path=\(HTML.query(running))\">\(HTML.escape(running))</a> is running; one runs at a time.</p>"
        }
        if let results = sweepResults(context) {
            html += results.html
            html += "<h3>Downloads</h3><ul id=\"downloads\">" + results.downloads.keys.sorted().map {
                "<li><a href=\"/sweep/download?path=\(q)&file=\(HTML.query($0))\">\(HTML.escape($0))</a></li>"
            }.joined() + "</ul>"
        }
        // Live progress: the page polls the JSON while the sweep runs and reloads when it ends.
        if p.phase == .running || p.phase == .stopping {
            html += """
                <script>
                (function(){
                  const url = "/sweep/progress?path=\(q)";
                  const start = "\(p.phase.rawValue)";
                  async function poll(){
                    try {
                      const r = await fetch(url, {cache: "no-store"});
                      const j = await r.json();
                      document.getElementById("phase").textContent = j.phase;
                      document.getElementById("stored").textContent = j.stored;
                      document.getElementById("rate").textContent = Math.round(j.rate);
                      document.getElementById("left").textContent = j.secondsLeft == null ? "?" : Math.round(j.secondsLeft);
                      document.getElementById("bar").value = j.stored;
                      document.getElementById("sweep-progress").dataset.phase = j.phase;
                      if (j.phase !== "running" && j.phase !== "stopping") { location.reload(); return; }
                    } catch (e) {}
                    setTimeout(poll, 400);
                  }
                  setTimeout(poll, 400);
                })();
                </script>
                """
        }
        return Self.html("Sweep \(context.relative)", html)
    }
}
