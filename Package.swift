// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tidings",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tidings", targets: ["tidings"]),
        .library(name: "FeedParsing", targets: ["FeedParsing"]),
        .library(name: "TidingsModel", targets: ["TidingsModel"]),
        .library(name: "HTMLSanitizing", targets: ["HTMLSanitizing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "TidingsModel"),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .systemLibrary(
            name: "CGumbo",
            pkgConfig: "gumbo",
            providers: [.apt(["libgumbo-dev"])]
        ),
        .target(name: "CUTF8Check"),
        .target(name: "CXMLScan"),
        .target(name: "HTMLSanitizing", dependencies: ["CGumbo", "CUTF8Check"]),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "FeedParsing",
            dependencies: [
                "TidingsModel",
                "CLibXML2",
                "CXMLScan",
            ],
            swiftSettings: [
                // The SAX callbacks mutate the reader's buffers millions of times per
                // feed; dynamic exclusivity checks cost ~15% of parse time there.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
            ]
        ),
        .target(
            name: "Fetching",
            dependencies: [
                "TidingsModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Processing", dependencies: ["TidingsModel", "HTMLSanitizing"]),
        .systemLibrary(name: "CSQLiteTuning"),
        .target(
            name: "Storage",
            dependencies: [
                "TidingsModel", "CSQLiteTuning", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .systemLibrary(name: "CSyncFS"),
        .systemLibrary(name: "CICUTransliterator"),
        .target(name: "Publishing", dependencies: ["TidingsModel", "CSyncFS", "CICUTransliterator"]),
        .target(
            name: "TidingsConfig",
            dependencies: [
                "TidingsModel", "Publishing", "CLibXML2", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Engine",
            dependencies: [
                "TidingsModel", "FeedParsing", "HTMLSanitizing", "Fetching", "Processing", "Storage",
                "Publishing", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tidings",
            dependencies: [
                "TidingsModel",
                "FeedParsing",
                "HTMLSanitizing",
                "Fetching",
                "Processing",
                "Storage",
                "Publishing",
                "TidingsConfig",
                "Engine",
                // The allocator on Linux (see checkAllocator); macOS keeps its own.
                .target(name: "CJemalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tidings-parse-bench",
            dependencies: ["FeedParsing", "CMalloc"]
        ),
        // The sanitizer's libFuzzer target; built normally it replays inputs
        // through the same checks (see scripts/fuzz-sanitizer).
        .executableTarget(
            name: "sanitizer-fuzz",
            dependencies: ["HTMLSanitizing", "FeedParsing", "TidingsModel"]
        ),
        // Sanitize throughput driver for `scripts/bench sanitize`.
        .executableTarget(
            name: "tidings-sanitize-bench",
            dependencies: ["HTMLSanitizing", "FeedParsing", "TidingsModel", "CMalloc"]
        ),
        .testTarget(
            name: "HTMLSanitizingTests",
            dependencies: ["HTMLSanitizing", "TestSupport"]
        ),
        // Test helpers shared by the test targets: a loopback HTTP server, child processes.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "FeedParsingTests",
            dependencies: ["FeedParsing", "TidingsModel", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FetchingTests",
            dependencies: [
                "Fetching", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ]
        ),
        .testTarget(
            name: "ProcessingTests", dependencies: ["Processing", "TidingsModel", "HTMLSanitizing", "TestSupport"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "TidingsModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "PublishingTests",
            dependencies: ["Publishing", "TidingsModel", "TestSupport", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(name: "TidingsConfigTests", dependencies: ["TidingsConfig", "TidingsModel"]),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "Storage", "Publishing", "Processing", "Fetching", "TidingsModel", "FeedParsing",
                "TestSupport", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
