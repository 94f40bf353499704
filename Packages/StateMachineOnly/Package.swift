// swift-tools-version: 6.2
//
// An app-side package that uses only the state machine framework and its testing kit. It exists to prove
// that such a package builds none of libcurl, OpenSSL, libxml2, NIO-SSL or Hummingbird:
//     ../../scripts/state-machine-kit-isolation
// (builds this package with its tests and fails if any of those modules was compiled).
import PackageDescription

let package = Package(
    name: "StateMachineOnly",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DevPayKit", path: "../.."),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "Turnstile",
            dependencies: [.product(name: "DevPayStateMachine", package: "DevPayKit")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "TurnstileTests",
            dependencies: [
                "Turnstile",
                .product(name: "DevPayStateMachineTesting", package: "DevPayKit"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
