import Testing

@testable import SeamCore

@Suite("SessionSettings")
struct SessionSettingsTests {
    @Test("format keeps word order; parse gives the same settings back")
    func roundTrip() throws {
        var settings = SessionSettings()
        settings["listen"] = "127.0.0.1:9000"
        settings["to"] = "127.0.0.1:9001"
        settings["recv-size"] = "1024"
        settings["framing"] = "len:u32be incl"
        #expect(
            settings.description
                == "seam-session version=1 listen=127.0.0.1:9000 to=127.0.0.1:9001 recv-size=1024 "
                + "framing=len:u32be%20incl")
        let parsed = try SessionSettings(parsing: settings.description)
        #expect(parsed == settings)
        #expect(parsed.version == 1)
        #expect(parsed["framing"] == "len:u32be incl")
        settings["to"] = nil
        settings["listen"] = "[::1]:1"
        #expect(settings.description.hasPrefix("seam-session version=1 listen=[::1]:1 recv-size=1024"))
    }

    @Test(
        "a comment that is not Seam's is an error",
        arguments: ["", "captured by tcpdump", "seam-sessionx a=b", "seam-session a"])
    func notSeam(comment: String) {
        #expect(throws: SessionFormatError.self) { try SessionSettings(parsing: comment) }
    }
}
