#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import SeamCore
import SeamRecording

/// Prints each call as one line on stdout: text for people, or one JSON object per line (`--json`).
///
/// Text: `14:29:17.123456 #1 downstream c2s recv [0,5) len=5 buf=7 "hello"`. JSON keys: `time` (ISO 8601),
/// `call`, `conn`, `leg`, `dir`, `off`, `len`, `buf`, `src`, `dst`, `preview`, then the call's other words
/// (`truncated`, `error`, `errno`, `rechunk`…) as the session file writes them.
/// One `write(1, …)` per line, so lines from several event loops never interleave.
public struct LiveCallPrinter: SessionCallSink {
    /// How many payload bytes the preview shows.
    public static let previewLength = 24
    public let json: Bool

    public init(json: Bool) { self.json = json }

    /// Writes the text to file descriptor 1 in one `write` (lines up to PIPE_BUF never interleave).
    public static func writeStandardOutput(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(1, bytes.baseAddress! + done, bytes.count - done)
                if n <= 0 { return }
                done += n
            }
        }
    }

    public func record(_ call: SessionCall, payload: ByteBuffer?) {
        let payload = payload ?? call.payload.map { ByteBuffer(bytes: $0) }
        var line = json ? Self.jsonLine(call, payload: payload) : Self.textLine(call, payload: payload)
        line.append("\n")
        Self.writeStandardOutput(line)
    }

    /// The text form of a call, without newline.
    public static func textLine(_ call: SessionCall, payload: ByteBuffer?) -> String {
        var line = "\(call.timestamp.timeOfDay) #\(call.connection) \(call.leg.rawValue)"
        if let direction = call.direction { line += " \(direction.rawValue)" }
        line += " \(call.kind.rawValue)"
        switch call.kind {
        case .accept, .connect:
            if let source = call.source, let destination = call.destination { line += " \(source) -> \(destination)" }
        default:
            break
        }
        if let offset = call.offset, let length = call.length {
            line += " [\(offset),\(offset + UInt64(length))) len=\(length)"
        }
        if let size = call.bufferSize { line += " buf=\(size)" }
        if let failure = call.failure {
            line += " error=\(failure)"
        } else {
            for word in call.detailWords { line += " \(word.key)=\(word.value)" }
        }
        if let payload, payload.readableBytes > 0 {
            line += " \"\(preview(payload))\""
        }
        return line
    }

    /// The JSON form of a call, without newline.
    public static func jsonLine(_ call: SessionCall, payload: ByteBuffer?) -> String {
        var line = "{\"time\":\"\(call.timestamp.iso8601)\",\"call\":\"\(call.kind.rawValue)\""
        line += ",\"conn\":\(call.connection),\"leg\":\"\(call.leg.rawValue)\""
        line += ",\"transport\":\"\(call.transport.rawValue)\""
        if let direction = call.direction { line += ",\"dir\":\"\(direction.rawValue)\"" }
        if let offset = call.offset { line += ",\"off\":\(offset)" }
        if let length = call.length { line += ",\"len\":\(length)" }
        if let size = call.bufferSize { line += ",\"buf\":\(size)" }
        if let source = call.source { line += ",\"src\":\"\(source)\"" }
        if let destination = call.destination { line += ",\"dst\":\"\(destination)\"" }
        if let payload, payload.readableBytes > 0 {
            line += ",\"preview\":\"\(jsonEscaped(preview(payload)))\""
        }
        if let failure = call.failure { line += ",\"error_text\":\"\(jsonEscaped(failure.description))\"" }
        for word in call.detailWords {
            line += ",\"\(jsonEscaped(word.key))\":\"\(jsonEscaped(word.value))\""
        }
        line += "}"
        return line
    }

    /// The first bytes of a payload with C escapes (`\n`, `\r`, `\t`, `\\`, `\"`, `\xNN`), `…` when cut.
    public static func preview(_ payload: ByteBuffer) -> String {
        var text = ""
        let shown = payload.readableBytesView.prefix(previewLength)
        for byte in shown {
            switch byte {
            case 0x0a: text += "\\n"
            case 0x0d: text += "\\r"
            case 0x09: text += "\\t"
            case 0x5c: text += "\\\\"
            case 0x22: text += "\\\""
            case 0x20..<0x7f: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789abcdef".unicodeScalars)
                text += "\\x"
                text.unicodeScalars.append(hex[Int(byte >> 4)])
                text.unicodeScalars.append(hex[Int(byte & 0xf)])
            }
        }
        if payload.readableBytes > previewLength { text += "…" }
        return text
    }

    /// The text escaped for a JSON string (SeamCore's JSON escaping, without the quotes).
    public static func jsonEscaped(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, into: &out)
        return String(out.dropFirst().dropLast())
    }
}
