import Foundation

/// Reading a scenario's input files (YAML and CSV) as UTF-8 text, with errors that say what the
/// path is when it is not a regular file, and where the first invalid byte is when it is not UTF-8.
///
/// The file type is checked with `stat` before the file is opened: opening a FIFO for reading
/// blocks until a writer appears, and a device can produce bytes for ever.
public enum TextFile {
    /// Why a path cannot be read as text.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Nothing exists at the path.
        case notFound
        /// The path is not a regular file: `kind` says what it is ("a directory", "a FIFO (named pipe)", ...).
        case notAFile(kind: String)
        /// The file exists but could not be read (permissions, I/O error): the system's reason.
        case unreadable(reason: String)
        /// The bytes are not UTF-8: the first invalid byte, its 0-based offset, and its 1-based line.
        case notUTF8(byte: UInt8, offset: Int, line: Int)

        /// The 1-based line of the problem, when it is inside the file.
        public var line: Int? {
            if case let .notUTF8(_, _, line) = self { return line }
            return nil
        }

        /// The problem in words, without the path (callers prefix the location).
        public var description: String {
            switch self {
            case .notFound: return "file not found"
            case let .notAFile(kind): return "is \(kind), not a file"
            case let .unreadable(reason): return "cannot be read: \(reason)"
            case let .notUTF8(byte, offset, _):
                return "not valid UTF-8: byte 0x" + String(byte, radix: 16, uppercase: true)
                    + " at byte offset \(offset) (0-based); save the file as UTF-8"
            }
        }
    }

    /// What kind of thing is at `path` (following symbolic links): nil for a regular file, else a
    /// phrase such as "a directory"; `.notFound` when nothing is there.
    static func kind(of path: String) throws(Failure) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound }
            throw .unreadable(reason: String(cString: strerror(errno)))
        }
        switch info.st_mode & 0o170000 {
        case 0o100000: return nil
        case 0o040000: return "a directory"
        case 0o010000: return "a FIFO (named pipe)"
        case 0o020000: return "a character device"
        case 0o060000: return "a block device"
        case 0o140000: return "a socket"
        default: return "not a regular file"
        }
    }

    /// The text of the regular file at `path`. A leading byte-order mark is kept (CSV drops it).
    public static func read(_ path: String) throws(Failure) -> String {
        if let kind = try kind(of: path) { throw .notAFile(kind: kind) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(reason: (error as NSError).localizedDescription)
        }
        if let (offset, line) = firstInvalidUTF8(data) {
            throw .notUTF8(byte: data[data.startIndex + offset], offset: offset, line: line)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The CSV records of the regular file at `path` (`CSVParser.recordCount`), counted on the
    /// file's mapped bytes before any text is built; nil when it is not a readable regular file
    /// (`read` then says why).
    static func csvRecordCount(_ path: String) -> Int? {
        guard (try? kind(of: path)) == .some(nil),
              let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        else { return nil }
        return data.withUnsafeBytes { CSVParser.recordCount(bytes: $0) }
    }

    /// The 0-based offset and 1-based line of the first byte that is not part of a well-formed
    /// UTF-8 sequence (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above
    /// U+10FFFF), or nil when every byte is.
    static func firstInvalidUTF8(_ data: Data) -> (offset: Int, line: Int)? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> (Int, Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0, line = 1
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c == 0x0A { line += 1 }
                    i += 1
                    continue
                }
                // The allowed range of the second byte depends on the lead byte; the rest are 80...BF.
                let length: Int, second: ClosedRange<UInt8>
                switch c {
                case 0xC2...0xDF: length = 2; second = 0x80...0xBF
                case 0xE0: length = 3; second = 0xA0...0xBF
                case 0xE1...0xEC, 0xEE...0xEF: length = 3; second = 0x80...0xBF
                case 0xED: length = 3; second = 0x80...0x9F
                case 0xF0: length = 4; second = 0x90...0xBF
                case 0xF1...0xF3: length = 4; second = 0x80...0xBF
                case 0xF4: length = 4; second = 0x80...0x8F
                default: return (i, line)
                }
                guard i + 1 < n, second.contains(b[i + 1]) else { return (i, line) }
                for k in 2..<length where i + k >= n || !(0x80...0xBF).contains(b[i + k]) {
                    return (i, line)
                }
                i += length
            }
            return nil
        }
    }
}
