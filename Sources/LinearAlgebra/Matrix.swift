/// A dense matrix of `Double` stored column-major in one flat buffer.
///
/// A value type: copies share storage until one is written (copy-on-write of `Array`), so no two
/// scenarios or threads ever share mutable state through a matrix.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// Elements, column-major: element (i, j) is at `i + j * rowCount`.
    public var elements: [Double] { storage }
    /// The flat buffer; its count is always `rowCount * columnCount`.
    @usableFromInline var storage: [Double]

    /// A matrix filled with `value`.
    public init(rowCount: Int, columnCount: Int, repeating value: Double = 0) {
        precondition(rowCount >= 0 && columnCount >= 0, "matrix shape must be non-negative")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = Array(repeating: value, count: rowCount * columnCount)
    }

    /// A matrix over existing column-major elements.
    public init(rowCount: Int, columnCount: Int, columnMajor elements: [Double]) {
        precondition(rowCount >= 0 && columnCount >= 0, "matrix shape must be non-negative")
        precondition(elements.count == rowCount * columnCount,
                     "expected \(rowCount * columnCount) elements, got \(elements.count)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = elements
    }

    /// A matrix from rows, for tests and small literals.
    public init(rows: [[Double]]) {
        let r = rows.count
        let c = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == c }, "rows must have equal length")
        var m = Matrix(rowCount: r, columnCount: c)
        for i in 0..<r { for j in 0..<c { m[i, j] = rows[i][j] } }
        self = m
    }

    /// Element at row `i`, column `j`.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount, "index out of range")
            return storage[i + j * rowCount]
        }
        set {
            precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount, "index out of range")
            storage[i + j * rowCount] = newValue
        }
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columnCount, "column out of range")
        return Array(storage[(j * rowCount)..<((j + 1) * rowCount)])
    }

    /// Sets every element to `value`, keeping the shape.
    public mutating func fill(_ value: Double) {
        for k in storage.indices { storage[k] = value }
    }

    /// Scoped read access to the flat buffer; the pointer must not escape.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Scoped write access to the flat buffer; the pointer must not escape.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}
