import Foundation
import SeamTestSupport
import Testing

/// `seam inspect --stream ID [--dir] [--as]` as a user runs it: the views, `--raw` as `--as raw`, the note
/// about holes raw output leaves out, and usage errors that name the option.
@Suite struct InspectStreamCommandTests {
    static let binary = CommandLineTests.binary
    static let dns = PackageRoot.corpus + "tcpdump--dns_tcp.pcap"
    static let gap = PackageRoot.corpus + "zeek--content-range-gap.pcap"

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func usageErrorsNameTheOption() throws {
        let cases: [([String], String)] = [
            (["--as", "hex"], "--as needs --stream"),
            (["--dir", "c2s"], "--dir needs --stream"),
            (["--stream", "tcp.0", "--dir", "up"], "--dir takes c2s, s2c or both, not \"up\""),
            (["--stream", "tcp.0", "--raw"], "--raw needs --dir c2s or --dir s2c"),
            (["--stream", "tcp.0", "--as", "raw", "--dir", "both"], "--as raw needs --dir c2s or --dir s2c"),
            (["--stream", "tcp.0", "--raw", "--as", "hex", "--dir", "c2s"], "--raw is --as raw"),
            (["--stream", "tcp.0", "--json"], "use --as yaml"),
            (["--stream", "tcp.0", "--as", "pdf"], "pdf"),
            (["--stream", "flow9"], "--stream takes a flow id"),
        ]
        for (arguments, message) in cases {
            let result = try CommandLineTests.seam(["inspect", "x.pcap"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func viewsOfOneFlow() throws {
        guard PackageRoot.hasCorpus else {
            print("skipped: corpus not found at \(PackageRoot.corpus)")
            return
        }
        let ascii = try CommandLineTests.seam(["inspect", Self.dns, "--stream", "tcp.0"])
        #expect(ascii.status == 0)
        #expect(ascii.stdout.contains("Follow: tcp.0 ascii, both directions (Wireshark: tcp.stream eq 0)"))
        #expect(ascii.stdout.contains("c2s [0, 58) 58 bytes, frame 4, "))
        #expect(ascii.stdout.contains("\ts2c [0, 226) 226 bytes, frame 6, "))
        #expect(!ascii.stdout.contains("flow  client"))  // no flow listing after the view
        let hex = try CommandLineTests.seam(["inspect", Self.dns, "--stream", "tcp.0", "--dir", "s2c", "--as", "hex"])
        #expect(hex.status == 0)
        #expect(hex.stdout.contains("\t000000E0  00 00" + String(repeating: " ", count: 45) + "..\n"))
        #expect(!hex.stdout.contains("c2s ["))
        let yaml = try CommandLineTests.seam(["inspect", Self.dns, "--stream", "tcp.0", "--as", "yaml"])
        #expect(yaml.stdout.contains("  - packet: 4\n    peer: 0\n    direction: c2s\n"))
        // --raw is --as raw: the bytes alone.
        let raw = try CommandLineTests.seam(["inspect", Self.dns, "--stream", "tcp.0", "--dir", "s2c", "--raw"])
        let asRaw = try CommandLineTests.seam(["inspect", Self.dns, "--stream", "tcp.0", "--dir", "s2c", "--as", "raw"])
        #expect(raw.bytes.count == 226)
        #expect(raw.bytes == asRaw.bytes)
    }

    @Test(.enabled(if: binary != nil, "the seam binary is not built (swift build)"))
    func rawSaysWhatHolesItLeftOut() throws {
        guard PackageRoot.hasCorpus else {
            print("skipped: corpus not found at \(PackageRoot.corpus)")
            return
        }
        let raw = try CommandLineTests.seam(["inspect", Self.gap, "--stream", "tcp.0", "--dir", "s2c", "--as", "raw"])
        #expect(raw.status == 0)
        #expect(raw.stderr.contains("tcp.0 s2c: 1380 bytes missing in the capture (1 hole), left out of the raw bytes"))
        let text = try CommandLineTests.seam(["inspect", Self.gap, "--stream", "tcp.0", "--dir", "s2c"])
        #expect(text.stdout.contains("\ts2c [1985, 3365) [1380 bytes missing in capture file]\n"))
        #expect(text.stdout.hasSuffix("s2c: \(raw.bytes.count) bytes in 8 chunks, 1380 bytes missing in 1 hole\n"))
    }
}
