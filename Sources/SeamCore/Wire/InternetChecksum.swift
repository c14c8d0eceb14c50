/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words, and the
/// TCP/UDP pseudo-headers of IPv4 (RFC 9293 §3.1) and IPv6 (RFC 8200 §8.1).
public enum InternetChecksum {
    /// Adds `bytes` as big-endian 16-bit words to `sum` (an odd last byte is padded with zero).
    public static func accumulate(_ bytes: ArraySlice<UInt8>, into sum: UInt32 = 0) -> UInt32 {
        var total = UInt64(sum)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            total += UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < bytes.endIndex { total += UInt64(bytes[index]) << 8 }
        while total > 0xffff_ffff { total = (total & 0xffff_ffff) + (total >> 32) }
        return UInt32(total)
    }

    /// Folds a running sum to 16 bits and complements it: the value to store in a checksum field.
    public static func finish(_ sum: UInt32) -> UInt16 {
        var folded = sum
        while folded > 0xffff { folded = (folded & 0xffff) + (folded >> 16) }
        return ~UInt16(folded)
    }

    /// The checksum of `bytes` alone (the IPv4 header checksum when its field is zero).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 { finish(accumulate(bytes)) }

    /// The sum of the pseudo-header for a TCP or UDP checksum: addresses, protocol and upper-layer length.
    public static func pseudoHeaderSum(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8, length: Int
    ) -> UInt32 {
        var sum: UInt64 = 0
        func add(_ address: IPAddress) {
            switch address {
            case .v4(let v):
                sum += UInt64(v >> 16) + UInt64(v & 0xffff)
            case .v6(let high, let low):
                for word in [high, low] {
                    sum += (word >> 48) + (word >> 32 & 0xffff) + (word >> 16 & 0xffff) + (word & 0xffff)
                }
            }
        }
        add(source)
        add(destination)
        sum += UInt64(protocolNumber)
        sum += UInt64(length >> 16) + UInt64(length & 0xffff)
        while sum > 0xffff_ffff { sum = (sum & 0xffff_ffff) + (sum >> 32) }
        return UInt32(sum)
    }

    /// The TCP or UDP checksum of `segment` (its checksum field zero) under the pseudo-header of the addresses.
    /// For UDP a computed 0 is sent as 0xffff (RFC 768).
    public static func transportChecksum(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8, segment: ArraySlice<UInt8>
    ) -> UInt16 {
        let pseudo = pseudoHeaderSum(
            source: source, destination: destination, protocolNumber: protocolNumber, length: segment.count)
        let value = finish(accumulate(segment, into: pseudo))
        return value == 0 && protocolNumber == Wire.IPProtocol.udp ? 0xffff : value
    }
}
