/// The parts of an HTTP/1.x head (start line and header block) that decide where its message ends.
struct HTTP1Head: Hashable {
    enum Body: Hashable {
        case none
        case length(UInt64)
        case chunked
        case untilClose
    }

    /// The request line or status line, without CR LF.
    var startLine: [UInt8]
    /// The status code of a response, `nil` for a request.
    var status: Int?
    var body: Body

    /// Parses a whole head, empty line included, that starts at `offset` of the stream.
    init(parsing head: [UInt8], at offset: UInt64) throws(FramingError) {
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw FramingError(offset: offset, reason: "empty HTTP head") }
        startLine = Array(first)
        let words = first.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: true)
        let shown = SummaryText.escaped(first)
        if first.starts(with: "HTTP/1.".utf8) {
            guard words.count >= 2, words[1].count == 3, let code = Int(String(decoding: words[1], as: UTF8.self))
            else { throw FramingError(offset: offset, reason: "HTTP status line \"\(shown)\" has no status code") }
            status = code
        } else {
            let isToken = words.first?.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") } ?? false
            guard words.count == 3, isToken, words[2].starts(with: "HTTP/".utf8) else {
                throw FramingError(offset: offset, reason: "\"\(shown)\" is not an HTTP request or status line")
            }
            status = nil
        }

        var contentLength: UInt64?
        var transferCodings: [String] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if line.first == 0x20 || line.first == 0x09 { continue }  // obsolete line folding
                throw FramingError(
                    offset: offset,
                    reason: "HTTP header line \"\(SummaryText.escaped(line))\" has no ':'"
                )
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            switch name {
            case "content-length":
                for part in value.split(separator: ",") {
                    let digits = part.trimmingHTTPSpaces
                    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let length = UInt64(digits)
                    else {
                        throw FramingError(
                            offset: offset,
                            reason: "HTTP Content-Length \"\(value.trimmingHTTPSpaces)\" is not a number"
                        )
                    }
                    guard contentLength == nil || contentLength == length else {
                        throw FramingError(offset: offset, reason: "HTTP Content-Length values differ")
                    }
                    contentLength = length
                }
            case "transfer-encoding":
                transferCodings += value.split(separator: ",").map { $0.trimmingHTTPSpaces.lowercased() }
            default:
                break
            }
        }

        if let status, status / 100 == 1 || status == 204 || status == 304 {
            body = .none
        } else if let last = transferCodings.last {
            if last == "chunked" {
                body = .chunked
            } else if status != nil {
                body = .untilClose
            } else {
                throw FramingError(
                    offset: offset,
                    reason: "HTTP request with Transfer-Encoding \"\(last)\" not ending in chunked"
                )
            }
        } else if let contentLength {
            body = contentLength == 0 ? .none : .length(contentLength)
        } else {
            body = status == nil ? .none : .untilClose
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingHTTPSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
