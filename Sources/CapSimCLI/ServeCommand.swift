import ArgumentParser
import CapSimServer
import Foundation
import Hummingbird

/// `capsim serve`: the planner's workbench, a local web page over a workspace folder.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the workbench: scenario pages, what-if form, comparisons and downloads.",
        discussion: """
            A local web server (bound to 127.0.0.1 unless --host says otherwise) over the \
            workspace folder: it lists the scenarios, variants and sweep files under it, shows \
            each scenario's summary, tables and charts, and runs what-ifs written from a form \
            into WORKSPACE/variants/web-NAME.yaml, compared with their base. Nothing leaves the \
            machine: the pages load no external asset. Stop it with Ctrl-C. See docs/SERVER.md.

            Examples:
              capsim serve
                  Serve the current folder (Scenarios/ is there) on http://127.0.0.1:8080/.
              capsim serve --port 8090 --workspace Scenarios/jilin-2016
                  Another folder, another port.
            """)

    @Option(name: .long, help: "TCP port to listen on.")
    var port: Int = 8080

    @Option(name: .long, help: "The folder whose scenarios are served (and where variants are written).")
    var workspace: String = "."

    @Option(name: .long, help: "Address to bind; 127.0.0.1 keeps the page on this machine.")
    var host: String = "127.0.0.1"

    public init() {}

    public func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535, got \(port)") }
    }

    public func run() throws {
        let workbench: Workbench
        do {
            workbench = try Workbench(workspace: workspace)
        } catch {
            printError("error: --workspace \(error)")
            throw ExitCode(1)
        }
        print("capsim workbench on http://\(host):\(port)/ serving \(workbench.workspace.root) (Ctrl-C stops it)")
        let app = workbench.application(host: host, port: port)
        // The command tree is synchronous; the server runs on Swift's concurrency pool meanwhile.
        let done = DispatchSemaphore(value: 0)
        let failure = LockedBox<Error?>(nil)
        Task {
            do { try await app.runService() } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let error = failure.get() {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// A value shared between the server task and the waiting command thread.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func set(_ v: T) { lock.withLock { value = v } }
    func get() -> T { lock.withLock { value } }
}
