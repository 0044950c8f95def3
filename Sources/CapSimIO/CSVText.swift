import CapSimCore

/// Builds CSV text: fields with a comma, quote or line break are quoted, quotes doubled.
///
/// For small tables (comparisons, sweep summaries, generated inputs). The run's large tables are
/// streamed through `CSVWriter` instead, which writes the same text as bytes.
public struct CSVText {
    /// The text so far.
    public private(set) var text = ""

    /// Starts a table with its header row.
    public init(header: [String]) { append(header) }

    /// Appends one row.
    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    /// One field as CSV. The test is on bytes, not characters: a `\r\n` pair or a quote followed by
    /// a combining mark is one `Character`, and a test on characters would leave them unquoted.
    public static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: CSVWriter.needsQuoting) else { return field }
        return String(decoding: CSVWriter.quoted(Array(field.utf8)), as: UTF8.self)
    }
}

/// Writes CSV as bytes into a fixed buffer that is handed to a sink (a file) whenever it fills, so a
/// table of any length takes the same memory. Numbers are formatted straight into the buffer with
/// the digits `decimalText` gives; no `String` is built per cell.
public final class CSVWriter {
    /// Receives the buffered bytes; throws to stop the table (a full disk, say).
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private let sink: Sink?
    /// Bytes handed to the sink so far.
    public private(set) var bytesFlushed = 0

    /// A writer that hands every `capacity` bytes (or so) to `sink`.
    public init(capacity: Int = 1 << 16, sink: @escaping Sink) {
        self.capacity = max(capacity, 64)
        buffer = .allocate(capacity: self.capacity)
        self.sink = sink
    }

    /// A writer that keeps everything in memory (`bytes`), for tests and small tables.
    public init() {
        capacity = 1 << 12
        buffer = .allocate(capacity: capacity)
        sink = nil
    }

    deinit { buffer.deallocate() }

    /// The bytes not yet handed to a sink (everything, for an in-memory writer).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buffer, count: count)) }

    /// The in-memory text.
    public var text: String { String(decoding: UnsafeBufferPointer(start: buffer, count: count), as: UTF8.self) }

    /// Makes room for `n` more bytes by growing the buffer. With a sink this happens only for a row
    /// longer than the buffer, since `endRow` flushes once the buffer is nearly full.
    @inline(__always)
    private func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let grown = max(capacity * 2, count + n)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        new.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = new
        capacity = grown
    }

    /// Hands the buffered bytes to the sink.
    public func flush() throws {
        guard let sink, count > 0 else { return }
        try sink(UnsafeRawBufferPointer(start: buffer, count: count))
        bytesFlushed += count
        count = 0
    }

    /// Appends raw bytes (already escaped, or not CSV at all).
    public func raw(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        reserve(bytes.count)
        bytes.withUnsafeBufferPointer { (buffer + count).update(from: $0.baseAddress!, count: $0.count) }
        count += bytes.count
    }

    /// Appends one byte.
    @inline(__always)
    public func raw(_ byte: UInt8) {
        reserve(1)
        buffer[count] = byte
        count += 1
    }

    /// Appends a text field, quoted if it must be.
    public func field(_ text: String) {
        raw(Self.escaped(text))
    }

    /// Appends a comma.
    @inline(__always)
    public func comma() { raw(UInt8(ascii: ",")) }

    /// Ends a row, and flushes when the buffer is past its fill mark.
    @inline(__always)
    public func endRow() throws {
        raw(UInt8(ascii: "\n"))
        if sink != nil && count >= capacity - min(512, capacity / 2) { try flush() }
    }

    /// Appends a whole row of text fields.
    public func row(_ fields: [String]) throws {
        for (i, f) in fields.enumerated() {
            if i > 0 { comma() }
            field(f)
        }
        try endRow()
    }

    /// Appends a non-negative or negative integer in decimal.
    public func integer(_ value: Int) {
        if value < 0 {
            raw(UInt8(ascii: "-"))
            unsigned(UInt64(value.magnitude))
        } else {
            unsigned(UInt64(value))
        }
    }

    @inline(__always)
    private func unsigned(_ value: UInt64) {
        reserve(20)
        var v = value, n = 0
        repeat {
            n += 1
            v /= 10
        } while v > 0
        v = value
        var i = count + n - 1
        repeat {
            buffer[i] = UInt8(truncatingIfNeeded: v % 10) + 48
            v /= 10
            i -= 1
        } while v > 0
        count += n
    }

    /// Appends `x` exactly as `decimalText(x, digits:)` writes it.
    public func decimal(_ x: Double, digits: Int) {
        precondition((0...9).contains(digits), "digits must be in 0...9")
        guard x.isFinite else { return raw(Array(decimalText(x, digits: digits).utf8)) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        var whole = abs(x).rounded(.towardZero)
        var fraction = ((abs(x) - whole) * scale).rounded(.toNearestOrAwayFromZero)
        if fraction >= scale {
            whole += 1
            fraction -= scale
        }
        // decimalText multiplies out integers from 9e18 on; that case is rare enough to take as text.
        guard whole < 9.0e18 else { return raw(Array(decimalText(x, digits: digits).utf8)) }
        if x < 0 && (whole > 0 || fraction > 0) { raw(UInt8(ascii: "-")) }
        unsigned(UInt64(whole))
        guard fraction > 0 else { return }
        var f = UInt64(fraction), width = digits
        while f % 10 == 0 {
            f /= 10
            width -= 1
        }
        reserve(width + 1)
        buffer[count] = UInt8(ascii: ".")
        var i = count + width
        for _ in 0..<width {
            buffer[i] = UInt8(truncatingIfNeeded: f % 10) + 48
            f /= 10
            i -= 1
        }
        count += width + 1
    }

    /// Whether a field holding `byte` must be quoted.
    static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// `field` quoted, with its quotes doubled.
    static func quoted(_ field: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(field.count + 2)
        for b in field {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// The bytes of `text` as one CSV field: quoted if it holds a comma, quote or line break.
    /// Callers keep the result for fields that repeat on many rows.
    public static func escaped(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return bytes.contains(where: needsQuoting) ? quoted(bytes) : bytes
    }
}
