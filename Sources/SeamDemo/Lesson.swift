import SeamCore

/// One classic socket lesson: the buggy program and the fixed one (or, where there is no bug to show, the one
/// correct program), each played for real on 127.0.0.1 with the proxy and the sniffer between its peers.
public struct Lesson: Sendable {
    /// The name on the command line (`sender-coalescing`).
    public var name: String
    public var title: String
    /// One line for `seam demo --list`: the situation the variants share.
    public var summary: String
    /// The bug first, then the fix (or the one correct program).
    public var variants: [LessonVariant]

    init(name: String, title: String, summary: String, variants: [LessonVariant]) {
        self.name = name
        self.title = title
        self.summary = summary
        self.variants = variants
    }

    init(name: String, title: String, summary: String, bug: LessonVariant, fix: LessonVariant) {
        self.init(name: name, title: title, summary: summary, variants: [bug, fix])
    }

    /// The first buggy variant, if the lesson has one.
    public var bug: LessonVariant? { variants.first { $0.role == .bug } }

    /// The variant named `name` (`bug`, `fix`, `correct`, …).
    public func variant(named name: String) -> LessonVariant? {
        variants.first { $0.name == name }
    }

    /// The stem of a variant's files: `LESSON-VARIANT` (`small-recv-bug`), or `LESSON` when the lesson has one
    /// variant only.
    public func fileStem(of variant: LessonVariant) -> String {
        variants.count == 1 ? name : "\(name)-\(variant.name)"
    }

    /// `path` for one variant of a lesson of several: `s.pcapng` → `s-bug.pcapng` (the stem's suffix before the
    /// extension); unchanged when the lesson has one variant.
    public func path(_ path: String, for variant: LessonVariant) -> String {
        guard variants.count > 1 else { return path }
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[slash...].lastIndex(of: "."), dot > slash {
            return path[..<dot] + "-\(variant.name)" + path[dot...]
        }
        return path + "-\(variant.name)"
    }
}
