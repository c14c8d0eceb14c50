import Foundation
import SeamTestSupport
import Testing

/// `seam framing` as a user runs it, on the recorded fixtures.
@Suite struct FramingCommandTests {
    static let fixtures = PackageRoot.path + "/Tests/Fixtures/framing/"
    static var built: Bool { CommandLineTests.binary != nil }

    @Test(.enabled(if: built, "the seam binary is not built (swift build)"))
    func textRanksTheFitsPerFlowAndDirection() throws {
        let result = try CommandLineTests.seam(["framing", Self.fixtures + "pgsql.pcap"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(Self.fixtures)pgsql.pcap: 2 TCP flows\n"))
        #expect(result.stdout.contains("  c2s  70.3 kB: pgsql, 100 % of 70.3 kB parsed\n"))
        #expect(result.stdout.contains("    1. pgsql, 100 % of 70.3 kB parsed, 15 messages\n"))
        #expect(result.stdout.contains("does not fit: "))
        #expect(result.stdout.contains("more that do not fit (--all lists them)\n"))
        let all = try CommandLineTests.seam(["framing", Self.fixtures + "pgsql.pcap", "--all", "--flow", "tcp.1"])
        #expect(all.status == 0)
        #expect(all.stdout.hasPrefix("\(Self.fixtures)pgsql.pcap: 1 TCP flow\n\ntcp.1 "))
        #expect(!all.stdout.contains("more that do not fit"))
    }

    @Test(.enabled(if: built, "the seam binary is not built (swift build)"))
    func aGivenFramingThatDoesNotFitSaysWhatFitsInstead() throws {
        let result = try CommandLineTests.seam(["framing", Self.fixtures + "mqtt.pcap", "--framing-c2s", "len:u32be"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("✗ framing len:u32be does not fit c2s at byte 0:"))
        #expect(result.stdout.contains("fits instead: mqtt (100 % parsed)"))
    }

    @Test(.enabled(if: built, "the seam binary is not built (swift build)"))
    func jsonHasTheDocumentedFields() throws {
        let result = try CommandLineTests.seam(["framing", Self.fixtures + "http2.pcap", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: result.bytes) as? [String: Any])
        let flows = try #require(object["flows"] as? [[String: Any]])
        #expect(flows.count == 2)
        let c2s = try #require(flows.first?["c2s"] as? [String: Any])
        #expect(c2s["framing"] as? String == "http2")
        #expect(c2s["clear"] as? Bool == true)
        let best = try #require((c2s["fits"] as? [[String: Any]])?.first)
        #expect(best["status"] as? String == "fits")
        #expect(best["messages"] as? Int == 16)
        #expect(best.keys.contains("boundaries_on_sends"))
        let misfit = try #require((c2s["misfits"] as? [[String: Any]])?.first?["misfit"] as? [String: Any])
        #expect(misfit["offset"] is Int && misfit["reason"] is String)
    }

    @Test(.enabled(if: built, "the seam binary is not built (swift build)"))
    func badOptionsAreUsageErrors() throws {
        let spec = try CommandLineTests.seam(["framing", "x.pcap", "--framing", "len:u16be@-1"])
        #expect(spec.status == 2)
        #expect(spec.stderr.contains("offset -1 is negative"))
        let auto = try CommandLineTests.seam(["framing", "x.pcap", "--framing", "auto"])
        #expect(auto.status == 2)
        let flow = try CommandLineTests.seam(["framing", "x.pcap", "--flow", "udp.0"])
        #expect(flow.status == 2)
        let missing = try CommandLineTests.seam(["framing", Self.fixtures + "tls.pcap", "--flow", "tcp.9"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no TCP flow tcp.9"))
    }
}
