// swift-tools-version: 6.2
//
// DevPayKit's benchmark suites (ordo-one/benchmark). A package of its own so that apps depending on
// DevPayKit never resolve or build the benchmark harness. Run from this folder:
//     swift package --disable-sandbox benchmark
// Figures and the commands that produced them: ../docs/performance.md.
import PackageDescription

/// One suite: an executable in `Benchmarks/<name>/` that the benchmark plugin discovers.
func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + [.product(name: "Benchmark", package: "benchmark")],
        path: name,
        swiftSettings: [.swiftLanguageMode(.v6)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "DevPayKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DevPayKit", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        suite("SHA256Benchmarks", [.product(name: "DevPaySigning", package: "DevPayKit")]),
        suite("SigningBenchmarks", [.product(name: "DevPaySigning", package: "DevPayKit"), "SigningFixtures"]),
        .target(name: "SigningFixtures", dependencies: [.product(name: "DevPaySigning", package: "DevPayKit")],
                path: "SigningFixtures", swiftSettings: [.swiftLanguageMode(.v6)]),
        // Not a suite: runs one signing workload N times for callgrind (instruction counts per signature).
        .executableTarget(name: "SigningWorkloads", dependencies: [
            .product(name: "DevPaySigning", package: "DevPayKit"), "SigningFixtures",
        ], path: "SigningWorkloads", swiftSettings: [.swiftLanguageMode(.v6)]),
        suite("HTTPBenchmarks", [
            .product(name: "DevPayHTTP", package: "DevPayKit"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        suite("StateMachineBenchmarks", [.product(name: "DevPayStateMachine", package: "DevPayKit")]),
    ]
)
