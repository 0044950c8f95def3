// swift-tools-version: 6.1
// Benchmarks live in their own package so that package-benchmark's build cost stays out of the
// library's builds and CI (see shared/NOTES.md). Run from this folder: `swift package benchmark`.
import PackageDescription

let package = Package(
    name: "capsim-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The root package by path; computed so a clone under any folder name works.
        .package(name: "capsim", path: Context.packageDirectory + "/.."),
    ],
    targets: [
        .executableTarget(
            name: "EngineRun",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
                .product(name: "CapSimIO", package: "capsim"),
                .product(name: "LinearAlgebra", package: "capsim"),
            ],
            path: "Benchmarks/EngineRun",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "SweepRun",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
                .product(name: "CapSimRunner", package: "capsim"),
                .product(name: "CapSimStore", package: "capsim"),
            ],
            path: "Benchmarks/SweepRun",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // One command for docs/PERFORMANCE.md: every ratio measured in the same run.
        .executableTarget(
            name: "PerformanceReport",
            dependencies: [
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
                .product(name: "CapSimIO", package: "capsim"),
                .product(name: "LinearAlgebra", package: "capsim"),
            ],
            path: "Sources/PerformanceReport"),
        // The capacity model alone: throughput, and a run for callgrind (docs/PERFORMANCE.md).
        .executableTarget(
            name: "CapacityReport",
            dependencies: [
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
            ],
            path: "Sources/CapacityReport"),
        // The workforce step alone, for docs/PERFORMANCE.md ("Workforce step"): callgrind and wall time.
        .executableTarget(
            name: "WorkforceStep",
            dependencies: [
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
                .product(name: "LinearAlgebra", package: "capsim"),
            ],
            path: "Sources/WorkforceStep"),
        // The sweep runner's cost per experiment beyond the engine's, for docs/PERFORMANCE.md.
        .executableTarget(
            name: "SweepReport",
            dependencies: [
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
                .product(name: "CapSimRunner", package: "capsim"),
                .product(name: "CapSimStore", package: "capsim"),
            ],
            path: "Sources/SweepReport"),
        // The finance step's workload under callgrind, for docs/PERFORMANCE.md ("Finance step").
        .executableTarget(
            name: "FinanceStep",
            dependencies: [
                .product(name: "CapSimCore", package: "capsim"),
                .product(name: "CapSimScenario", package: "capsim"),
            ],
            path: "Sources/FinanceStep"),
    ]
)
