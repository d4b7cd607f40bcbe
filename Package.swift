// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "keel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keel", targets: ["keel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.34.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.30.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "KeelCore",
            dependencies: ["KeelMatching", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelStore",
            dependencies: [
                "KeelCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelMatching",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelIntegrations",
            dependencies: [
                "KeelCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelEngine",
            dependencies: [
                "KeelCore",
                "KeelStore",
                "KeelIntegrations",
                "KeelMatching",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelWeb",
            dependencies: ["KeelCore", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.embedInCode("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelServer",
            dependencies: [
                "KeelCore",
                "KeelEngine",
                "KeelWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "keel",
            dependencies: [
                "KeelCore",
                "KeelStore",
                "KeelEngine",
                "KeelServer",
                "KeelMatching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "KeelBenchmarks",
            dependencies: [
                "KeelCore", "KeelStore", "KeelEngine", "KeelServer", "KeelMatching", "KeelTestSupport", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "CSV", package: "CSV.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/KeelBenchmarks",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeelTestSupport",
            dependencies: ["KeelCore", "KeelStore", "KeelEngine", "KeelIntegrations", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/KeelTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeelCoreTests",
            dependencies: ["KeelCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Import/Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeelMatchingTests",
            dependencies: ["KeelMatching"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeelWebTests",
            dependencies: ["KeelCore", "KeelWeb"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeelEngineTests",
            dependencies: ["KeelCore", "KeelStore", "KeelEngine", "KeelIntegrations", "KeelTestSupport", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KeelServerTests",
            dependencies: [
                "KeelCore", "KeelStore", "KeelEngine", "KeelServer", "KeelIntegrations", "KeelTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
