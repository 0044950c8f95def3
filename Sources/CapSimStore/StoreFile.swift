import CapSimPaths
import Foundation
import GRDB

/// File-system facts about a store: its folder, its writer's lock, who else holds it, and how a
/// reader opens it.
enum StoreFile {
    /// A `file:` URI for SQLite (the system library is built with URI support), with the query
    /// parameters `query`; the path is percent-encoded so `?`, `#` and `%` in names stay names.
    static func uri(_ path: String, _ query: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?" + query
    }

    /// The name a new store is built under before it is linked into place: hidden, in the same
    /// folder (so the link is on one file system), unique to this process.
    static func creatingName(_ path: String) -> String {
        let (folder, name) = PathText.split(path)
        return folder + "/." + name + ".creating-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes what killed runs left while creating `path`: temporary stores nobody holds any
    /// more (a live creator holds its temporary file's lock, so it is left alone).
    static func removeStaleCreations(_ path: String) {
        let (folder, name) = PathText.split(path)
        let prefix = "." + name + ".creating-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var store = stat()
        let storeExists = stat(path, &store) == 0
        for entry in entries where entry.hasPrefix(prefix) && !entry.hasSuffix("-wal") && !entry.hasSuffix("-shm") {
            let file = folder + "/" + entry
            var st = stat()
            // A kill between linking the new store into place and removing its temporary name leaves
            // a second name of the store itself: drop the name without opening the file (closing a
            // descriptor of a file drops this process's SQLite locks on it).
            if storeExists && stat(file, &st) == 0 && st.st_dev == store.st_dev && st.st_ino == store.st_ino {
                unlink(file)
                continue
            }
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                for suffix in ["-wal", "-shm", ""] { unlink(file + suffix) }
            }
            close(fd)
        }
    }

    /// The processes other than this one that hold a lock on `path` (a capsim writer's `flock`) or
    /// on its `-shm` file (SQLite's locks in WAL mode), with their command names, from
    /// `/proc/locks`; empty where that file does not exist.
    static func holders(of path: String) -> [(pid: Int32, name: String?)] {
        guard let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [] }
        var ids: Set<String> = []
        for file in [path, path + "-shm"] {
            var st = stat()
            guard stat(file, &st) == 0 else { continue }
            let dev = UInt64(st.st_dev)
            // /proc/locks writes the device as major:minor in hex and the inode in decimal.
            let major = (dev >> 8) & 0xfff | (dev >> 32) & ~0xfff, minor = dev & 0xff | (dev >> 12) & ~0xff
            ids.insert(String(format: "%02llx:%02llx:%llu", major, minor, UInt64(st.st_ino)))
        }
        var pids: [Int32] = []
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; blocked waiters have "->" first.
            guard fields.count >= 6, fields[1] != "->", ids.contains(String(fields[5])),
                  let pid = Int32(fields[4]), pid != getpid(), !pids.contains(pid) else { continue }
            pids.append(pid)
        }
        return pids.sorted().map { pid in
            (pid, (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Whether this process may write into `path` and its folder (SQLite needs both for its
    /// `-wal` and `-shm` files); false on a read-only mount.
    static func writable(_ path: String) -> Bool {
        access(path, W_OK) == 0 && access(PathText.folder(of: path), W_OK) == 0
    }

    /// True when `error` is SQLite's "database is locked" (or "busy").
    static func isBusy(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }

    /// The message for a store another program kept locked for longer than `waited` seconds.
    static func heldMessage(_ path: String, waited: Double) -> String {
        let who = holders(of: path).map { "process \($0.pid)" + ($0.name.map { ", \($0)" } ?? "") }
        return "is held by another program" + (who.isEmpty ? "" : " (" + who.joined(separator: "; ") + ")")
            + " that keeps a transaction open (for example a sqlite3 shell); waited "
            + String(format: "%g", waited) + " s: close that transaction or program and run again"
    }
}

/// An exclusive `flock` on a store file, held by the one process writing it; the kernel releases
/// it when the process ends however it ends, so a killed run never blocks the next.
///
/// The lock is on the store itself (no lock file to leave behind). It does not interfere with
/// SQLite's own locks: on Linux `flock` and the POSIX locks SQLite takes are independent. The
/// descriptor is closed only after SQLite's connection is, since closing any descriptor of a file
/// drops that process's POSIX locks on it.
final class WriterLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Locks the file at `path`, which must exist; nil when another process holds the lock.
    static func acquire(_ path: String) throws(StoreError) -> WriterLock? {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return WriterLock(fd: fd)
    }

    /// Creates `path` exclusively (it must not exist) and locks it; errors name `store`, the store
    /// the file is built for.
    static func create(_ path: String, for store: String) throws(StoreError) -> WriterLock {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(path: store, message: "cannot create the store: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError(path: path, message: "cannot lock a file just created")
        }
        return WriterLock(fd: fd)
    }

    /// Whether the lock is on the file now at `path` (not on one deleted or replaced since).
    func isOn(_ path: String) -> Bool {
        var mine = stat(), there = stat()
        return fstat(fd, &mine) == 0 && stat(path, &there) == 0 && mine.st_dev == there.st_dev && mine.st_ino == there.st_ino
    }

    /// Releases the lock; call after the store's SQLite connection is closed.
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}
