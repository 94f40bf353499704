// swift-tools-version: 6.2
//
// DevPayKit: activation, encrypted credential storage and S3 request signing for desktop apps sold
// through Amazon DevPay. Module map and dependency rules: docs/ARCHITECTURE.md.
import PackageDescription

/// Settings every target of ours shares: Swift 6 language mode (strict concurrency is its default),
/// and `any` spelled out for existentials so their cost is visible at the call site.
let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "DevPayKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DevPayKit", targets: ["DevPayKit"]),
        .library(name: "DevPayStateMachine", targets: ["DevPayStateMachine"]),
        .library(name: "DevPayStateMachineTesting", targets: ["DevPayStateMachineTesting"]),
        .library(name: "DevPayHTTPTesting", targets: ["DevPayHTTPTesting"]),
        .library(name: "DevPayLoggingTesting", targets: ["DevPayLoggingTesting"]),
        .library(name: "DevPaySigning", targets: ["DevPaySigning"]),
        .library(name: "DevPayHTTP", targets: ["DevPayHTTP"]),
        .library(name: "DevPayRetry", targets: ["DevPayRetry"]),
        .library(name: "DevPayXML", targets: ["DevPayXML"]),
        .library(name: "DevPayLicenseService", targets: ["DevPayLicenseService"]),
        .library(name: "DevPayCredentialStore", targets: ["DevPayCredentialStore"]),
        .library(name: "DevPayS3", targets: ["DevPayS3"]),
        .library(name: "DevPayEmulator", targets: ["DevPayEmulator"]),
        .library(name: "DevPayEmulatorTesting", targets: ["DevPayEmulatorTesting"]),
        .executable(name: "devpay", targets: ["devpay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // `swift package generate-documentation` for the DocC catalogs (scripts/docs); builds nothing otherwise.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries of the system, each behind a small shim module.
        .systemLibrary(
            name: "CDevPayOpenSSL",
            path: "Sources/CShims/CDevPayOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CDevPayCurl",
            path: "Sources/CShims/CDevPayCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CDevPayLibXML2",
            path: "Sources/CShims/CDevPayLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            // libc only (prctl); no library to link.
            name: "CDevPayProcess",
            path: "Sources/CShims/CDevPayProcess"
        ),

        // MARK: Leaves: depend on nothing of ours.
        .target(
            name: "DevPayStateMachine",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPaySigning",
            dependencies: ["CDevPayOpenSSL"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPayHTTP",
            dependencies: [
                "CDevPayCurl",
                "DevPayRetry",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPayRetry",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPayXML",
            dependencies: ["CDevPayLibXML2"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPayCredentialStore",
            dependencies: [
                "CDevPayOpenSSL",
                "DevPaySigning",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        .executableTarget(
            // Test-only helper: a separate process that writes, reads and reactivates, so the store's
            // crash and multi-process tests exercise real SIGKILLs and real flock contention.
            name: "devpay-store-stress",
            dependencies: ["DevPayCredentialStore"],
            swiftSettings: strictSwift
        ),

        // MARK: Clients built from the leaves.
        .target(
            name: "DevPayLicenseService",
            dependencies: [
                "DevPayXML",
                "DevPaySigning",
                "DevPayHTTP",
                "DevPayRetry",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "DevPayS3",
            dependencies: [
                "DevPayXML",
                "DevPaySigning",
                "DevPayHTTP",
                "DevPayRetry",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: The umbrella: the activation lifecycle apps talk to.
        .target(
            name: "DevPayKit",
            dependencies: [
                "DevPayStateMachine",
                "DevPaySigning",
                "DevPayHTTP",
                "DevPayLicenseService",
                "DevPayCredentialStore",
                "DevPayS3",
                "DevPayRetry",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tools around the library.
        .target(
            name: "DevPayEmulator",
            dependencies: [
                "DevPaySigning",
                "DevPayHTTP",
                "CDevPayOpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            // Testing kit: the emulator's endpoints and CA as the library's client configurations.
            name: "DevPayEmulatorTesting",
            dependencies: ["DevPayEmulator", "DevPayHTTP", "DevPayLicenseService", "DevPayS3"],
            swiftSettings: strictSwift
        ),
        .target(
            // The retry-storm study (docs/retry.md): a simulation of many clients' retry policies against a
            // service at capacity. A study, not product code: no product ships it.
            name: "DevPayRetryStorm",
            dependencies: [
                "DevPayRetry",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            // The study's command line: `swift run devpay-retry-storm --svg docs/retry-storm.svg`.
            name: "devpay-retry-storm",
            dependencies: [
                "DevPayRetry",
                "DevPayRetryStorm",
                "DevPayStateMachine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            // The state machine framework's testing kit: manual clock, exhaustive test store, paths from the
            // chart, stateful property harness. Nothing of HTTP, TLS or XML, so an app that only uses the
            // framework tests it without building libcurl, OpenSSL, libxml2, NIO-SSL or Hummingbird.
            name: "DevPayStateMachineTesting",
            dependencies: [
                "DevPayStateMachine",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            // Test helper for clients built on DevPayHTTP: a scripted transport that remembers every request.
            name: "DevPayHTTPTesting",
            dependencies: [
                "DevPayHTTP",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            // Captured swift-log output, so tests can check what a component logs (and that no secret is in
            // it) without linking any HTTP code.
            name: "DevPayLoggingTesting",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            // Test peers and their PKI, shared by the test targets that start TLS servers or moto, and
            // `SanitizerRun` (not a product: nothing outside this package's tests uses it).
            name: "DevPayTestSupport",
            path: "Tests/DevPayTestSupport",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "devpay",
            dependencies: [
                "DevPayKit",
                "DevPayEmulator",
                "DevPayRetry",
                "DevPayHTTP",
                "CDevPayProcess",
                "DevPayCredentialStore",
                "DevPayLicenseService",
                "DevPayS3",
                "DevPaySigning",
                "DevPayStateMachine",
                "DevPayXML",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tests: one target per module.
        .testTarget(
            name: "DevPayStateMachineTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            // The testing kit's own tests: the exhaustive store, chart paths, the model check.
            name: "DevPayStateMachineTestingTests",
            dependencies: [
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPaySigningTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPaySigning",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayHTTPTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayStateMachineTesting",
                "DevPayLoggingTesting",
                "DevPayHTTP",
                "DevPayRetry",
                "CDevPayCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayRetryTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayRetry",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                "DevPayLoggingTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayRetryStormTests",
            dependencies: [
                "DevPayRetry",
                "DevPayStateMachine",
                "DevPayRetryStorm",
                "DevPayTestSupport",
                "devpay-retry-storm",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayCredentialStoreTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayCredentialStore",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                "DevPayLoggingTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayXMLTests",
            dependencies: [
                "DevPayXML",
                "DevPayStateMachine",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayLicenseServiceTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayLicenseService",
                "DevPayEmulator",
                "DevPayXML",
                "DevPaySigning",
                "DevPayHTTP",
                "DevPayRetry",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                "DevPayHTTPTesting",
                "DevPayLoggingTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayS3Tests",
            dependencies: [
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                "DevPayTestSupport",
                "DevPayS3",
                "DevPayEmulator",
                "DevPayHTTP",
                "DevPayRetry",
                "DevPaySigning",
                "DevPayHTTPTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayKitTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayKit",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                "DevPayHTTPTesting",
                "DevPayEmulator",
                "DevPayHTTP",
                "DevPayS3",
                "DevPayCredentialStore",
                "DevPayLicenseService",
                "DevPayRetry",
                "DevPaySigning",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayEmulatorTests",
            dependencies: [
                "DevPayEmulator",
                "DevPaySigning",
                "DevPayStateMachine",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            // Faults, hostile servers and policy checks across modules (docs/reliability.md).
            name: "DevPayAdversarialTests",
            dependencies: [
                "DevPayTestSupport",
                "DevPayStateMachineTesting",
                "DevPayLoggingTesting",
                "DevPayKit",
                "DevPayLicenseService",
                "DevPayCredentialStore",
                "DevPayHTTP",
                "DevPayRetry",
                "DevPayS3",
                "DevPaySigning",
                "DevPayEmulator",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            // The examples of README.md, docs/ and the DocC articles, as code: built with the tests, run
            // against the embedded emulator, and compared with the documents' text (docs/examples.md).
            name: "DevPayExamples",
            dependencies: [
                "DevPayKit",
                "DevPayHTTP",
                "DevPayLicenseService",
                "DevPayS3",
                "DevPayCredentialStore",
                "DevPayRetry",
                "DevPayEmulator",
                "DevPayEmulatorTesting",
                "DevPayTestSupport",
                "DevPayStateMachine",
                "DevPayStateMachineTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Examples",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "devpayTests",
            dependencies: [
                "devpay",
                "DevPayTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
