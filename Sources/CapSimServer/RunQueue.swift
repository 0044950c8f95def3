import Foundation

/// Runs model work one piece at a time, in the order it was asked for: the machine's cores go to
/// one run, and a second what-if waits in line, its place shown on its page.
///
/// Work runs on a dedicated thread (not Swift's cooperative pool), so a long run never holds up
/// the server's request handling; a job does not depend on its client, so a client that goes away
/// mid-run changes nothing but that nobody reads the result.
public actor RunQueue {
    /// Where a job is.
    public enum State: Sendable {
        /// Waiting; `position` 1 is next.
        case queued(position: Int)
        /// Running now.
        case running
        /// Finished: a page of results, or the reason it failed.
        case done(WhatIfOutcome)
    }

    private struct Job {
        var id: Int
        var work: @Sendable () -> WhatIfOutcome
    }

    private var pending: [Job] = []
    private var runningID: Int?
    private var finished: [Int: WhatIfOutcome] = [:]
    private var finishedOrder: [Int] = []
    private var waiters: [Int: [CheckedContinuation<WhatIfOutcome, Never>]] = [:]
    private var nextID = 1
    private var working = false
    /// Finished jobs kept for their pages; older ones are forgotten.
    public let keptResults: Int
    /// At most this many jobs may wait; a further one is refused (the page says so).
    public let maxQueued: Int

    /// A queue keeping `keptResults` finished jobs and refusing work beyond `maxQueued` waiting.
    public init(keptResults: Int = 100, maxQueued: Int = 20) {
        self.keptResults = keptResults
        self.maxQueued = maxQueued
    }

    /// Adds `work` at the end of the line; returns its job number, or nil when the line is full.
    public func submit(_ work: @escaping @Sendable () -> WhatIfOutcome) -> Int? {
        guard pending.count < maxQueued else { return nil }
        let id = nextID
        nextID += 1
        pending.append(Job(id: id, work: work))
        startIfIdle()
        return id
    }

    /// Runs `work` in turn and waits for it (for pages that need a run to show anything).
    public func perform(_ work: @escaping @Sendable () -> WhatIfOutcome) async -> WhatIfOutcome? {
        guard let id = submit(work) else { return nil }
        return await result(of: id)
    }

    /// Waits until job `id` is done.
    public func result(of id: Int) async -> WhatIfOutcome {
        if let done = finished[id] { return done }
        return await withCheckedContinuation { waiters[id, default: []].append($0) }
    }

    /// Waits for job `id` at most `seconds`; its outcome, or nil when it is still queued or running
    /// (a waiter left behind is resumed, unheard, when the job ends).
    public nonisolated func result(of id: Int, within seconds: Double) async -> WhatIfOutcome? {
        // Not a task group: a group waits for all its children, and the waiter cannot be cancelled.
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.set(continuation)
            Task { first.resume(await self.result(of: id)) }
            Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                first.resume(nil)
            }
        }
    }

    /// Where job `id` is; nil for a number never given out or forgotten.
    public func state(of id: Int) -> State? {
        if let done = finished[id] { return .done(done) }
        if runningID == id { return .running }
        if let i = pending.firstIndex(where: { $0.id == id }) { return .queued(position: i + 1) }
        return nil
    }

    /// How many jobs wait (not counting the one running).
    public var waiting: Int { pending.count }

    private func startIfIdle() {
        guard !working, !pending.isEmpty else { return }
        working = true
        let job = pending.removeFirst()
        runningID = job.id
        let thread = Thread { [job] in
            let outcome = job.work()
            Task { await self.finish(job.id, outcome) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func finish(_ id: Int, _ outcome: WhatIfOutcome) {
        finished[id] = outcome
        finishedOrder.append(id)
        if finishedOrder.count > keptResults { finished[finishedOrder.removeFirst()] = nil }
        runningID = nil
        working = false
        for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: outcome) }
        startIfIdle()
    }
}

/// A continuation resumed by the first of two answers; the later one is dropped.
private final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<WhatIfOutcome?, Never>?
    func set(_ c: CheckedContinuation<WhatIfOutcome?, Never>) { lock.withLock { continuation = c } }
    func resume(_ value: WhatIfOutcome?) {
        let c: CheckedContinuation<WhatIfOutcome?, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume(returning: value)
    }
}
