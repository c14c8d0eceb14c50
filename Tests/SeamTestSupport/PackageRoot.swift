#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the package's files are, found from this source file's path (never an absolute path): the package
/// root, its `captures/`, the shared corpus beside it (`../shared/corpus/files`), and the built `seam`.
public enum PackageRoot {
    /// The package's root directory.
    public static let path: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/SeamTestSupport/PackageRoot.swift
        return parts.joined(separator: "/")
    }()

    /// `../shared/corpus/files` beside the package, with a trailing slash.
    public static let corpus = path + "/../shared/corpus/files/"

    /// Whether the shared corpus is there (tests print a reason and skip when it is not).
    public static var hasCorpus: Bool { access(corpus, R_OK) == 0 }

    /// The built `seam` binary: the one beside the running test bundle (the same build), else the package's
    /// `.build/debug` or `.build/release` one; `nil` when none was built. The one place tests find it.
    public static let seamBinary: String? = {
        var beside = CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        if beside.hasSuffix("/Contents/MacOS") {  // a macOS .xctest bundle, three levels below the products
            beside = beside.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        }
        let candidates = [beside + "/seam", path + "/.build/debug/seam", path + "/.build/release/seam"]
        return candidates.first { access($0, X_OK) == 0 }
    }()

    /// Why tests of the binary are skipped when it is missing.
    public static let seamBinaryMissing = "needs the seam binary: run swift build first"
}
