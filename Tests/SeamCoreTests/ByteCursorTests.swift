import Testing

@testable import SeamCore

@Suite struct ByteCursorTests {
    @Test func readsBigAndLittleEndian() {
        var cursor = ByteCursor([0x01, 0x02, 0x03, 0x04, 0x05])
        #expect(cursor.getUInt16(at: 0) == 0x0102)
        #expect(cursor.getUInt16LittleEndian(at: 0) == 0x0201)
        #expect(cursor.readUInt32() == 0x0102_0304)
        #expect(cursor.readUInt16() == nil)
        #expect(cursor.readableBytes == 1)
        #expect(cursor.readUInt8() == 5)
        #expect(cursor.readUInt8() == nil)
    }

    @Test func addressesRoundTrip() {
        #expect(IPAddress("127.0.0.1")?.description == "127.0.0.1")
        #expect(IPAddress("::1")?.description == "::1")
        #expect(IPAddress("fe80:0:0:0:1:0:0:2")?.description == "fe80::1:0:0:2")
        #expect(IPAddress("1.2.3") == nil)
        #expect(Endpoint("[::1]:8080")?.port == 8080)
        #expect(Endpoint("127.0.0.1:80")?.description == "127.0.0.1:80")
        #expect(IPAddress(bytes: IPAddress("2001:db8::5")!.bytes) == IPAddress("2001:db8::5"))
        #expect(IPAddress("127.0.0.2")!.isLoopback && IPAddress("::1")!.isLoopback)
        #expect(IPAddress("::ffff:127.0.0.1")!.isLoopback)
        #expect(!IPAddress("0.0.0.0")!.isLoopback && !IPAddress("10.0.0.1")!.isLoopback && !IPAddress("::")!.isLoopback)
    }
}
