import CapSimPaths
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a set of files so that each appears whole or not at all: every file is streamed to a
/// temporary name in the target folder first, and only when all are written are they renamed into
/// place (rename is atomic within one file system). On failure the temporaries are removed, and so
/// is the folder if this call created it; a run killed while writing leaves its temporaries, which
/// the next write into that folder removes.
public enum AtomicOutput {
    /// A failure to create the folder or write a file.
    public struct Failure: Error, CustomStringConvertible {
        /// The path that could not be written.
        public var path: String
        /// The system's reason.
        public var reason: String
        /// The system's error number, when there is one.
        public var errorNumber: Int32?
        public var description: String {
            switch errorNumber {
            case ENOSPC?: "no space left on device writing \(path)"
            case EDQUOT?: "disk quota exceeded writing \(path)"
            default: "cannot write \(path): \(reason)"
            }
        }

        /// A failure with the system's reason for `errorNumber`.
        public init(path: String, errorNumber: Int32) {
            self.path = path
            self.errorNumber = errorNumber
            reason = String(cString: strerror(errorNumber))
        }

        /// A failure with a reason of its own.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// The UTF-8 byte-order mark, EF BB BF. Excel on Windows reads a CSV file as the local code
    /// page (GBK on a Chinese system, cp1252 elsewhere) unless the file starts with it, which
    /// garbles facility and enterprise names.
    public static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Temporaries start with this, then the writing process's id: `.capsim-tmp-PID-RANDOM-NAME`.
    public static let temporaryPrefix = ".capsim-tmp-"

    /// One file to write: its name in the folder and the code that streams its bytes.
    public struct Stream {
        /// The file name.
        public var name: String
        /// Writes the contents; may throw to abandon the whole set.
        public var write: (CSVWriter) throws -> Void

        /// A file streamed by `write`.
        public init(name: String, write: @escaping (CSVWriter) throws -> Void) {
            self.name = name
            self.write = write
        }
    }

    /// Writes `files` (name → contents) into `folder`, creating it if needed. With
    /// `csvByteOrderMark`, every file whose name ends in `.csv` starts with the UTF-8 byte-order
    /// mark; other files (JSON, which must not carry one) are written as given.
    public static func write(_ files: [(name: String, contents: String)], to folder: String,
                             csvByteOrderMark: Bool = false) throws {
        try write(files.map { file in Stream(name: file.name) { $0.raw(Array(file.contents.utf8)) } },
                  to: folder, csvByteOrderMark: csvByteOrderMark)
    }

    /// Writes `files` (name → bytes, e.g. rendered images) into `folder`, creating it if needed.
    public static func write(_ files: [(name: String, data: Data)], to folder: String) throws {
        try write(files.map { file in Stream(name: file.name) { $0.raw([UInt8](file.data)) } }, to: folder)
    }

    /// Streams `files` into `folder`, creating it if needed; memory stays that of one buffer per
    /// file whatever the files' length. With `csvByteOrderMark`, `.csv` files start with the mark.
    public static func write(_ files: [Stream], to folder: String, csvByteOrderMark: Bool = false) throws {
        try write(files, to: folder, csvByteOrderMark: csvByteOrderMark, system: .live)
    }

    /// The system calls the writer makes, replaceable in tests to inject failures such as a full disk.
    struct System {
        /// `write(2)`: bytes written, or -1 with `errno` set.
        var write: (Int32, UnsafeRawPointer, Int) -> Int
        static var live: System { System(write: { fd, bytes, n in systemWrite(fd, bytes, n) }) }
    }

    static func write(_ files: [Stream], to folder: String, csvByteOrderMark: Bool, system: System) throws {
        let created = try createFolders(folder)
        removeStaleTemporaries(in: folder)
        let stamp = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var written: [(temp: String, final: String)] = []
        do {
            for file in files {
                let final = folder + "/" + file.name
                let temp = folder + "/" + temporaryPrefix + stamp + "-" + file.name
                let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw Failure(path: final, errorNumber: errno) }
                written.append((temp, final))
                do {
                    let writer = CSVWriter { bytes in try writeAll(bytes, to: fd, path: final, system: system) }
                    if csvByteOrderMark && file.name.hasSuffix(".csv") { writer.raw(utf8ByteOrderMark) }
                    try file.write(writer)
                    try writer.flush()
                    // On disk before the rename, so that a crash cannot leave a renamed empty file.
                    guard fsync(fd) == 0 else { throw Failure(path: final, errorNumber: errno) }
                } catch {
                    close(fd)
                    throw error
                }
                guard close(fd) == 0 else { throw Failure(path: final, errorNumber: errno) }
            }
            for w in written {
                guard rename(w.temp, w.final) == 0 else { throw Failure(path: w.final, errorNumber: errno) }
            }
        } catch {
            for w in written { unlink(w.temp) }
            for dir in created.reversed() { rmdir(dir) }
            throw error
        }
    }

    /// Hands all of `bytes` to `write(2)`, which may take them in parts.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String, system: System) throws {
        guard var at = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = system.write(fd, at, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, errorNumber: errno)
            }
            // A regular file that takes no bytes is full (POSIX allows 0 only then).
            if n == 0 { throw Failure(path: path, errorNumber: ENOSPC) }
            at += n
            left -= n
        }
    }

    /// Creates `folder` and any missing parents; returns those it created, outermost first.
    private static func createFolders(_ folder: String) throws -> [String] {
        var missing: [String] = []
        var path = folder
        while !path.isEmpty && path != "/" && path != "." {
            var info = stat()
            if stat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else { throw Failure(path: path, reason: "it is not a folder") }
                break
            }
            missing.append(path)
            let parent = PathText.folder(of: path)
            if parent == path { break }
            path = parent
        }
        var created: [String] = []
        for dir in missing.reversed() {
            if mkdir(dir, 0o755) == 0 {
                created.append(dir)
            } else if errno != EEXIST {
                let failure = errno
                for d in created.reversed() { rmdir(d) }
                throw Failure(path: dir, errorNumber: failure)
            }
        }
        return created
    }

    /// Removes temporaries left in `folder` by writers that were killed: names with
    /// `temporaryPrefix` whose process is gone. Temporaries of a live writer are left alone.
    static func removeStaleTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(temporaryPrefix) {
            let rest = name.dropFirst(temporaryPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists.
            guard pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + name)
        }
    }
}

/// `write(2)`, named apart from `AtomicOutput.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, bytes, n)
}
