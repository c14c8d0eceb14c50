import NIOCore
import SeamCore
import Testing

@testable import SeamProxy

@Suite struct LiveCallPrinterTests {
    let call: SessionCall = {
        var call = SessionCall(
            kind: .recv, connection: 3, leg: .downstream, direction: .clientToServer, offset: 4096, length: 5,
            bufferSize: 7, timestamp: Timestamp(seconds: 3600, nanoseconds: 5000))
        call.truncatedBytes = 2
        return call
    }()
    let payload = ByteBuffer(string: "a\n\"\u{1}b")

    @Test func textLineStatesTheCallOnTheByteAxis() {
        #expect(
            LiveCallPrinter.textLine(call, payload: payload)
                == #"01:00:00.000005 #3 downstream c2s recv [4096,4101) len=5 buf=7 truncated=2 "a\n\"\x01b""#)
    }

    @Test func jsonLineHasTheSameFields() {
        let line = LiveCallPrinter.jsonLine(call, payload: payload)
        #expect(line.hasPrefix(#"{"time":"1970-01-01T01:00:00.000005Z","call":"recv","conn":3,"leg":"downstream""#))
        #expect(line.contains(#""dir":"c2s","off":4096,"len":5,"buf":7"#))
        #expect(line.contains(#""preview":"a\\n\\\"\\x01b""#))
        #expect(line.hasSuffix(#","truncated":"2"}"#))
    }

    @Test func previewIsCutAfterItsLength() {
        let long = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "x"), count: 100))
        #expect(LiveCallPrinter.preview(long) == String(repeating: "x", count: LiveCallPrinter.previewLength) + "…")
    }
}
