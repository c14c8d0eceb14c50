import Foundation

/// The last Interface Statistics Block of a little-endian pcapng file: `isb_ifrecv` and `isb_ifdrop`.
struct PcapngStatistics {
    var received: UInt64?
    var dropped: UInt64?

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var offset = 0
        var found = false
        while offset + 12 <= bytes.count {
            let type = u32(offset)
            let length = u32(offset + 4)
            guard length >= 12, offset + length <= bytes.count else { return nil }
            if type == 5 {  // Interface Statistics Block
                found = true
                var option = offset + 20
                while option + 4 <= offset + length - 4 {
                    let code = u16(option)
                    let size = u16(option + 2)
                    if code == 0 { break }
                    if size == 8 {
                        let value = (0..<8).reduce(UInt64(0)) {
                            $0 | UInt64(bytes[option + 4 + $1]) << (8 * UInt64($1))
                        }
                        if code == 4 { received = value }  // isb_ifrecv
                        if code == 5 { dropped = value }  // isb_ifdrop
                    }
                    option += 4 + (size + 3) & ~3
                }
            }
            offset += length
        }
        if !found { return nil }
    }
}
