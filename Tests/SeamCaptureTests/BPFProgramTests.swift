import SeamCore
import Testing

@testable import SeamCapture

@Suite("BPFProgram")
struct BPFProgramTests {
    @Test("a bad filter fails with libpcap's text and names the expression")
    func syntaxError() {
        #expect(throws: CaptureError.badFilter(expression: "tcp prt 80", reason: "syntax error")) {
            try BPFProgram("tcp prt 80")
        }
        let error = CaptureError.badFilter(expression: "tcp prt 80", reason: "syntax error")
        #expect(error.description == "capture: bad filter \"tcp prt 80\": syntax error")
    }

    @Test("libpcap's semantic errors come through as they are")
    func semanticErrors() throws {
        #expect(throws: CaptureError.badFilter(expression: "port 99999", reason: "illegal port number 99999 > 65535")) {
            try BPFProgram("port 99999")
        }
        let raw = try BPFProgram("ip", linkType: .raw)
        #expect(raw.instructionCount > 0)
        // Raw IP frames have no Ethernet header, so an Ethernet address filter cannot compile for them.
        #expect(throws: CaptureError.self) { try BPFProgram("ether host 00:00:00:00:00:01", linkType: .raw) }
    }

    @Test("a compiled program matches the frames it describes and no others")
    func matches() throws {
        let program = try BPFProgram("tcp dst port 80")
        let client = Endpoint("10.0.0.1:40000")!
        let server = Endpoint("10.0.0.2:80")!
        #expect(program.matches(TestFrames.frame(from: client, to: server)))
        #expect(!program.matches(TestFrames.frame(from: server, to: client)))
        #expect(!program.matches(TestFrames.frame(from: client, to: server, udp: true)))
        #expect(!program.matches([0x00, 0x01]))
    }
}
