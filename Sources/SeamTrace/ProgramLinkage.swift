#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a program's socket calls go through a dynamically loaded libc, which is what LD_PRELOAD needs.
///
/// Read from the ELF file: a program with a `PT_INTERP` header is started by the dynamic loader, which
/// honours LD_PRELOAD. Without one (static binaries, static-pie) nothing is preloaded. A Go program
/// (`.note.go.buildid` or `.go.buildinfo` section) makes its system calls directly even when dynamically
/// linked, so its socket calls are not seen either. Scripts (`#!`) are judged by their interpreter.
public enum ProgramLinkage: Sendable, Equatable {
    /// Dynamically linked: LD_PRELOAD applies.
    case dynamic
    /// No dynamic loader: LD_PRELOAD has no effect.
    case staticallyLinked
    /// A Go binary: it bypasses libc for its socket calls.
    case goRuntime
    /// Not an ELF file nor a script Seam could follow (a missing file gives this too).
    case unknown(String)

    /// Inspects the program at `path`, following `#!` lines (and `/usr/bin/env NAME` through `PATH`).
    public static func inspect(path: String, depth: Int = 0) -> ProgramLinkage {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unknown("cannot open \(path)") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .unknown("cannot stat \(path)") }
        let size = Int(status.st_size)
        var head = [UInt8](repeating: 0, count: min(size, 512))
        guard pread(fd, &head, head.count, 0) == head.count else { return .unknown("cannot read \(path)") }
        if head.starts(with: Array("#!".utf8)) {
            guard depth < 4 else { return .unknown("\(path): too many nested #! interpreters") }
            let line = String(decoding: head.dropFirst(2).prefix { $0 != 0x0A }, as: UTF8.self)
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard var interpreter = words.first else { return .unknown("\(path): empty #! line") }
            if interpreter.hasSuffix("/env"), let name = words.dropFirst().first(where: { !$0.hasPrefix("-") }) {
                guard let found = resolve(name) else { return .unknown("\(name) (from \(path)'s #!) not in PATH") }
                interpreter = found
            }
            return inspect(path: interpreter, depth: depth + 1)
        }
        guard head.count >= 64, head.starts(with: [0x7F, 0x45, 0x4C, 0x46]), head[4] == 2, head[5] == 1 else {
            return .unknown("\(path) is not a 64-bit little-endian ELF file")
        }
        func read(_ offset: Int, _ count: Int) -> [UInt8]? {
            guard offset >= 0, count >= 0, offset + count <= size else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            return pread(fd, &bytes, count, off_t(offset)) == count ? bytes : nil
        }
        func number(_ bytes: [UInt8], _ at: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        let programHeaders = number(head, 32, 8)  // e_phoff
        let programHeaderSize = number(head, 54, 2)  // e_phentsize
        let programHeaderCount = number(head, 56, 2)  // e_phnum
        var hasInterpreter = false
        if programHeaderSize >= 4, let table = read(programHeaders, programHeaderSize * programHeaderCount) {
            for index in 0..<programHeaderCount where number(table, index * programHeaderSize, 4) == 3 {  // PT_INTERP
                hasInterpreter = true
            }
        }
        if hasGoSection(head: head, read: read, number: number) { return .goRuntime }
        return hasInterpreter ? .dynamic : .staticallyLinked
    }

    private static func hasGoSection(
        head: [UInt8], read: (Int, Int) -> [UInt8]?, number: ([UInt8], Int, Int) -> Int
    ) -> Bool {
        let sectionHeaders = number(head, 40, 8)  // e_shoff
        let sectionHeaderSize = number(head, 58, 2)  // e_shentsize
        let sectionCount = number(head, 60, 2)  // e_shnum
        let namesIndex = number(head, 62, 2)  // e_shstrndx
        guard sectionHeaderSize >= 64, sectionCount > 0, namesIndex < sectionCount,
            let table = read(sectionHeaders, sectionHeaderSize * sectionCount)
        else { return false }
        let namesOffset = number(table, namesIndex * sectionHeaderSize + 24, 8)  // sh_offset
        let namesSize = number(table, namesIndex * sectionHeaderSize + 32, 8)  // sh_size
        guard namesSize < 1 << 20, let names = read(namesOffset, namesSize) else { return false }
        for index in 0..<sectionCount {
            let start = number(table, index * sectionHeaderSize, 4)  // sh_name
            guard start < names.count else { continue }
            let name = String(decoding: names[start...].prefix { $0 != 0 }, as: UTF8.self)
            if name == ".note.go.buildid" || name == ".go.buildinfo" { return true }
        }
        return false
    }

    /// `name` as execvp would find it: a path when it has a `/`, else the first executable in `PATH`.
    public static func resolve(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var status = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &status) == 0, status.st_mode & S_IFMT == S_IFREG {
                return candidate
            }
        }
        return nil
    }
}
