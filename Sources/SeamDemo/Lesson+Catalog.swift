extension Lesson {
    /// Every lesson, in the order of the tutorial.
    public static let all: [Lesson] = [
        echoUpper, udpEcho, commandOutput, senderCoalescing, receiverBacklog, smallRecv, udpTruncation,
        lengthThenAck, structHeader, jsonHeader, sendVersusSendAll, closeUnread, emptyMessage,
    ]

    /// The lesson called `name`, if there is one.
    public static func named(_ name: String) -> Lesson? {
        all.first { $0.name == name }
    }

    /// The lesson `seam demo` plays when none is named.
    public static let headline = senderCoalescing
}

/// Bytes as the narration shows them: `'hello\n'`, with `…(N bytes)` when long.
func shown(_ bytes: [UInt8], limit: Int = 24) -> String {
    var text = ""
    for byte in bytes.prefix(limit) {
        switch byte {
        case 0x0a: text += "\\n"
        case 0x20..<0x7f: text.append(Character(Unicode.Scalar(byte)))
        default: text += "\\x" + String(byte, radix: 16).leftPadded(2)
        }
    }
    return "'\(text)'" + (bytes.count > limit ? "…(\(bytes.count) bytes)" : "")
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// The bytes of a string.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
