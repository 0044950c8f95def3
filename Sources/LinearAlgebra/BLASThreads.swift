import CBLAS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Control of OpenBLAS's own worker threads.
///
/// When capsim runs its own parallel workers, OpenBLAS must run one thread per worker, or its
/// threads compete with the caller's (OpenMathLib/OpenBLAS issue 3187). The count is one setting
/// for the whole process, so every change goes through one lock, and callers that need one BLAS
/// thread for a while take a section (`withSingleThread`) rather than saving and restoring the
/// count themselves: two such callers overlapping would otherwise restore each other's value
/// mid-run.
public enum BLASThreads {
    // Guarded by `lock`.
    nonisolated(unsafe) private static var sections = 0
    nonisolated(unsafe) private static var countOutsideSections = 0
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    private static func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    /// The number of threads OpenBLAS uses for a call now (1 inside a single-thread section).
    public static var count: Int { locked { Int(openblas_get_num_threads()) } }

    /// The count set with `set`, which OpenBLAS uses whenever no single-thread section is open.
    public static var requested: Int {
        locked { sections > 0 ? countOutsideSections : Int(openblas_get_num_threads()) }
    }

    /// Sets the number of OpenBLAS threads (at least 1); while a single-thread section is open it
    /// takes effect when the last one closes.
    public static func set(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1")
        let n = blasInt(count, "threads")
        locked {
            if sections > 0 { countOutsideSections = count } else { openblas_set_num_threads(n) }
        }
    }

    /// Runs `body` with OpenBLAS on one thread; sections may overlap (from any threads), and the
    /// count is restored when the last one ends.
    public static func withSingleThread<T>(_ body: () throws -> T) rethrows -> T {
        locked {
            if sections == 0 {
                countOutsideSections = Int(openblas_get_num_threads())
                openblas_set_num_threads(1)
            }
            sections += 1
        }
        defer {
            locked {
                sections -= 1
                if sections == 0 { openblas_set_num_threads(blasInt(countOutsideSections, "threads")) }
            }
        }
        return try body()
    }
}
