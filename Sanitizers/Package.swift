// swift-tools-version: 6.2
//
// The sanitizer run CI can afford: the test suites of the modules whose state crosses threads (the libcurl
// loop thread and the tasks that call it, the state machine framework's actors, observation and timers,
// its testing kit's model check, the retry engine's shared quota), built against DevPayKit's library
// modules only. A package of its own, beside Fuzz/, because `swift build --build-tests` in the main package
// builds every test target and with them Hummingbird, SwiftNIO and BoringSSL: 17 minutes under
// ThreadSanitizer on the shared 2-core machine, against under 6 for this package. The test folders are
// symbolic links to ../Tests/<suite>, so there is one copy of each test (DevPayHTTPTests finds its server
// script through the link). Run it with ../scripts/sanitizers-ci.
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "DevPayKitSanitizers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DevPayKit", path: ".."),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Each target lists what the main package's target of the same name lists.
        .target(
            // The main package's test peers and PKI (a target there, not a product, hence linked here too).
            name: "DevPayTestSupport",
            path: "Tests/DevPayTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayStateMachineTests",
            dependencies: [
                "DevPayTestSupport",
                .product(name: "DevPayStateMachine", package: "DevPayKit"),
                .product(name: "DevPayStateMachineTesting", package: "DevPayKit"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/DevPayStateMachineTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayStateMachineTestingTests",
            dependencies: [
                .product(name: "DevPayStateMachine", package: "DevPayKit"),
                .product(name: "DevPayStateMachineTesting", package: "DevPayKit"),
            ],
            path: "Tests/DevPayStateMachineTestingTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayHTTPTests",
            dependencies: [
                "DevPayTestSupport",
                .product(name: "DevPayStateMachineTesting", package: "DevPayKit"),
                .product(name: "DevPayLoggingTesting", package: "DevPayKit"),
                .product(name: "DevPayHTTP", package: "DevPayKit"),
                .product(name: "DevPayRetry", package: "DevPayKit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/DevPayHTTPTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevPayRetryTests",
            dependencies: [
                "DevPayTestSupport",
                .product(name: "DevPayRetry", package: "DevPayKit"),
                .product(name: "DevPayStateMachine", package: "DevPayKit"),
                .product(name: "DevPayStateMachineTesting", package: "DevPayKit"),
                .product(name: "DevPayLoggingTesting", package: "DevPayKit"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/DevPayRetryTests",
            swiftSettings: strictSwift
        ),
    ]
)
