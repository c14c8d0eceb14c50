/// A line that carries the length of a data block after it, as ASCII decimal in one of its words
/// (`linelen:WORD[+ADJUST][,opt]`).
///
/// ```
///  +--------------------------------------+-------------------------------------+
///  | line: word0 word1 ... wordN ... LF   | data block: wordN + adjustment bytes|
///  | VALUE key 0 5\r\n                    | hello\r\n                           |   linelen:3+2
///  | 5025\n                               | 5025 bytes                          |   linelen:0
///  +--------------------------------------+-------------------------------------+
///  one message: the line and its data block
/// ```
///
/// Words are separated by spaces or tabs; the line ends with LF (a CR before it is not part of the last word).
/// `word` counts from 0, and from the end when negative (`-1` is the last word). With `isOptional`, a line
/// whose word is missing or not a number carries no data block (memcache's `END`); without it, such a line is
/// a framing error.
public struct LineLength: Hashable, Sendable, CustomStringConvertible {
    /// The index of the word that holds the length: from 0, or from the end when negative.
    public var word: Int
    /// Added to the length (may be negative): e.g. `+2` for a CR LF after the data.
    public var adjustment: Int
    /// Whether lines without a length are messages of their own (instead of errors).
    public var isOptional: Bool

    /// The length is in word `word`; the block has that many bytes plus `adjustment`.
    public init(word: Int = 0, adjustment: Int = 0, isOptional: Bool = false) {
        self.word = word
        self.adjustment = adjustment
        self.isOptional = isOptional
    }

    /// The canonical spec text, e.g. `linelen:3+2,opt`.
    public var description: String {
        var text = "linelen:\(word)"
        if adjustment > 0 { text += "+\(adjustment)" }
        if adjustment < 0 { text += "\(adjustment)" }
        if isOptional { text += ",opt" }
        return text
    }
}
