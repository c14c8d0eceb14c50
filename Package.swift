// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "seam",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seam", targets: ["seam"]),
        .library(name: "SeamCore", targets: ["SeamCore"]),
        .library(name: "SeamCapture", targets: ["SeamCapture"]),
        // The LD_PRELOAD library of `seam trace`, built next to the seam binary (never linked into it).
        .library(name: "SeamPreload", type: .dynamic, targets: ["SeamPreload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
    ],
    targets: [
        // Pure Swift: capture files, decoding, reassembly, framing, analysis, reports. No networking, no libpcap.
        .target(name: "SeamCore"),
        // Records a session from many threads (event loops, capture threads): a bounded, back-pressured queue
        // in front of SeamCore's SessionWriter, on a thread of its own.
        .target(
            name: "SeamRecording",
            dependencies: [
                "SeamCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // The SwiftNIO relay (TCP and UDP) that records every read and write it makes.
        .target(
            name: "SeamProxy",
            dependencies: [
                "SeamCore",
                "SeamRecording",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // `seam check`: replays a recorded exchange to a live server (or plays the server to a client command)
        // under chosen chunkings, and shrinks the first one that changes the answers. Plain POSIX sockets.
        .target(name: "SeamCheck", dependencies: ["SeamCore"]),
        // libpcap, through pkg-config (Debian: libpcap-dev).
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]),
        // Live capture: libpcap on a dedicated thread, BPF filters, interface choice. Never on a NIO event loop.
        .target(name: "SeamCapture", dependencies: ["CPcap", "SeamCore"]),
        // The classic socket lessons as runnable scenarios: POSIX peers, the proxy, the sniffer, one session.
        .target(
            name: "SeamDemo",
            dependencies: [
                "SeamCore", "SeamRecording", "SeamProxy", "SeamCapture",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // C: interposes libc's socket calls of a traced program and reports each one to `seam trace`.
        .target(name: "SeamPreload", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        // C for SeamTrace's ChildProcess: pidfd_open, and signal handlers that pass signals on to the child.
        .target(name: "CSeamProcess"),
        // Runs a program with SeamPreload and turns its socket calls into session calls (leg=app).
        .target(
            name: "SeamTrace",
            dependencies: [
                "SeamCore", "SeamRecording", "CSeamProcess", .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // libbpf, through pkg-config (Debian: libbpf-dev).
        .systemLibrary(name: "CBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),
        // C: the event layout shared with the BPF program, and libbpf's loader (open, configure, attach, poll).
        .target(name: "CSeamWatch", dependencies: ["CBPF"], linkerSettings: [.linkedLibrary("bpf")]),
        // Build tool: compiles a BPF program with clang and writes it as a Swift source (for BPFObject).
        .executableTarget(name: "SeamBPFCompile"),
        // Build-tool plugin: Sources/<target>/BPF/*.bpf.c, compiled and embedded in the target.
        .plugin(name: "BPFObject", capability: .buildTool(), dependencies: ["SeamBPFCompile"]),
        // The eBPF recorder of any process's socket calls (`seam watch`): BPF/seam_watch.bpf.c, embedded.
        .target(
            name: "SeamWatch",
            dependencies: ["CSeamWatch", "SeamCore", "SeamRecording", "SeamTrace"],
            exclude: ["BPF"],
            plugins: ["BPFObject"]
        ),
        .executableTarget(
            name: "seam",
            dependencies: [
                "SeamCore",
                "SeamRecording",
                "SeamProxy",
                "SeamCapture",
                "SeamDemo",
                "SeamTrace",
                "SeamWatch",
                "SeamCheck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the test suites share: the package's paths, session files read back, waiting for a condition.
        .target(name: "SeamTestSupport", dependencies: ["SeamCore"], path: "Tests/SeamTestSupport"),
        .testTarget(name: "SeamCoreTests", dependencies: ["SeamCore", "SeamTestSupport"]),
        .testTarget(
            name: "SeamRecordingTests",
            dependencies: [
                "SeamRecording", "SeamCore", "SeamTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .testTarget(
            name: "SeamProxyTests",
            dependencies: [
                "SeamProxy",
                "SeamRecording",
                "SeamCore",
                "SeamTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SeamDemoTests", dependencies: ["SeamDemo", "SeamCore", "SeamCapture", "SeamTestSupport"]),
        .testTarget(name: "SeamCaptureTests", dependencies: ["SeamCapture", "SeamCore", "CPcap", "SeamTestSupport"]),
        .testTarget(name: "SeamCheckTests", dependencies: ["SeamCheck", "SeamProxy", "SeamCore", "SeamTestSupport"]),
        .testTarget(name: "SeamTraceTests", dependencies: ["SeamTrace", "SeamCore", "SeamTestSupport"]),
        .testTarget(
            name: "SeamWatchTests",
            dependencies: ["SeamWatch", "CSeamWatch", "SeamTrace", "SeamCore", "SeamTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
