// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "capsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "capsim", targets: ["capsim"]),
        .library(name: "CapSimCore", targets: ["CapSimCore"]),
        .library(name: "CapSimScenario", targets: ["CapSimScenario"]),
        .library(name: "CapSimIO", targets: ["CapSimIO"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "CapSimSweep", targets: ["CapSimSweep"]),
        .library(name: "CapSimStore", targets: ["CapSimStore"]),
        .library(name: "CapSimRunner", targets: ["CapSimRunner"]),
        .library(name: "CapSimChart", targets: ["CapSimChart"]),
        .library(name: "CapSimCluster", targets: ["CapSimCluster"]),
        .library(name: "CapSimWorkbook", targets: ["CapSimWorkbook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // C system libraries: found with pkg-config, installed from Debian.
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        // The only module that sees a C type.
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE"]),
        // Paths split as text (no Foundation), shared by every module that names files.
        .target(name: "CapSimPaths"),
        // The engine: no I/O, no Foundation.
        .target(
            name: "CapSimCore",
            dependencies: ["LinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]),
        // What a planner writes: scenario and sweep YAML + CSV, decoded and validated.
        .target(
            name: "CapSimScenario",
            dependencies: [
                "CapSimCore", "CapSimSweep", "CapSimPaths", "LinearAlgebra", .product(name: "Yams", package: "Yams"),
            ]),
        // Projection tables and closure logs, written atomically.
        .target(name: "CapSimIO", dependencies: ["CapSimCore", "CapSimScenario", "CapSimPaths"]),
        // Sweep designs, distributions, correlation and sensitivity estimators: pure numerics, no I/O.
        .target(
            name: "CapSimSweep",
            dependencies: [
                "CapSimCore", "LinearAlgebra", .product(name: "RealModule", package: "swift-numerics"),
            ]),
        // The SQLite result store of sweeps (GRDB): experiments, outcomes, yearly series, summaries.
        .target(
            name: "CapSimStore",
            dependencies: ["CapSimSweep", "CapSimPaths", .product(name: "GRDB", package: "GRDB.swift")]),
        // Sweeps: experiments from a sweep file, run in batches, stored, resumed, merged, analysed.
        .target(
            name: "CapSimRunner",
            dependencies: ["CapSimCore", "CapSimScenario", "CapSimIO", "CapSimSweep", "CapSimStore", "LinearAlgebra"]),
        // Charts of run outputs, comparisons and sweep quantiles, drawn by gnuplot (a subprocess).
        .target(name: "CapSimChart", dependencies: ["CapSimCore", "CapSimScenario", "CapSimIO"]),
        // Sweeps as Slurm job arrays: batch scripts, submission, status and resume (sbatch, squeue as subprocesses).
        .target(name: "CapSimCluster", dependencies: ["CapSimRunner", "CapSimStore", "CapSimScenario", "CapSimIO", "CapSimPaths"]),
        // Excel workbooks of runs and comparisons through libxlsxwriter: the only module that sees its C types.
        .target(name: "CapSimWorkbook", dependencies: ["CXLSXWriter", "CapSimCore", "CapSimScenario", "CapSimIO"]),
        // The planner's workbench: a local web server (Hummingbird) with the scenario pages, what-if form and downloads.
        .target(
            name: "CapSimServer",
            dependencies: [
                "CapSimCore", "CapSimScenario", "CapSimIO", "CapSimChart", "CapSimPaths", "CapSimRunner", "CapSimStore",
                "CapSimWorkbook", .product(name: "Yams", package: "Yams"), .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        // Subcommands; the executable only calls into this library.
        .target(
            name: "CapSimCLI",
            dependencies: [
                "CapSimCore", "CapSimScenario", "CapSimIO", "LinearAlgebra", "CapSimRunner", "CapSimStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "CapSimChart", "CapSimCluster", "CapSimPaths", "CapSimWorkbook", "CapSimServer",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(name: "capsim", dependencies: ["CapSimCLI"]),

        // Helpers shared by the test targets: temporary files that remove themselves, image checks.
        .target(name: "CapSimTestSupport", path: "Tests/CapSimTestSupport"),
        .testTarget(name: "CapSimPathsTests", dependencies: ["CapSimPaths"]),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: ["LinearAlgebra", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(
            name: "CapSimCoreTests",
            dependencies: ["CapSimCore", "LinearAlgebra", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(name: "CapSimScenarioTests", dependencies: ["CapSimScenario", "CapSimTestSupport"]),
        .testTarget(name: "CapSimIOTests", dependencies: ["CapSimIO", "CapSimScenario", "CapSimTestSupport"]),
        .testTarget(name: "CapSimCLITests", dependencies: ["CapSimCLI", "CapSimStore", "CapSimTestSupport"]),
        .testTarget(
            name: "CapSimWorkbookTests",
            dependencies: ["CapSimWorkbook", "CapSimIO", "CapSimCore", "CapSimScenario", "CapSimTestSupport"]),
        .testTarget(
            name: "CapSimRunnerTests",
            dependencies: [
                "CapSimRunner", "CapSimStore", "CapSimScenario", "CapSimSweep", "CapSimCore", "CapSimIO", "CapSimTestSupport",
            ]),
        .testTarget(
            name: "CapSimChartTests",
            dependencies: ["CapSimChart", "CapSimCore", "CapSimIO", "CapSimScenario", "CapSimTestSupport"]),
        .testTarget(
            name: "CapSimClusterTests",
            dependencies: ["CapSimCluster", "CapSimStore", "CapSimRunner", "CapSimScenario", "CapSimTestSupport"]),
        .testTarget(
            name: "CapSimServerTests",
            dependencies: [
                "CapSimServer", "CapSimScenario", "CapSimIO", "CapSimStore", "CapSimRunner", "CapSimWorkbook", "CapSimTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(
            name: "CapSimSweepTests",
            dependencies: [
                "CapSimSweep", "CapSimCore", "LinearAlgebra",
                .product(name: "Numerics", package: "swift-numerics"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
