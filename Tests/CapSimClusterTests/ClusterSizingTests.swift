import CapSimCluster
import Testing

/// Options as the user types them, and the memory and batch sizes derived from the runner's
/// estimate of an experiment.
@Suite struct ClusterSizingTests {
    let mib = 1 << 20

    @Test func memorySizesReadAsSlurmWritesThem() {
        #expect(ClusterRequest.memoryMiB("1500") == 1500)
        #expect(ClusterRequest.memoryMiB("1500M") == 1500)
        #expect(ClusterRequest.memoryMiB("2G") == 2048)
        #expect(ClusterRequest.memoryMiB("2g") == 2048)
        #expect(ClusterRequest.memoryMiB("1T") == 1 << 20)
        #expect(ClusterRequest.memoryMiB("1536K") == 2, "KiB round up to whole MiB")
        for bad in ["", "G", "2X", "1.5G", "-1", "two", "9999999999999999999T"] {
            #expect(ClusterRequest.memoryMiB(bad) == nil, "\(bad)")
        }
    }

    @Test func timeLimitsInEverySlurmFormatAndNothingElse() {
        for good in ["30", "30:00", "02:00:00", "1-00", "1-12:30", "2-00:00:00", "UNLIMITED"] {
            #expect(ClusterRequest(parts: 1, time: good).problems().isEmpty, "\(good)")
        }
        for bad in ["", "30 min", "1:2:3:4", "1-", "-5", "1-2-3", "a:00"] {
            #expect(ClusterRequest(parts: 1, time: bad).problems().count == 1, "\(bad)")
        }
    }

    @Test func everyBadOptionIsNamed() {
        let problems = ClusterRequest(parts: 0, partition: "a b", maxRunning: 0, cpusPerTask: 0, batchSize: 0).problems()
        #expect(problems.count == 5)
        for option in ["--parts 0", "--cpus-per-task 0", "--max-running 0", "--batch 0", "--partition 'a b'"] {
            #expect(problems.contains { $0.hasPrefix(option) }, "\(option)")
        }
    }

    /// What a part needs, MiB, for batches of `batch`: the process and two batches.
    func need(_ batch: Int, _ bytes: Int) -> Int { ClusterSizing.processMiB + (2 * batch * bytes + mib - 1) / mib }

    @Test func withoutOptionsAPartRunsTheRunnersBatchAndAsksForTwoOfThem() throws {
        let bytes = 1_500_000
        let s = try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500, largestPart: 2000,
                                       request: .init(parts: 5))
        #expect(s.batchSize == 500)
        #expect(s.partMemoryMiB >= need(500, bytes) && s.partMemoryMiB < need(500, bytes) + 64)
        #expect(s.partMemoryMiB % 64 == 0)
        // A part smaller than a batch needs only its own experiments.
        let small = try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500, largestPart: 20,
                                           request: .init(parts: 4))
        #expect(small.batchSize == 20)
        #expect(small.partMemoryMiB == 192, "128 MiB + 2 × 20 × 1.5 MB = 186 MiB, rounded up to 64 MiB")
        // The merge holds its 2000-record chunk about three times, and the summaries' 256 MiB.
        #expect(s.mergeMemoryMiB >= 128 + 256 + 3 * 2000 * 18_000 / mib)
    }

    @Test func givenMemoryTheBatchIsTheLargestThatFits() throws {
        let bytes = 3_000_000
        for mem in [200, 1000, 4096] {
            let s = try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500, largestPart: 10_000,
                                           request: .init(parts: 2, memoryMiB: mem))
            #expect(s.partMemoryMiB == mem)
            #expect(need(s.batchSize, bytes) <= mem, "mem \(mem)")
            #expect(s.batchSize == 500 || need(s.batchSize + 1, bytes) > mem, "mem \(mem): batch \(s.batchSize) is not the largest")
        }
        #expect(throws: ClusterError.self) {
            try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500, largestPart: 100,
                                   request: .init(parts: 2, memoryMiB: 100))
        }
        // An explicit batch must fit too.
        let error = #expect(throws: ClusterError.self) {
            try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500, largestPart: 100,
                                   request: .init(parts: 2, memoryMiB: 400, batchSize: 100))
        }
        #expect(error?.message.hasPrefix("--mem 400M: too small for --batch 100") == true)
        let explicit = try ClusterSizing.size(bytesPerExperiment: bytes, seriesBytes: 18_000, runnerBatch: 500,
                                              largestPart: 100, request: .init(parts: 2, batchSize: 7))
        #expect(explicit.batchSize == 7 && explicit.partMemoryMiB >= need(7, bytes))
    }
}
