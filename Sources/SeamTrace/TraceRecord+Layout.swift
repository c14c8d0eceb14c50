extension TraceRecord {
    /// The byte offset of each field of `struct seam_record` (`Sources/SeamPreload/include/seam_preload.h`),
    /// by its C name. The decoder reads every field through this table, and a test compiles the header and
    /// compares it with `offsetof`, so the two cannot drift apart.
    public enum Layout {
        public static let length = 0
        public static let version = 4
        public static let op = 6
        public static let pid = 8
        public static let tid = 12
        public static let socketID = 16  // socket_id
        public static let startNanoseconds = 24  // start_ns
        public static let endNanoseconds = 32  // end_ns
        public static let asked = 40
        public static let result = 48
        public static let offset = 56
        public static let fd = 64
        public static let err = 68
        public static let flags = 72
        public static let outFlags = 76  // out_flags
        public static let optionLevel = 80  // opt_level
        public static let optionName = 84  // opt_name
        public static let optionValue = 88  // opt_value
        public static let role = 92
        public static let socketType = 93  // socktype
        public static let family = 94
        public static let payloadCut = 95  // payload_cut
        public static let localPort = 96  // local_port
        public static let peerPort = 98  // peer_port
        public static let localAddress = 100  // local_addr
        public static let peerAddress = 116  // peer_addr
        public static let payloadLength = 132  // payload_length
        public static let function = 136
        public static let dataSource = 137  // data_source
        public static let batchIndex = 138  // batch_index
        public static let batchCount = 140  // batch_count

        /// Every field as (C name, offset), for the test that checks them against the header.
        public static let fields: [(name: String, offset: Int)] = [
            ("length", length), ("version", version), ("op", op), ("pid", pid), ("tid", tid),
            ("socket_id", socketID), ("start_ns", startNanoseconds), ("end_ns", endNanoseconds), ("asked", asked),
            ("result", result), ("offset", offset), ("fd", fd), ("err", err), ("flags", flags),
            ("out_flags", outFlags), ("opt_level", optionLevel), ("opt_name", optionName),
            ("opt_value", optionValue), ("role", role), ("socktype", socketType), ("family", family),
            ("payload_cut", payloadCut), ("local_port", localPort), ("peer_port", peerPort),
            ("local_addr", localAddress), ("peer_addr", peerAddress), ("payload_length", payloadLength),
            ("function", function), ("data_source", dataSource), ("batch_index", batchIndex),
            ("batch_count", batchCount),
        ]
    }
}
