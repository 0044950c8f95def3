/// Narrows a Swift `Int` to BLAS/LAPACK's 32-bit integer, trapping with a message if it does not fit.
///
/// OpenBLAS on Debian uses 32-bit integers (LP64 interface); a silent truncation would make BLAS
/// read the wrong memory.
@usableFromInline
func blasInt(_ value: Int, _ what: StaticString) -> Int32 {
    guard let narrowed = Int32(exactly: value) else {
        preconditionFailure("\(what) = \(value) does not fit BLAS's 32-bit integer")
    }
    return narrowed
}
