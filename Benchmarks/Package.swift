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
    ],
    targets: [
        suite("SHA256Benchmarks", [.product(name: "DevPaySigning", package: "DevPayKit")]),
        suite("SigningBenchmarks", [.product(name: "DevPaySigning", package: "DevPayKit")]),
    ]
)
