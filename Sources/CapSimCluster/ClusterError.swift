/// A problem with a cluster sweep: bad options, a folder that cannot be written, a Slurm command
/// missing or failing, or a resubmission refused. Its message names what is wrong and where.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, one line per problem.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
