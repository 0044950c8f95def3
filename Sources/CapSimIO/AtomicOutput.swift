import Foundation

/// Writes a set of files so that each appears whole or not at all: every file is written to a
/// temporary name in the target folder first, and only when all are written are they renamed into
/// place (rename is atomic within one file system). On failure the temporaries are removed.
public enum AtomicOutput {
    /// A failure to create the folder or write a file.
    public struct Failure: Error, CustomStringConvertible {
        /// The path that could not be written.
        public var path: String
        /// The system's reason.
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// The UTF-8 byte-order mark, EF BB BF. Excel on Windows reads a CSV file as the local code
    /// page (GBK on a Chinese system, cp1252 elsewhere) unless the file starts with it, which
    /// garbles facility and enterprise names.
    public static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Writes `files` (name → contents) into `folder`, creating it if needed. With
    /// `csvByteOrderMark`, every file whose name ends in `.csv` starts with the UTF-8 byte-order
    /// mark; other files (JSON, which must not carry one) are written as given.
    public static func write(_ files: [(name: String, contents: String)], to folder: String,
                             csvByteOrderMark: Bool = false) throws {
        try write(files.map { file in
            var bytes = Data(file.contents.utf8)
            if csvByteOrderMark && file.name.hasSuffix(".csv") { bytes.insert(contentsOf: utf8ByteOrderMark, at: 0) }
            return (name: file.name, data: bytes)
        }, to: folder)
    }

    /// Writes `files` (name → bytes, e.g. rendered images) into `folder`, creating it if needed.
    public static func write(_ files: [(name: String, data: Data)], to folder: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: folder, reason: error.localizedDescription)
        }
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        var written: [(temp: String, final: String)] = []
        do {
            for file in files {
                let final = folder + "/" + file.name
                let temp = folder + "/." + file.name + ".tmp-" + stamp
                guard fm.createFile(atPath: temp, contents: file.data) else {
                    throw Failure(path: final, reason: "the file could not be created")
                }
                written.append((temp, final))
            }
            for w in written {
                guard rename(w.temp, w.final) == 0 else {
                    throw Failure(path: w.final, reason: String(cString: strerror(errno)))
                }
            }
        } catch {
            for w in written { try? fm.removeItem(atPath: w.temp) }
            throw error
        }
    }
}
