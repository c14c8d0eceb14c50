#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds `libSeamPreload.so`, the library `seam trace` preloads into the traced program.
public enum PreloadLibrary {
    /// The file name SwiftPM gives the `SeamPreload` dynamic library product.
    public static let fileName = "libSeamPreload.so"

    /// The directory of the running executable (`/proc/self/exe`, symlinks resolved).
    public static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard length > 0 else { return nil }
        let path = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// The library's absolute path: `$SEAM_PRELOAD` when set, else next to the executable (where SwiftPM
    /// builds it, `.build/<config>/`), else in `../lib` beside it (an installed layout); `nil` when none exists.
    public static func locate(nextTo directory: String? = executableDirectory()) -> String? {
        if let explicit = getenv("SEAM_PRELOAD").map({ String(cString: $0) }), !explicit.isEmpty {
            return access(explicit, R_OK) == 0 ? explicit : nil
        }
        guard let directory else { return nil }
        for candidate in [directory + "/" + fileName, directory + "/../lib/" + fileName]
        where access(candidate, R_OK) == 0 {
            return candidate
        }
        return nil
    }
}
