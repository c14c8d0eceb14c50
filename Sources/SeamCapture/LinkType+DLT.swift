import CPcap
import SeamCore

extension LinkType {
    /// The link type of libpcap's `DLT_` value `dlt` (what `pcap_datalink` returns). The two numberings agree
    /// except for a few old values whose `DLT_` number differs between platforms, raw IP above all: Linux's
    /// `DLT_RAW` is 12, OpenBSD's 14, and files say `LINKTYPE_RAW` (101) for both.
    public init(dlt: Int32) {
        switch dlt {
        case Int32(DLT_RAW): self = .raw
        case Int32(DLT_SLIP_BSDOS): self = LinkType(rawValue: 102)
        case Int32(DLT_PPP_BSDOS): self = LinkType(rawValue: 103)
        case Int32(DLT_ATM_CLIP): self = LinkType(rawValue: 106)
        default: self = LinkType(rawValue: UInt32(bitPattern: dlt))
        }
    }

    /// libpcap's `DLT_` value for this link type, for `pcap_open_dead` (the inverse of `init(dlt:)`).
    public var dlt: Int32 {
        switch rawValue {
        case 101, 12, 14: return Int32(DLT_RAW)
        case 102: return Int32(DLT_SLIP_BSDOS)
        case 103: return Int32(DLT_PPP_BSDOS)
        case 106: return Int32(DLT_ATM_CLIP)
        default: return Int32(bitPattern: rawValue)
        }
    }
}
