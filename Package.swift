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
        // The SwiftNIO relay (TCP and UDP) that records every read and write it makes.
        .target(
            name: "SeamProxy",
            dependencies: [
                "SeamCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // libpcap, through pkg-config (Debian: libpcap-dev).
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]),
        // Live capture: libpcap on a dedicated thread, BPF filters, interface choice. Never on a NIO event loop.
        .target(name: "SeamCapture", dependencies: ["CPcap", "SeamCore"]),
        // The classic socket lessons as runnable scenarios: POSIX peers, the proxy, the sniffer, one session.
        .target(
            name: "SeamDemo",
            dependencies: [
                "SeamCore", "SeamProxy", "SeamCapture",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // C: interposes libc's socket calls of a traced program and reports each one to `seam trace`.
        .target(name: "SeamPreload", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        // Runs a program with SeamPreload and turns its socket calls into session calls (leg=app).
        .target(
            name: "SeamTrace", dependencies: ["SeamCore", .product(name: "Atomics", package: "swift-atomics")]),
        .executableTarget(
            name: "seam",
            dependencies: [
                "SeamCore",
                "SeamProxy",
                "SeamCapture",
                "SeamDemo",
                "SeamTrace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SeamCoreTests", dependencies: ["SeamCore"]),
        .testTarget(
            name: "SeamProxyTests",
            dependencies: [
                "SeamProxy",
                "SeamCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SeamDemoTests", dependencies: ["SeamDemo", "SeamCore", "SeamCapture"]),
        .testTarget(name: "SeamCaptureTests", dependencies: ["SeamCapture", "SeamCore", "CPcap"]),
        .testTarget(name: "SeamTraceTests", dependencies: ["SeamTrace", "SeamCore"]),
    ],
    swiftLanguageModes: [.v6]
)
