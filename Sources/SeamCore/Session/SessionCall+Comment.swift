extension SessionCall {
    /// The words Seam writes and reads itself; any other word goes to `extra`.
    static let knownWords: Set<String> = [
        "call", "conn", "leg", "dir", "off", "len", "buf", "proto", "src", "dst", "truncated", "payload-cut", "how",
        "rechunk", "op", "error", "errno", "fn", "pid", "tid", "comm", "fd", "took-ns", "stamp", "flags", "msg-flags",
        "data", "batch",
        "nodelay", "cork", "rcvbuf", "sndbuf", "k-nodelay", "k-cork", "k-inflight", "k-mss", "k-cwnd", "k-unsent", "k-unread",
    ]

    /// The call in words, in a fixed order: `call conn leg [dir] [off] [len] [buf] proto [src] [dst]`, what
    /// happened to it (`truncated payload-cut how rechunk op error errno`), who made it (`fn pid tid comm fd
    /// took-ns stamp flags msg-flags data batch nodelay cork rcvbuf sndbuf`, the kernel's `k-` words), then
    /// `extra` in order.
    public var commentWords: String {
        var words = [
            CommentWord("call", kind.rawValue), CommentWord("conn", String(connection)),
            CommentWord("leg", leg.rawValue),
        ]
        func add(_ key: String, _ value: String?) {
            if let value { words.append(CommentWord(key, value)) }
        }
        add("dir", direction?.rawValue)
        add("off", offset.map { String($0) })
        add("len", length.map { String($0) })
        add("buf", bufferSize.map { String($0) })
        add("proto", transport.rawValue)
        add("src", source?.description)
        add("dst", destination?.description)
        words += detailWords
        return words.map(\.description).joined(separator: " ")
    }

    /// The words after the endpoints: what happened to the call, who made it, then `extra`.
    public var detailWords: [CommentWord] {
        var words: [CommentWord] = []
        func add(_ key: String, _ value: String?) {
            if let value { words.append(CommentWord(key, value)) }
        }
        add("truncated", truncatedBytes.map { String($0) })
        add("payload-cut", isPayloadCut ? "1" : nil)
        add("how", shutdownHow?.rawValue)
        add("rechunk", rechunk?.rawValue)
        if let failure {
            add("op", failure.operation)
            add("error", failure.errorNumber?.name ?? failure.reason)
            add("errno", failure.errorNumber.map { String($0.code) })
        }
        if let program {
            add("fn", program.function)
            add("pid", String(program.pid))
            add("tid", String(program.tid))
            add("comm", program.command)
            add("fd", program.fileDescriptor.map { String($0) })
            if let entry = program.entryTime {
                let returned = program.returnTime ?? timestamp
                add("took-ns", String(max(0, returned.nanoseconds - entry.nanoseconds)))
                if timestamp == entry && returned != entry { add("stamp", "entry") }
            }
            if !program.flags.isEmpty { add("flags", program.flags.names(accept: kind == .accept)) }
            if !program.returnedFlags.isEmpty { add("msg-flags", program.returnedFlags.names()) }
            if program.dataPath != .buffer { add("data", program.dataPath.rawValue) }
            add("batch", program.batch.map { "\($0.index)/\($0.count)" })
            add("nodelay", program.options.noDelay.map { String($0) })
            add("cork", program.options.cork.map { String($0) })
            add("rcvbuf", program.options.receiveBuffer.map { String($0) })
            add("sndbuf", program.options.sendBuffer.map { String($0) })
            if let kernel = program.kernel {
                add("k-nodelay", kernel.noDelay ? "1" : "0")
                add("k-cork", kernel.cork ? "1" : "0")
                add("k-inflight", String(kernel.packetsInFlight))
                add("k-mss", String(kernel.mss))
                add("k-cwnd", String(kernel.congestionWindow))
                add("k-unsent", kernel.unsentBytes.map { String($0) })
                add("k-unread", kernel.unreadBytes.map { String($0) })
            }
        }
        words += extra
        return words
    }

    /// Parses `commentWords` back. Words Seam does not know go to `extra`, in order. Throws a
    /// `SessionFormatError` naming the word when `call`, `conn` or `leg` is missing, a known word has a bad
    /// value or appears twice, or a word is not `key=value`.
    public init(parsingComment comment: String, timestamp: Timestamp) throws {
        let (words, malformed) = CommentWord.parseAll(comment)
        if let malformed {
            throw SessionFormatError(input: comment, problem: "word '\(malformed)' is not key=value")
        }
        var values: [String: String] = [:]
        var extra: [CommentWord] = []
        for word in words {
            guard Self.knownWords.contains(word.key) else {
                extra.append(word)
                continue
            }
            guard values.updateValue(word.value, forKey: word.key) == nil else {
                throw SessionFormatError(input: comment, problem: "word '\(word.key)' appears twice")
            }
        }
        var reader = WordReader(values: values, comment: comment)
        guard let kind = try reader.value("call", Kind.init(rawValue:)) else {
            throw reader.failure("missing call= word")
        }
        guard let connection = try reader.value("conn", { Int($0).flatMap { $0 >= 0 ? $0 : nil } }) else {
            throw reader.failure("missing conn= word")
        }
        guard let leg = try reader.value("leg", Leg.init(rawValue:)) else { throw reader.failure("missing leg= word") }
        self.init(kind: kind, connection: connection, leg: leg, timestamp: timestamp)
        transport = try reader.value("proto", Transport.init(rawValue:)) ?? .tcp
        direction = try reader.value("dir", Direction.init(rawValue:))
        offset = try reader.value("off") { UInt64($0) }
        length = try reader.count("len")
        bufferSize = try reader.count("buf")
        source = try reader.value("src", Endpoint.init)
        destination = try reader.value("dst", Endpoint.init)
        truncatedBytes = try reader.count("truncated")
        isPayloadCut = try reader.value("payload-cut") { $0 == "1" ? true : $0 == "0" ? false : nil } ?? false
        shutdownHow = try reader.value("how", ShutdownHow.init(rawValue:))
        rechunk = try reader.value("rechunk", Rechunk.init(rawValue:))
        failure = try reader.failureWords()
        program = try reader.programWords(timestamp: timestamp)
        self.extra = extra
    }
}

