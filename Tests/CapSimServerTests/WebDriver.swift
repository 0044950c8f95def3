import Foundation

/// A headless Chromium driven over WebDriver (W3C, plain HTTP and JSON to chromedriver), for the
/// workbench's end-to-end test. chromedriver is started on a free port and stopped with `quit()`.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// chromedriver, from `CAPSIM_CHROMEDRIVER` or the Debian package's path; nil when absent.
    static var chromedriver: String? {
        let candidates = [ProcessInfo.processInfo.environment["CAPSIM_CHROMEDRIVER"], "/usr/bin/chromedriver"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The browser, from `CAPSIM_CHROMIUM` or the Debian package's path.
    static var chromium: String? {
        let candidates = [ProcessInfo.processInfo.environment["CAPSIM_CHROMIUM"], "/usr/bin/chromium"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var available: Bool { chromedriver != nil && chromium != nil }

    private let pid: pid_t
    private let port: Int
    private var session = ""

    /// Starts chromedriver and a headless browser session with a `width`×`height` window.
    init(width: Int = 1200, height: Int = 1700) async throws {
        guard let driver = Self.chromedriver, let browser = Self.chromium else {
            throw Failure(description: "chromedriver or chromium not found")
        }
        port = try Self.freePort()
        pid = try Self.spawn(driver, ["--port=\(port)"])
        var ready = false
        var last = ""
        for _ in 0..<100 where !ready {
            do {
                let status = try await request("GET", "/status")
                ready = (status["value"] as? [String: Any])?["ready"] as? Bool == true
                last = "\(status)"
            } catch {
                last = "\(error)"
            }
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard ready else {
            Self.stop(pid)
            throw Failure(description: "chromedriver did not become ready on port \(port): \(last)")
        }
        // Root (as in CI) needs --no-sandbox; --headless=new is Chromium's current headless mode.
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": browser,
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                            "--window-size=\(width),\(height)", "--hide-scrollbars"]],
        ]]]
        do {
            let created = try await request("POST", "/session", capabilities)
            guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
                throw Failure(description: "no session: \(created)")
            }
            session = id
        } catch {
            Self.stop(pid)
            throw error
        }
    }

    /// Ends the session and stops chromedriver (and so the browser).
    func quit() async {
        if !session.isEmpty { _ = try? await request("DELETE", "/session/\(session)") }
        Self.stop(pid)
    }

    /// Starts `executable` in a process group of its own, its output discarded, with no signal
    /// blocked (a child inherits the blocked signals of the test process, and would then ignore SIGTERM).
    static func spawn(_ executable: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        return pid
    }

    /// Stops the process group of `pid` (chromedriver and the browsers it started) and reaps it.
    static func stop(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(-pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    func open(_ url: String) async throws { _ = try await command("POST", "/url", ["url": url]) }

    /// The element matching a CSS selector (its WebDriver reference).
    func element(_ css: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": css])
        guard let object = value as? [String: Any], let id = object.first(where: { $0.key.hasPrefix("element-") })?.value as? String else {
            throw Failure(description: "no element \(css): \(value)")
        }
        return id
    }

    func clear(_ element: String) async throws { _ = try await command("POST", "/element/\(element)/clear", [:]) }
    func type(_ element: String, _ text: String) async throws { _ = try await command("POST", "/element/\(element)/value", ["text": text]) }
    func click(_ element: String) async throws { _ = try await command("POST", "/element/\(element)/click", [:]) }
    func text(_ element: String) async throws -> String { try await command("GET", "/element/\(element)/text") as? String ?? "" }

    /// Runs `script` in the page; returns its result.
    func script(_ script: String) async throws -> Any {
        try await command("POST", "/execute/sync", ["script": script, "args": [Any]()])
    }

    /// Polls `script` until it returns a value accepted by `done` (at most `timeout` seconds).
    func wait(_ script: String, timeout: Double = 120, until done: (Any) -> Bool) async throws -> Any {
        let end = Date().addingTimeInterval(timeout)
        var last: Any = NSNull()
        while Date() < end {
            // A page that is being replaced answers with an error: try again.
            if let value = try? await self.script(script) {
                last = value
                if done(value) { return value }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "timed out waiting for \(script); last value \(last)")
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        guard let base64 = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        let answer = try await request(method, "/session/\(session)" + path, body)
        let value = answer["value"] ?? NSNull()
        if let object = value as? [String: Any], let error = object["error"] as? String {
            throw Failure(description: "\(method) \(path): \(error): \(object["message"] ?? "")")
        }
        return value
    }

    private func request(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let port = self.port
        // On a GCD thread: the exchange blocks, and Swift's cooperative threads must stay free for
        // the server under test.
        let data: Data = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.exchange(port: port, method: method, path: path, body: payload) })
            }
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(method) \(path): not a JSON object")
        }
        return object
    }

    /// One HTTP/1.1 request on its own connection (`Connection: close`); the response body.
    ///
    /// A plain socket rather than URLSession: corelibs Foundation's URLSession fails on
    /// chromedriver's answers ("Failed writing header"), whose header lines have no space after the colon.
    static func exchange(port: Int, method: String, path: String, body: Data) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to chromedriver on port \(port)") }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let request = Data(head.utf8) + body
        var sent = 0
        try request.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                guard n > 0 else { throw Failure(description: "send to chromedriver failed") }
                sent += n
            }
        }
        // chromedriver keeps the connection open whatever the request says: read to Content-Length.
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        var bodyStart = 0
        while expected.map({ response.count < bodyStart + $0 }) ?? true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw Failure(description: "no (whole) answer from chromedriver to \(method) \(path)") }
            response.append(contentsOf: buffer[..<n])
            if expected == nil, let split = response.firstRange(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
                let length = header.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                guard let length else { throw Failure(description: "chromedriver answered without Content-Length") }
                expected = length
                bodyStart = split.upperBound - response.startIndex
            }
        }
        return response.subdata(in: (response.startIndex + bodyStart)..<(response.startIndex + bodyStart + (expected ?? 0)))
    }

    /// A TCP port nobody listens on now (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
