import Testing

@testable import SeamCore

@Suite struct FramingSpecTests {
    static let canonical: [(String, FramingSpec)] =
        [
            ("line", .line), ("crlf", .crlf), ("jsonhdr", .jsonHeader), ("resp", .resp), ("http1", .http1),
            ("dns-tcp", .dnsTCP), ("struct:i", .pythonStruct), ("fixed:1", .fixed(size: 1)),
            ("fixed:1024", .fixed(size: 1024)), ("delim:\\n", .delimiter([0x0A])),
            ("delim:\\r\\n\\r\\n", .delimiter([0x0D, 0x0A, 0x0D, 0x0A])), ("delim:END", .delimiter(ascii("END"))),
            ("delim:\\0\\t\\\\\\xff:x", .delimiter([0x00, 0x09, 0x5C, 0xFF, 0x3A, 0x78])),
            ("delim: ", .delimiter([0x20])),
            ("len:u8", .lengthPrefixed(LengthPrefix(field: .u8))),
            ("len:u16le@3", .lengthPrefixed(LengthPrefix(field: .u16le, offset: 3))),
            ("len:u32be+4", .lengthPrefixed(LengthPrefix(field: .u32be, adjustment: 4))),
            ("len:i32be-2", .lengthPrefixed(LengthPrefix(field: .i32be, adjustment: -2))),
            ("len:u64be,incl", .lengthPrefixed(LengthPrefix(field: .u64be, includesHeader: true))),
            (
                "len:i32le@2-6,incl",
                .lengthPrefixed(LengthPrefix(field: .i32le, offset: 2, adjustment: -6, includesHeader: true))
            ),
        ] + LengthField.allCases.map { ("len:\($0.rawValue)", .lengthPrefixed(LengthPrefix(field: $0))) }

    @Test func canonicalFormsParseAndRoundTrip() throws {
        for (text, spec) in Self.canonical {
            #expect(try FramingSpec(parsing: text) == spec, "\(text)")
            #expect(spec.description == text)
            #expect(try FramingSpec(parsing: spec.description) == spec)
        }
    }

    @Test func alternativeFormsParseToTheirCanonicalText() throws {
        let forms = [
            ("len:u16be+-2", "len:u16be-2"), ("len:u16be+0", "len:u16be"), ("len:u16be@0", "len:u16be"),
            ("delim:\\x0A", "delim:\\n"), ("delim:\\x41", "delim:A"), ("len:u8@1+2,incl", "len:u8@1+2,incl"),
        ]
        for (text, canonical) in forms {
            #expect(try FramingSpec(parsing: text).description == canonical, "\(text)")
        }
    }

    @Test func equivalentSpecsShareTheirLengthPrefix() {
        #expect(FramingSpec.pythonStruct.lengthPrefix == LengthPrefix(field: .i32le))
        #expect(FramingSpec.dnsTCP.lengthPrefix == LengthPrefix(field: .u16be))
        #expect(FramingSpec.line.delimiter == [0x0A])
        #expect(FramingSpec.resp.lengthPrefix == nil)
    }

    static let invalid: [(String, String)] = [
        ("len:", "length field is missing"),
        ("len", "length field is missing"),
        ("len:u24", "unknown length field \"u24\" (expected one of u8 u16be u16le u32be u32le i32be i32le u64be)"),
        ("len:u24be", "unknown length field \"u24be\""),
        ("len:u32be@x", "offset \"x\" is not a byte count"),
        ("len:u32be@", "offset \"\" is not a byte count"),
        ("len:u32be@-1", "offset \"\" is not a byte count"),
        ("len:u32be+", "adjustment \"+\" is not a number"),
        ("len:u32be+x", "adjustment \"+x\" is not a number"),
        ("len:u32be++2", "adjustment \"++2\" is not a number"),
        ("len:u32be,inc", "unknown flag \"inc\" (expected incl)"),
        ("fixed:x", "size \"x\" is not a number"),
        ("fixed:0", "size must be at least 1"),
        ("fixed:-3", "size must be at least 1"),
        ("fixed:", "size is missing"),
        ("fixed", "size is missing"),
        ("delim:", "delimiter is empty"),
        ("delim", "delimiter is empty"),
        ("delim:\\q", "unknown escape \\q"),
        ("delim:a\\", "lone backslash"),
        ("delim:\\x4", "escape \\x needs two hex digits"),
        ("delim:\\xzz", "escape \\x needs two hex digits"),
        ("struct:q", "unknown struct format \"q\" (expected struct:i)"),
        ("struct", "unknown struct format \"\""),
        ("line:x", "\"line\" takes no argument"),
        ("bogus", "unknown framing \"bogus\" (expected one of line crlf"),
        ("", "unknown framing \"\""),
        ("LINE", "unknown framing \"LINE\""),
    ]

    @Test func invalidFormsNameTheirBadPart() {
        for (text, reason) in Self.invalid {
            do {
                let spec = try FramingSpec(parsing: text)
                Issue.record("\"\(text)\" parsed as \(spec)")
            } catch {
                #expect(error.spec == text)
                #expect(error.reason.contains(reason), "\(text): \(error.reason)")
                #expect(error.description.hasPrefix("framing \"\(text)\": "))
            }
        }
    }

    @Test func errorDescriptionMatchesTheDocumentedForm() {
        #expect(throws: FramingSpecError(spec: "fixed:0", reason: "size must be at least 1")) {
            try FramingSpec(parsing: "fixed:0")
        }
        #expect(
            FramingSpecError(spec: "fixed:0", reason: "size must be at least 1").description
                == "framing \"fixed:0\": size must be at least 1"
        )
    }

    @Test func helpListsEverySpecOnce() {
        let names = FramingSpec.helpEntries.map(\.syntax)
        #expect(names.count == 10)
        #expect(Set(names).count == names.count)
        let lines = FramingSpec.helpText.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0.count <= 160 })
        #expect(lines.first?.hasPrefix("line ") == true)
    }
}
