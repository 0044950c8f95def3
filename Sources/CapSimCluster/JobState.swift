/// A Slurm job's (or array task's) state as `squeue` or `sacct` report it.
public struct JobState: Sendable, Equatable, CustomStringConvertible {
    /// The state's name in capitals: `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, ...
    public var name: String
    /// Why it waits or how it ended, when the scheduler says (`Dependency`,
    /// `DependencyNeverSatisfied`, `by 0` after a cancel).
    public var reason: String?

    /// Creates a state.
    public init(name: String, reason: String? = nil) {
        self.name = name
        self.reason = reason
    }

    /// States of a job that has not started yet.
    static let waiting: Set<String> = ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD"]
    /// States of a job that has started and not ended (a cancelled job is `COMPLETING` until its
    /// processes are gone).
    static let started: Set<String> = ["RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "RESIZING", "SIGNALING",
                                       "STAGE_OUT", "STOPPED"]

    /// Not started yet.
    public var isWaiting: Bool { Self.waiting.contains(name) }
    /// Queued or running: the job may still write its store.
    public var isActive: Bool { isWaiting || Self.started.contains(name) }
    /// Ended with exit status 0.
    public var isCompleted: Bool { name == "COMPLETED" }
    /// Waiting for a dependency that can no longer be met (a job it depends on failed).
    public var isStuck: Bool { isWaiting && reason == "DependencyNeverSatisfied" }

    public var description: String { name + (reason.map { " (\($0))" } ?? "") }
}
