import Testing

@testable import SeamTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `seam_preload.h` is the one source of the record format: the decoder's offsets, version and function
/// numbers are checked against what a C compiler makes of the header.
@Suite("TraceRecord layout")
struct TraceRecordLayoutTests {
    static let header: String = {
        var parts = TraceTestSupport.fixtures.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/Fixtures/trace
        return parts.joined(separator: "/") + "/Sources/SeamPreload/include/seam_preload.h"
    }()

    /// The header's facts as `name value` lines: `offset FIELD N`, `size N`, `version N`, `function NAME N`.
    static func compiledFacts() throws -> [String]? {
        let functions = [
            "SEND", "SENDTO", "SENDMSG", "WRITE", "WRITEV", "RECV", "RECVFROM", "RECVMSG", "READ", "READV", "CONNECT",
            "ACCEPT", "ACCEPT4", "SHUTDOWN", "CLOSE", "SETSOCKOPT", "SENDMMSG", "RECVMMSG", "SENDFILE", "SPLICE",
            "CLOSE_RANGE", "PROCESS_START", "PROCESS_FORK", "PROCESS_EXEC", "PROCESS_EXEC_FAILED", "PROCESS_SPAWN",
        ]
        var source = "#include <stddef.h>\n#include <stdio.h>\n#include \"\(header)\"\nint main(void) {\n"
        for field in TraceRecord.Layout.fields {
            source += "  printf(\"offset \(field.name) %zu\\n\", offsetof(struct seam_record, \(field.name)));\n"
        }
        source += "  printf(\"size %zu\\n\", sizeof(struct seam_record));\n"
        source += "  printf(\"version %d\\n\", SEAM_RECORD_VERSION);\n"
        for name in functions { source += "  printf(\"function \(name) %d\\n\", SEAM_FN_\(name));\n" }
        source += "  return 0;\n}\n"
        let path = TraceTestSupport.temporaryPath("layout.c")
        let binary = TraceTestSupport.temporaryPath("layout")
        defer {
            unlink(path)
            unlink(binary)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = source.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let compiled = try TraceTestSupport.run(["cc", "-o", binary, path], name: "layoutcc")
        try #require(compiled.status == 0, "cc failed on the header: \(compiled.err)")
        let output = try TraceTestSupport.run([binary], name: "layout")
        return output.out.split(separator: "\n").map(String.init)
    }

    @Test(
        "every offset, the size, the version and the function numbers agree",
        .enabled(if: TraceTestSupport.hasTool("cc"), "needs cc")
    )
    func agreesWithHeader() throws {
        let facts = try #require(try Self.compiledFacts())
        var offsets: [String: Int] = [:]
        var functions: [Int: String] = [:]
        for line in facts {
            let words = line.split(separator: " ").map(String.init)
            switch words.first {
            case "offset": offsets[words[1]] = Int(words[2])
            case "size": #expect(Int(words[1]) == TraceRecord.size)
            case "version": #expect(UInt16(words[1]) == TraceRecord.version)
            case "function":
                let name =
                    words[1].hasPrefix("PROCESS_")
                    ? words[1].lowercased().replacingAll("_", with: "-") : words[1].lowercased()
                functions[Int(words[2])!] = name
            default: Issue.record("unexpected line \(line)")
            }
        }
        for field in TraceRecord.Layout.fields {
            #expect(offsets[field.name] == field.offset, "\(field.name)")
        }
        #expect(offsets.count == TraceRecord.Layout.fields.count)
        #expect(functions == TraceRecord.functionNames)
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
