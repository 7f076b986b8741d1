// swift-tools-version: 6.0
import PackageDescription

// One settings array for every target, as Hummingbird does: explicit existentials and imports.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "InferLab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inferlab", targets: ["inferlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // libedit: only LineEditor imports it.
        .systemLibrary(
            name: "CEditLine", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
        .target(name: "LineEditor", dependencies: ["CEditLine"], swiftSettings: settings),

        // zlib for gzip (model.tar.gz, gzip-compressed inputs): only InferLabEngine imports it.
        .systemLibrary(name: "CGzip", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // sys/xattr.h, which the Glibc module leaves out: object records live on the object files.
        .systemLibrary(name: "CXattr"),

        // The embedded engine: object store, catalog, models, transform, endpoints.
        .target(
            name: "InferLabEngine",
            dependencies: [
                "CGzip",
                "CXattr",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Models/LinearLearner/README.md"],
            resources: [.copy("Resources/pricing.json"), .copy("Models/Scripts/framework_serving.py")],
            swiftSettings: settings),

        // Lab format, checkpoints, grading.
        .target(
            name: "InferLabLabs",
            dependencies: [
                "InferLabEngine",
                "CGzip",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings),

        // REPL, tokenizer, command registry, completion, rendering, the commands themselves.
        .target(
            name: "InferLabShell",
            dependencies: ["LineEditor", "InferLabEngine", "InferLabLabs"],
            swiftSettings: settings),

        // The local AWS endpoint (`inferlab serve`, and the shell's in-process server): S3's REST
        // API and Signature V4 over Hummingbird. Depends on the engine only.
        .target(
            name: "InferLabServer",
            dependencies: [
                "InferLabEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings),

        .executableTarget(
            name: "inferlab",
            dependencies: [
                "InferLabShell",
                "InferLabServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings),

        // Benchmarks (bench/): run them from a release build.
        .executableTarget(name: "inferlab-endpoint-bench", dependencies: ["InferLabEngine"], path: "bench/EndpointBench"),
        .executableTarget(name: "inferlab-script-bench", dependencies: ["InferLabEngine"], path: "bench/ScriptBench"),

        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"]),
        .testTarget(name: "InferLabEngineTests", dependencies: ["InferLabEngine", "CXattr"]),
        .testTarget(name: "InferLabShellTests", dependencies: ["InferLabShell"], exclude: ["JMESPathCompliance", "Differential"]),
        .testTarget(name: "InferLabLabsTests", dependencies: ["InferLabLabs"]),
        .testTarget(name: "EndToEndTests", dependencies: ["InferLabShell"], exclude: ["Scripts"]),
    ]
)
