// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "seam",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seam", targets: ["seam"]),
        .library(name: "SeamCore", targets: ["SeamCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Pure Swift: capture files, decoding, reassembly, framing, analysis, reports. No networking, no libpcap.
        .target(name: "SeamCore"),
        .executableTarget(
            name: "seam",
            dependencies: [
                "SeamCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SeamCoreTests", dependencies: ["SeamCore"]),
    ],
    swiftLanguageModes: [.v6]
)
