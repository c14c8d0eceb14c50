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
            ("len:u24le,after=1", .lengthPrefixed(LengthPrefix(field: .u24le, after: 1))),
            ("len:u32be@8,after=12", .lengthPrefixed(LengthPrefix(field: .u32be, offset: 8, after: 12))),
            ("len:u24be+9", .lengthPrefixed(LengthPrefix(field: .u24be, adjustment: 9))),
            ("len:u64le,incl", .lengthPrefixed(LengthPrefix(field: .u64le, includesHeader: true))),
            ("len:varint", .lengthPrefixed(LengthPrefix(field: .varint))),
            ("len:mqttvar@1", .lengthPrefixed(LengthPrefix(field: .mqttvar, offset: 1))),
            ("len:dec", .lengthPrefixed(LengthPrefix(field: .dec))),
            (
                "len:u32be@1+1,after=2,incl",
                .lengthPrefixed(LengthPrefix(field: .u32be, offset: 1, after: 2, adjustment: 1, includesHeader: true))
            ),
            ("linelen:0", .lineLength(LineLength())),
            ("linelen:3+2,opt", .lineLength(LineLength(word: 3, adjustment: 2, isOptional: true))),
            ("linelen:-1-1", .lineLength(LineLength(word: -1, adjustment: -1))),
            ("tls", .tls), ("http2", .http2), ("grpc", .grpc), ("websocket", .websocket), ("mqtt", .mqtt),
            ("pgsql", .pgsql), ("mysql", .mysql), ("kafka", .kafka), ("memcache", .memcache),
            ("protobuf", .protobuf), ("sends", .sends), ("segments", .segments), ("none", .noMessages),
            ("delim:a\\x2fb", .delimiter(ascii("a/b"))),
            (
                "len:u32be,incl/len:u32be@1+1,incl",
                .firstThen(
                    first: .lengthPrefixed(LengthPrefix(field: .u32be, includesHeader: true)),
                    then: .lengthPrefixed(LengthPrefix(field: .u32be, offset: 1, adjustment: 1, includesHeader: true))
                )
            ),
            ("fixed:1/line/crlf", .firstThen(first: .fixed(size: 1), then: .firstThen(first: .line, then: .crlf))),
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
            ("len:u8,incl,after=1", "len:u8,after=1,incl"), ("len:u16be,after=0", "len:u16be"),
            ("linelen:2+0", "linelen:2"),
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
        (
            "len:u24",
            "unknown length field \"u24\" (expected one of u8 u16be u16le u24be u24le u32be u32le i32be i32le u64be "
                + "u64le varint mqttvar dec)"
        ),
        ("len:u128be", "unknown length field \"u128be\""),
        ("len:u32be@x", "offset \"x\" is not a byte count"),
        ("len:u32be@", "offset \"\" is not a byte count"),
        ("len:u32be@-1", "offset -1 is negative"),
        ("len:u16be@-1", "offset -1 is negative (expected @N, N ≥ 0"),
        ("len:u16be@-x", "offset \"-x\" is not a byte count"),
        ("len:u32be,after=", "after=\"\" is not a byte count"),
        ("len:u32be,after=-1", "after=\"-1\" is not a byte count"),
        ("len:u32be,incl,incl", "flag \"incl\" is given twice"),
        ("len:u32be,after=1,after=2", "flag \"after\" is given twice"),
        ("linelen:", "word \"\" is not a word index"),
        ("linelen:x", "word \"x\" is not a word index"),
        ("linelen:-0", "word -0 is not a word index"),
        ("linelen:1+", "adjustment \"+\" is not a number"),
        ("linelen:1,optional", "unknown flag \"optional\" (expected opt)"),
        ("tls:1", "\"tls\" takes no argument"),
        ("line/", "empty part"),
        ("/line", "empty part"),
        ("line/sends", "\"sends\" stands alone"),
        ("none/line", "\"none\" stands alone"),
        ("line/bogus", "unknown framing \"bogus\""),
        ("len:u32be+", "adjustment \"+\" is not a number"),
        ("len:u32be+x", "adjustment \"+x\" is not a number"),
        ("len:u32be++2", "adjustment \"++2\" is not a number"),
        ("len:u32be,inc", "unknown flag \"inc\" (expected incl or after=N)"),
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
        #expect(names.count == 26)
        #expect(Set(names).count == names.count)
        // Every bare name the parser knows is in the help, and every help name parses.
        for (text, spec) in Self.canonical where !text.contains(":") && !text.contains("/") {
            #expect(names.contains(text), "\(spec) is missing from the help")
        }
        let lines = FramingSpec.helpText.split(separator: "\n")
        #expect(lines.count > 26)
        #expect(lines.allSatisfy { $0.count <= 78 }, "\(lines.filter { $0.count > 78 })")
        for name in names { #expect(lines.contains { $0.hasPrefix(name) }, "\(name)") }
        #expect(lines.first?.hasPrefix("line ") == true)
    }
}
