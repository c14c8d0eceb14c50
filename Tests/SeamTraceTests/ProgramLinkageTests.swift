import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("ProgramLinkage")
struct ProgramLinkageTests {
    /// A minimal 64-bit ELF executable header with one PT_LOAD program header and no PT_INTERP.
    static func minimalStaticELF() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64 + 56)
        bytes[0..<4] = [0x7F, 0x45, 0x4C, 0x46]  // EI_MAG
        bytes[4] = 2  // ELFCLASS64
        bytes[5] = 1  // ELFDATA2LSB
        bytes[6] = 1  // EV_CURRENT
        bytes[16] = 2  // e_type ET_EXEC
        bytes[18] = 62  // e_machine EM_X86_64
        bytes[32] = 64  // e_phoff
        bytes[52] = 64  // e_ehsize
        bytes[54] = 56  // e_phentsize
        bytes[56] = 1  // e_phnum
        bytes[64] = 1  // p_type PT_LOAD
        return bytes
    }

    @Test("an ELF file without PT_INTERP is static")
    func staticELF() throws {
        let path = "/tmp/seam-linkage-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o700)
        let bytes = Self.minimalStaticELF()
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
        #expect(ProgramLinkage.inspect(path: path) == .staticallyLinked)
        #expect(throws: TraceError.self) { try ProgramTracer.check(program: path) }
    }

    @Test("/bin/sh is dynamic, and a #! script is judged by its interpreter")
    func dynamicAndScripts() throws {
        #expect(ProgramLinkage.inspect(path: "/bin/sh") == .dynamic)
        let path = "/tmp/seam-linkage-script-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o700)
        _ = "#!/usr/bin/env sh\necho hi\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #expect(ProgramLinkage.inspect(path: path) == .dynamic)
        if case .unknown = ProgramLinkage.inspect(path: "/nonexistent/program") {
        } else {
            Issue.record("a missing file must be unknown")
        }
    }
}
