/// A session's settings, stated in its section header's comment as ordered words after a marker:
///
/// ```
/// seam-session version=1 listen=127.0.0.1:9000 to=127.0.0.1:9001 recv-size=1024
/// ```
///
/// Words keep their order, so the same settings always give the same comment.
public struct SessionSettings: Sendable, Hashable, CustomStringConvertible {
    /// The first word of the comment, which marks a Seam session file.
    public static let marker = "seam-session"
    /// The session format version Seam writes.
    public static let currentVersion = 1

    /// The words after the marker, in order (`version` first when Seam wrote them).
    public var words: [CommentWord]

    /// Settings with only `version=1`.
    public init() {
        words = [CommentWord("version", String(SessionSettings.currentVersion))]
    }

    public init(words: [CommentWord]) {
        self.words = words
    }

    /// Parses a section comment. Throws a `SessionFormatError` when it does not start with `seam-session`
    /// or a word is not `key=value`.
    public init(parsing comment: String) throws {
        let trimmed = comment.drop { $0 == " " }
        guard trimmed.hasPrefix(SessionSettings.marker + " ") || trimmed == Substring(SessionSettings.marker) else {
            throw SessionFormatError(input: comment, problem: "does not start with '\(SessionSettings.marker)'")
        }
        let (parsed, malformed) = CommentWord.parseAll(String(trimmed.dropFirst(SessionSettings.marker.count)))
        if let malformed {
            throw SessionFormatError(input: comment, problem: "word '\(malformed)' is not key=value")
        }
        words = parsed
    }

    /// The value of `key`; setting it replaces the word in place, or appends it; `nil` removes it.
    public subscript(key: String) -> String? {
        get { words.first { $0.key == key }?.value }
        set {
            if let index = words.firstIndex(where: { $0.key == key }) {
                if let newValue { words[index].value = newValue } else { words.remove(at: index) }
            } else if let newValue {
                words.append(CommentWord(key, newValue))
            }
        }
    }

    /// The `version` word as a number, `nil` when absent or not a number.
    public var version: Int? { self["version"].flatMap { Int($0) } }

    /// The comment text: `seam-session` and the words.
    public var description: String {
        ([SessionSettings.marker] + words.map(\.description)).joined(separator: " ")
    }
}

extension SessionSettings {
    /// The settings for people: `key=value` with values unescaped and quoted when they hold spaces.
    public var readable: String {
        words.map { $0.value.contains(" ") ? "\($0.key)=\"\($0.value)\"" : "\($0.key)=\($0.value)" }
            .joined(separator: " ")
    }
}
