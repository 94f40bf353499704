// swift-tools-version: 6.2
//
// DevPayKit's libFuzzer targets. A package of its own (it depends on `..` by path) so a normal `swift build`
// of DevPayKit never builds them; they only link with the fuzzer runtime. Build and run with ../scripts/fuzz:
//     swift build -c debug -Xswiftc -sanitize=fuzzer,address
// Seed corpora live in ../Specs/fuzz/<area>/ (the License Service targets use ../Specs/license-service/*.xml).
import PackageDescription

/// One fuzz target: an executable whose `@main` hands its one-input function to libFuzzer's driver.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + ["CFuzzerDriver"],
        path: name,
        swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "DevPayKitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DevPayKit", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzerDriver", path: "CFuzzerDriver"),
        fuzzer("LicenseServiceResponseFuzzer", [.product(name: "DevPayLicenseService", package: "DevPayKit")]),
        fuzzer("XMLReaderFuzzer", [.product(name: "DevPayXML", package: "DevPayKit")]),
        fuzzer("SigningFuzzer", [.product(name: "DevPaySigning", package: "DevPayKit")]),
        fuzzer("InputValidatorFuzzer", [
            .product(name: "DevPayLicenseService", package: "DevPayKit"),
            .product(name: "DevPaySigning", package: "DevPayKit"),
        ]),
        fuzzer("StoreRecordFuzzer", [.product(name: "DevPayCredentialStore", package: "DevPayKit")]),
    ]
)
