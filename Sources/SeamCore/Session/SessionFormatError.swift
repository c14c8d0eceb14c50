/// A session call or session settings that do not parse: what was being read, and what is wrong with it.
public struct SessionFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The text or record that was read, e.g. the comment.
    public var input: String
    /// What is wrong, e.g. `missing call= word`.
    public var problem: String

    public init(input: String, problem: String) {
        self.input = input
        self.problem = problem
    }

    public var description: String { "bad session record '\(input)': \(problem)" }
}
