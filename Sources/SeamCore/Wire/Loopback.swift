/// A checked view of a BSD loopback header: `NULL` (a 4-byte address family in the capturing host's byte order)
/// or `LOOP` (always big-endian).
///
/// The family values: 2 is `AF_INET` everywhere; `AF_INET6` is 10 on Linux, 24 on NetBSD/OpenBSD, 28 on FreeBSD
/// and 30 on macOS. For `NULL` the byte order is detected: the field is read little-endian, and if that is not
/// a known family, big-endian.
public struct LoopbackFrameView: Sendable {
    public let bytes: ArraySlice<UInt8>
    /// The address family, in the byte order that made it a known family (or as read big-endian).
    public let family: UInt32

    /// `AF_INET`, the same on every system.
    public static let inetFamily: UInt32 = 2

    public init(checking data: ArraySlice<UInt8>, bigEndianOnly: Bool) throws(DecodeProblem) {
        guard data.count >= 4 else {
            throw DecodeProblem(layer: .link, reason: "loopback header needs 4 bytes, \(data.count) captured")
        }
        let bigEndian = data.wireUInt32(0)
        let littleEndian = bigEndian.byteSwapped
        self.bytes = data
        self.family = !bigEndianOnly && Self.isKnown(littleEndian) ? littleEndian : bigEndian
    }

    static func isKnown(_ family: UInt32) -> Bool {
        family == 2 || family == 10 || family == 24 || family == 28 || family == 30
    }

    /// 4 or 6 for a known family, `nil` otherwise.
    public var ipVersion: UInt8? {
        if family == Self.inetFamily { return 4 }
        return family == 10 || family == 24 || family == 28 || family == 30 ? 6 : nil
    }
    @inline(__always) public var payload: ArraySlice<UInt8> { bytes.wireSlice(from: 4, length: bytes.count) }
}

/// A loopback header to emit: the family and the byte order to write it in.
public struct LoopbackHeader: Hashable, Sendable {
    public var family: UInt32
    public var isBigEndian: Bool

    public init(family: UInt32, isBigEndian: Bool) {
        self.family = family
        self.isBigEndian = isBigEndian
    }

    public init(_ view: LoopbackFrameView, bigEndian: Bool) {
        self.init(family: view.family, isBigEndian: bigEndian)
    }

    public func emit(into out: inout [UInt8]) {
        out.appendUInt32(isBigEndian ? family : family.byteSwapped)  // address family
    }
}