/// Reads the typed values of a call's known words, naming the word in every error.
private struct WordReader {
    let values: [String: String]
    let comment: String

    func failure(_ problem: String) -> SessionFormatError { SessionFormatError(input: comment, problem: problem) }

    func value<T>(_ key: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = values[key] else { return nil }
        guard let value = parse(text) else { throw failure("bad value '\(text)' for \(key)=") }
        return value
    }

    func count(_ key: String) throws -> Int? { try value(key) { Int($0).flatMap { $0 >= 0 ? $0 : nil } } }

    /// `op`, `error` and `errno`: `error` is an errno name or a reason in words; `errno` a number (or, in
    /// older traces, a name).
    func failureWords() throws -> CallFailure? {
        guard values["op"] != nil || values["error"] != nil || values["errno"] != nil else { return nil }
        var failure = CallFailure(operation: values["op"])
        if let number = try value("errno", { Int32($0).map(ErrorNumber.init) ?? ErrorNumber(name: $0) }) {
            failure.errorNumber = number
        }
        if let text = values["error"] {
            if let named = ErrorNumber(name: text), failure.errorNumber == nil || failure.errorNumber == named {
                failure.errorNumber = named
            } else {
                failure.reason = text
            }
        }
        return failure
    }

    /// The words of a program's call; `nil` when the call has no `pid`.
    func programWords(timestamp: Timestamp) throws -> ProgramCall? {
        guard let pid = try value("pid", { UInt32($0) }) else { return nil }
        var program = ProgramCall(pid: pid, tid: try value("tid") { UInt32($0) } ?? pid)
        program.command = values["comm"]
        program.function = values["fn"]
        program.fileDescriptor = try value("fd") { Int32($0) }
        if let took = try value("took-ns", { Int64($0) }) {
            if try value("stamp", { $0 == "entry" ? true : $0 == "return" ? false : nil }) == true {
                program.entryTime = timestamp
                program.returnTime = Timestamp(nanoseconds: timestamp.nanoseconds + took)
            } else {
                program.entryTime = Timestamp(nanoseconds: timestamp.nanoseconds - took)
                program.returnTime = timestamp
            }
        }
        program.dataPath = try value("data", ProgramCall.DataPath.init(rawValue:)) ?? .buffer
        program.batch = try value("batch") { text -> ProgramCall.Batch? in
            let parts = text.split(separator: "/")
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), index >= 0, index < count
            else { return nil }
            return ProgramCall.Batch(index: index, count: count)
        }
        program.flags = try value("flags", MessageFlags.init(names:)) ?? []
        program.returnedFlags = try value("msg-flags", MessageFlags.init(names:)) ?? []
        program.options.noDelay = try value("nodelay") { Int32($0) }
        program.options.cork = try value("cork") { Int32($0) }
        program.options.receiveBuffer = try value("rcvbuf") { Int32($0) }
        program.options.sendBuffer = try value("sndbuf") { Int32($0) }
        if let inFlight = try value("k-inflight", { UInt32($0) }) {
            program.kernel = KernelSocketState(
                noDelay: values["k-nodelay"] == "1", cork: values["k-cork"] == "1", packetsInFlight: inFlight,
                mss: try value("k-mss") { UInt32($0) } ?? 0, congestionWindow: try value("k-cwnd") { UInt32($0) } ?? 0,
                unsentBytes: try value("k-unsent") { UInt32($0) }, unreadBytes: try value("k-unread") { UInt32($0) })
        }
        return program
    }
}
