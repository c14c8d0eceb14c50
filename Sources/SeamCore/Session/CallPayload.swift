/// The bytes a recorded call moved, wherever they live: an array, or (in the proxy) the event loop's own
/// buffer, handed over without a copy and read once, by `SessionWriter`, off the loop.
public protocol CallPayload: Sendable {
    var byteCount: Int { get }
    func withPayloadBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension Array: CallPayload where Element == UInt8 {
    public var byteCount: Int { count }
    public func withPayloadBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}
