import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Exit codes (DESIGN.md): 0 success, 1 the command failed, 2 usage error.
// argument-parser's own default for usage errors is 64, so map them here.
do {
    var command = try Seam.parseAsRoot()
    try command.run()
} catch let failure as CommandFailure {
    FileHandleStderr.write("seam: \(failure.message)\n")
    exit(1)
} catch let code as ExitCode {
    exit(code.rawValue)  // `seam report --check` found a verdict (3); no message of its own
} catch {
    let code = Seam.exitCode(for: error)
    if code == .success {
        Seam.exit(withError: error)
    }
    if code.rawValue == ExitCode.validationFailure.rawValue || code.rawValue == 64 {
        FileHandleStderr.write(Seam.fullMessage(for: error) + "\n")
        exit(2)
    }
    FileHandleStderr.write("seam: \(Seam.fullMessage(for: error))\n")
    exit(code.rawValue == 0 ? 1 : code.rawValue)
}
