import CPcap
import SeamCore
import Testing

@testable import SeamCapture

@Suite("LinkType and libpcap DLT values")
struct LinkTypeDLTTests {
    @Test("raw IP is DLT_RAW in libpcap and LINKTYPE_RAW (101) in files; the common types agree")
    func mapping() {
        #expect(LinkType(dlt: Int32(DLT_RAW)) == .raw)
        #expect(LinkType.raw.dlt == Int32(DLT_RAW))
        #expect(LinkType.rawBSD.dlt == Int32(DLT_RAW))
        for type in [LinkType.ethernet, .linuxSLL, .linuxSLL2, .null, .ipv4, .ipv6, .wiresharkUpperPDU] {
            #expect(LinkType(dlt: type.dlt) == type, "\(type)")
        }
    }
}
