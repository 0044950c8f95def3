import CBLAS

/// Control of OpenBLAS's own worker threads.
///
/// When capsim runs its own parallel workers, OpenBLAS must run one thread per worker, or its
/// threads compete with the caller's (OpenMathLib/OpenBLAS issue 3187).
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for a call.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads (at least 1).
    public static func set(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1")
        openblas_set_num_threads(blasInt(count, "threads"))
    }
}
