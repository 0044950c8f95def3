import CapSimServer
import Foundation
import Testing

extension RunQueue.State: Equatable {
    public static func == (a: RunQueue.State, b: RunQueue.State) -> Bool {
        switch (a, b) {
        case let (.queued(x), .queued(y)): x == y
        case (.running, .running): true
        case let (.done(x), .done(y)): x.title == y.title
        default: false
        }
    }
}

/// A gate a job waits at until the test opens it.
final class Gate: @unchecked Sendable {
    let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait() }
    func open() { semaphore.signal() }
}

/// Runs one job at a time in order, with the positions of those waiting.
@Suite struct RunQueueTests {
    func outcome(_ title: String) -> WhatIfOutcome { WhatIfOutcome(title: title, html: "", downloads: [:], failed: false) }

    /// The what-if's brief wait gives up after its time while the job runs on, and returns the
    /// outcome when the job ends in time (a task group would wait for the job in both cases).
    @Test func aBriefWaitGivesUpOnTimeAndTheJobRunsOn() async throws {
        let queue = RunQueue()
        let gate = Gate()
        let id = try #require(await queue.submit { gate.wait(); return self.outcome("slow") })
        // The job cannot end before the gate opens: an answer now is the timeout's.
        #expect(await queue.result(of: id, within: 0.2) == nil)
        #expect(await queue.state(of: id) == .running)
        gate.open()
        #expect(await queue.result(of: id, within: 60)?.title == "slow")
        let quick = try #require(await queue.submit { self.outcome("quick") })
        #expect(await queue.result(of: quick, within: 60)?.title == "quick")
    }

    @Test func oneAtATimeInOrderWithPositions() async throws {
        let queue = RunQueue(keptResults: 10, maxQueued: 2)
        let gate = Gate()
        let running = ManagedCount()
        let first = try #require(await queue.submit { running.enter(); gate.wait(); running.leave(); return self.outcome("a") })
        // The first job is taken off the line at once and runs; the next two wait.
        let second = try #require(await queue.submit { running.enter(); running.leave(); return self.outcome("b") })
        let third = try #require(await queue.submit { running.enter(); running.leave(); return self.outcome("c") })
        #expect(await queue.state(of: first) == .running)
        #expect(await queue.state(of: second) == .queued(position: 1))
        #expect(await queue.state(of: third) == .queued(position: 2))
        #expect(await queue.submit { self.outcome("refused") } == nil, "a full line refuses more")
        gate.open()
        #expect(await queue.result(of: third).title == "c")
        #expect(await queue.state(of: first) == .done(outcome("a")))
        #expect(await queue.state(of: second) == .done(outcome("b")))
        #expect(running.maximum == 1)
        #expect(await queue.state(of: 42) == nil)
    }

    @Test func oldResultsAreForgotten() async throws {
        let queue = RunQueue(keptResults: 2, maxQueued: 5)
        var ids: [Int] = []
        for t in ["a", "b", "c"] {
            let id = try #require(await queue.submit { self.outcome(t) })
            ids.append(id)
            _ = await queue.result(of: id)
        }
        #expect(await queue.state(of: ids[0]) == nil)
        #expect(await queue.state(of: ids[2]) == .done(outcome("c")))
    }
}

/// How many jobs run at once, and the most seen.
final class ManagedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var maximum = 0
    func enter() { lock.withLock { now += 1; maximum = max(maximum, now) } }
    func leave() { lock.withLock { now -= 1 } }
}
