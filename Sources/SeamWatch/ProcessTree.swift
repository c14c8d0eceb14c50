#if canImport(Glibc)
import Glibc
#endif

/// The processes running now and their parents, from `/proc/PID/stat`, to watch the children a `--pid`
/// process had already started (a pre-forking server's workers) besides those it starts later.
enum ProcessTree {
    /// Every descendant of `root` (not `root` itself) running now.
    static func descendants(of root: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for (pid, parent) in parents() { children[parent, default: []].append(pid) }
        var found: [Int32] = []
        var queue = children[root] ?? []
        while let pid = queue.popLast() {
            found.append(pid)
            queue += children[pid] ?? []
        }
        return found.sorted()
    }

    /// Whether a process `pid` exists (it may belong to another user).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// pid → parent pid of every process.
    static func parents() -> [(Int32, Int32)] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var result: [(Int32, Int32)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let parent = parent(of: pid) else { continue }
            result.append((pid, parent))
        }
        return result
    }

    /// The parent in `/proc/PID/stat`: `PID (COMM) STATE PPID …`, COMM may hold spaces and parentheses.
    static func parent(of pid: Int32) -> Int32? {
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 1024)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        return parse(stat: String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    static func parse(stat: String) -> Int32? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }
}
