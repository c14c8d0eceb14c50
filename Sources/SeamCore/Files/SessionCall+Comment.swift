extension SessionCall {
    /// The call in words, in a fixed order: `call conn leg [dir] [off] [len] [buf] proto [src] [dst]`, then
    /// the extra words in their order.
    public var commentWords: String {
        var words = [
            CommentWord("call", kind.rawValue), CommentWord("conn", String(connection)),
            CommentWord("leg", leg.rawValue),
        ]
        if let direction { words.append(CommentWord("dir", direction.rawValue)) }
        if let offset { words.append(CommentWord("off", String(offset))) }
        if let length { words.append(CommentWord("len", String(length))) }
        if let bufferSize { words.append(CommentWord("buf", String(bufferSize))) }
        words.append(CommentWord("proto", transport.rawValue))
        if let source { words.append(CommentWord("src", source.description)) }
        if let destination { words.append(CommentWord("dst", destination.description)) }
        words += extra
        return words.map(\.description).joined(separator: " ")
    }

    /// Parses `commentWords` back. Words Seam does not know go to `extra`, in order. Throws a
    /// `SessionFormatError` naming the word when `call`, `conn` or `leg` is missing, a known word has a bad
    /// value, or a word is not `key=value`.
    public init(parsingComment comment: String, timestamp: Timestamp) throws {
        let (words, malformed) = CommentWord.parseAll(comment)
        func failure(_ problem: String) -> SessionFormatError {
            SessionFormatError(input: comment, problem: problem)
        }
        if let malformed { throw failure("word '\(malformed)' is not key=value") }
        var kind: Kind?
        var connection: Int?
        var leg: Leg?
        var call = SessionCall(kind: .recv, connection: 0, leg: .downstream, timestamp: timestamp)
        var seen = Set<String>()
        for word in words {
            let known = ["call", "conn", "leg", "dir", "off", "len", "buf", "proto", "src", "dst"]
            if known.contains(word.key) {
                guard seen.insert(word.key).inserted else { throw failure("word '\(word.key)' appears twice") }
            }
            func bad() -> SessionFormatError { failure("bad value '\(word.value)' for \(word.key)=") }
            switch word.key {
            case "call":
                guard let value = Kind(rawValue: word.value) else { throw bad() }
                kind = value
            case "conn":
                guard let value = Int(word.value), value >= 0 else { throw bad() }
                connection = value
            case "leg":
                guard let value = Leg(rawValue: word.value) else { throw bad() }
                leg = value
            case "dir":
                guard let value = Direction(rawValue: word.value) else { throw bad() }
                call.direction = value
            case "off":
                guard let value = UInt64(word.value) else { throw bad() }
                call.offset = value
            case "len":
                guard let value = Int(word.value), value >= 0 else { throw bad() }
                call.length = value
            case "buf":
                guard let value = Int(word.value), value >= 0 else { throw bad() }
                call.bufferSize = value
            case "proto":
                guard let value = Transport(rawValue: word.value) else { throw bad() }
                call.transport = value
            case "src":
                guard let value = Endpoint(word.value) else { throw bad() }
                call.source = value
            case "dst":
                guard let value = Endpoint(word.value) else { throw bad() }
                call.destination = value
            default:
                call.extra.append(word)
            }
        }
        guard let kind else { throw failure("missing call= word") }
        guard let connection else { throw failure("missing conn= word") }
        guard let leg else { throw failure("missing leg= word") }
        call.kind = kind
        call.connection = connection
        call.leg = leg
        self = call
    }
}
