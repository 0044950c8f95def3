import CapSimCore
import CapSimScenario
import Foundation

// Synthetic scenarios (`capsim generate`): a scenario YAML, one facility table and one enterprise
// table drawn from documented distributions (docs/GENERATOR.md) with SplitMix64 streams, so that
// the same spec and seed give byte-identical files. Nothing here prints or touches the disk.

/// What to generate: how many units of each kind, where (the national or a provincial region
/// set), over which years, and from which seed.
public struct GeneratorSpec: Sendable, Equatable {
    /// The region set and the scale of the policy figures.
    public enum Scale: String, Sendable, CaseIterable {
        /// The 31 provinces, with approximate 2015 regional shares per sector.
        case national
        /// One synthetic province of 9 prefectures, with seed-drawn regional weights.
        case province
    }

    /// Scenario name, written into every output row: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// Region set.
    public var scale: Scale
    /// The year before the programme (the state the tables describe).
    public var baseYear: Int
    /// Number of programme years; the end year is `baseYear + years`.
    public var years: Int
    /// Seed of every draw.
    public var seed: UInt64
    /// Units per kind, planned new units included. Kinds that are absent generate nothing.
    public var counts: [FacilityKind: Int]

    public init(name: String, scale: Scale, baseYear: Int, years: Int, seed: UInt64, counts: [FacilityKind: Int]) {
        self.name = name
        self.scale = scale
        self.baseYear = baseYear
        self.years = years
        self.seed = seed
        self.counts = counts
    }

    /// The last simulated year.
    public var endYear: Int { baseYear + years }

    /// Units of all kinds.
    public var totalFacilities: Int { FacilityKind.allCases.reduce(0) { $0 + (counts[$1] ?? 0) } }

    /// The national mix of about 15,000 units (docs/GENERATOR.md, "Counts").
    public static let nationalMix: [FacilityKind: Int] = [
        .coalMine: 10_000, .blastFurnace: 1_050, .converter: 750, .electricFurnace: 220,
        .clinkerLine: 1_700, .grindingStation: 1_280,
    ]

    /// `total` units split over the kinds in the national mix (largest remainder; ties in kind order).
    public static func mix(total: Int) -> [FacilityKind: Int] {
        let kinds = FacilityKind.allCases
        let weights = kinds.map { Double(nationalMix[$0] ?? 0) }
        let sum = weights.reduce(0, +)
        let quotas = weights.map { Double(max(0, total)) * $0 / sum }
        var counts = quotas.map { Int($0.rounded(.down)) }
        let order = kinds.indices.sorted { a, b in
            let fa = quotas[a] - Double(counts[a]), fb = quotas[b] - Double(counts[b])
            return fa != fb ? fa > fb : a < b
        }
        var left = max(0, total) - counts.reduce(0, +)
        for k in order where left > 0 {
            counts[k] += 1
            left -= 1
        }
        return Dictionary(uniqueKeysWithValues: zip(kinds, counts))
    }

    /// About 15,000 units over the 31 provinces, 2015-2030.
    public static func national(seed: UInt64 = 1) -> GeneratorSpec {
        GeneratorSpec(name: "synthetic-national", scale: .national, baseYear: 2015, years: 15, seed: seed,
                      counts: nationalMix)
    }

    /// About 500 units over 9 prefectures, 2015-2020.
    public static func province(seed: UInt64 = 1) -> GeneratorSpec {
        GeneratorSpec(name: "synthetic-province", scale: .province, baseYear: 2015, years: 5, seed: seed,
                      counts: mix(total: 500))
    }

    /// Everything wrong with the spec, as messages; empty when it can be generated.
    public func problems() -> [String] {
        var p: [String] = []
        if !Scenario.isValidName(name) {
            p.append("name must be non-empty letters, digits, '-', '_' or '.', got '\(name)'")
        }
        if !(1900...2199).contains(baseYear) { p.append("base year must be in 1900...2199, got \(baseYear)") }
        if years < 1 || baseYear + years > 2200 {
            p.append("years must be at least 1 and end by 2200, got \(years)")
        }
        for kind in FacilityKind.allCases where (counts[kind] ?? 0) < 0 {
            p.append("the count of \(kind.rawValue) must be ≥ 0, got \(counts[kind]!)")
        }
        if totalFacilities < 1 { p.append("give at least one facility") }
        // What a scenario may hold (docs/SCENARIO-FORMAT.md, "Ranges of numbers"): refused before any draw.
        if totalFacilities > ScenarioLimits.maxRows {
            p.append("at most \(ScenarioLimits.maxRows) facilities (what a scenario may hold: "
                     + ScenarioLimits.maxRowsReason + "), got \(totalFacilities)")
        }
        return p
    }
}

/// A spec that cannot be generated.
public struct GeneratorError: Error, CustomStringConvertible {
    /// Every problem found.
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}

/// One generated file: its name inside the output folder and its text.
public struct GeneratedFile: Sendable, Equatable {
    public var name: String
    public var contents: String
}

/// The generated files and what they hold.
public struct GeneratedScenario: Sendable {
    /// Per sector: units, planned units, base-year capacity and workers.
    public struct SectorTotals: Sendable, Equatable {
        public var sector: Sector
        /// Units in the table, planned ones included.
        public var units: Int
        /// Planned new units (start year after the base year).
        public var plannedUnits: Int
        /// Capacity operating in the base year, 10kt/yr.
        public var capacity10kt: Double
        /// Capacity of the planned units, 10kt/yr.
        public var plannedCapacity10kt: Double
        /// Workers of the units operating in the base year.
        public var workers: Int
        /// Units operating in the base year below the sector's size rule (coal < 30 10kt/yr,
        /// BF ≤ 400 m3, converter and EAF ≤ 30 t, clinker ≤ 2,500 t/day; grinding has none).
        public var unitsUnderSizeRule: Int
        /// Their capacity, 10kt/yr.
        public var capacityUnderSizeRule10kt: Double
    }

    /// The spec it was generated from.
    public var spec: GeneratorSpec
    /// `scenario.yaml`, `facilities.csv`, `enterprises.csv`, in that order.
    public var files: [GeneratedFile]
    /// Totals per sector with units, in sector order.
    public var sectors: [SectorTotals]
    /// Regions with at least one unit.
    public var regionCount: Int
    /// Enterprises in `enterprises.csv`.
    public var enterpriseCount: Int

    /// The text of the file called `name`.
    public func contents(of name: String) -> String? { files.first { $0.name == name }?.contents }

    /// A fixed-width summary: units, capacity and workers per sector.
    public var summary: String {
        var rows: [[String]] = [["sector", "units", "planned", "cap \(spec.baseYear)", "<rule units", "<rule cap",
                                 "workers"]]
        for s in sectors {
            rows.append([s.sector.rawValue, "\(s.units)", "\(s.plannedUnits)", decimalText(s.capacity10kt, digits: 1),
                         "\(s.unitsUnderSizeRule)", decimalText(s.capacityUnderSizeRule10kt, digits: 1), "\(s.workers)"])
        }
        let total = sectors.reduce(into: (0, 0, 0.0, 0)) {
            $0.0 += $1.units
            $0.1 += $1.plannedUnits
            $0.2 += $1.capacity10kt
            $0.3 += $1.workers
        }
        rows.append(["total", "\(total.0)", "\(total.1)", decimalText(total.2, digits: 1), "", "", "\(total.3)"])
        return (["\(spec.name): \(spec.totalFacilities) facilities, \(regionCount) regions, \(enterpriseCount) "
                 + "enterprises, \(spec.baseYear)-\(spec.endYear), seed \(spec.seed)",
                 "capacity in 10kt/yr (万吨/年) operating in \(spec.baseYear); <rule = units and capacity the "
                 + "size rule closes in \(spec.baseYear + 1)"]
                + SummaryTable.fixedWidth(rows, leftColumns: 1)).joined(separator: "\n")
    }
}

/// Generates synthetic scenarios (docs/GENERATOR.md).
public enum ScenarioGenerator {
    /// The files `generate` returns, in order.
    public static let fileNames = ["scenario.yaml", "facilities.csv", "enterprises.csv"]

    /// Generates the three files of `spec`. Same spec, same text, byte for byte.
    ///
    /// - Throws: `GeneratorError` when `spec.problems()` is not empty.
    public static func generate(_ spec: GeneratorSpec) throws(GeneratorError) -> GeneratedScenario {
        let problems = spec.problems()
        guard problems.isEmpty else { throw GeneratorError(problems: problems) }
        var g = Generation(spec: spec)
        g.drawRegionWeights()
        for kind in FacilityKind.allCases { g.drawUnits(kind) }
        g.groupIntoEnterprises()
        for kind in FacilityKind.allCases { g.drawPlanned(kind) }
        g.orderUnits()
        g.drawBalanceSheets()
        let files = [
            GeneratedFile(name: "scenario.yaml", contents: g.scenarioYAML()),
            GeneratedFile(name: "facilities.csv", contents: g.facilitiesCSV()),
            GeneratedFile(name: "enterprises.csv", contents: g.enterprisesCSV()),
        ]
        return GeneratedScenario(spec: spec, files: files, sectors: g.sectorTotals(),
                                 regionCount: Set(g.units.map(\.region)).count, enterpriseCount: g.firms.count)
    }
}

// MARK: - Distributions (every parameter is listed in docs/GENERATOR.md)

/// Draws on top of SplitMix64.
struct Draw {
    var rng: SplitMix64

    mutating func unit() -> Double { rng.unit() }
    mutating func normal() -> Double { rng.normal() }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * rng.unit() }
    mutating func bernoulli(_ p: Double) -> Bool { rng.unit() < p }

    /// Lognormal with the given median and log-sd, redrawn until inside `lo...hi` (clamped after
    /// 1,000 tries, which the documented parameters never reach).
    mutating func lognormal(median: Double, sigma: Double, in lo: Double, _ hi: Double) -> Double {
        for _ in 0..<1_000 {
            let x = median * exp(sigma * rng.normal())
            if x >= lo && x <= hi { return x }
        }
        return min(hi, max(lo, median))
    }

    /// Normal, redrawn until inside `lo...hi`.
    mutating func normal(mean: Double, sd: Double, in lo: Double, _ hi: Double) -> Double {
        for _ in 0..<1_000 {
            let x = mean + sd * rng.normal()
            if x >= lo && x <= hi { return x }
        }
        return min(hi, max(lo, mean))
    }

    /// An index drawn with probability proportional to `weights` (not all zero).
    mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = rng.unit() * total
        for (i, w) in weights.enumerated() where w > 0 {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// An index drawn with probability proportional to weights whose running sums (from the first
    /// weight, added in order) are `cumulative`: the first index whose running sum exceeds the
    /// draw, found by bisection.
    mutating func pick(cumulative: [Double]) -> Int {
        let u = rng.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if u < cumulative[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Non-negative weights with their running sums in a Fenwick tree, so that a draw with
/// probability proportional to the weights, and a change of one weight, each take O(log n).
struct WeightTree {
    private var tree: [Double]
    private var weights: [Double]
    /// How many weights are > 0.
    private(set) var positives = 0

    init(_ weights: [Double]) {
        self.weights = weights
        tree = weights
        positives = weights.filter { $0 > 0 }.count
        for i in tree.indices {
            let parent = i | (i + 1)
            if parent < tree.count { tree[parent] += tree[i] }
        }
    }

    /// Sets weight `i` to `w`.
    mutating func set(_ i: Int, _ w: Double) {
        let delta = w - weights[i]
        guard delta != 0 else { return }
        positives += (w > 0 ? 1 : 0) - (weights[i] > 0 ? 1 : 0)
        weights[i] = w
        var j = i
        while j < tree.count {
            tree[j] += delta
            j |= j + 1
        }
    }

    /// The index whose share of the total holds `unit × total` (`unit` in [0, 1)): the first
    /// index whose running sum exceeds it; never one of weight 0.
    func pick(_ unit: Double) -> Int {
        var total = 0.0
        var j = tree.count - 1
        while j >= 0 {
            total += tree[j]
            j = (j & (j + 1)) - 1
        }
        var rest = unit * total, position = 0, step = 1
        while step * 2 <= tree.count { step *= 2 }
        while step > 0 {
            let next = position + step
            if next <= tree.count && tree[next - 1] <= rest {
                position = next
                rest -= tree[next - 1]
            }
            step /= 2
        }
        // Rounding can land on a weight of 0 or past the end: take the nearest positive one.
        var i = min(position, weights.count - 1)
        while i > 0 && weights[i] <= 0 { i -= 1 }
        while i < weights.count - 1 && weights[i] <= 0 { i += 1 }
        return i
    }
}

/// A region: id (lower-case pinyin), Chinese name and the weight of each sector family.
struct Region: Sendable {
    var id: String
    var name: String
    /// Relative number of coal mines.
    var coal: Double
    /// Relative median mine size (national only; normalised to a weighted geometric mean of 1).
    var coalSize: Double
    /// Relative number of iron and steel units.
    var steel: Double
    /// Relative number of clinker lines and grinding stations.
    var cement: Double
}

extension Region {
    /// The 31 provinces with approximate 2015 weights (assumptions, docs/GENERATOR.md "Regions").
    static let provinces: [Region] = [
        Region(id: "beijing", name: "北京", coal: 0.1, coalSize: 1.5, steel: 0, cement: 0.4),
        Region(id: "tianjin", name: "天津", coal: 0, coalSize: 1, steel: 3, cement: 0.4),
        Region(id: "hebei", name: "河北", coal: 1.5, coalSize: 1.7, steel: 23, cement: 5),
        Region(id: "shanxi", name: "山西", coal: 10, coalSize: 1.9, steel: 5, cement: 2.5),
        Region(id: "neimenggu", name: "内蒙古", coal: 5.5, coalSize: 2.9, steel: 2.5, cement: 3),
        Region(id: "liaoning", name: "辽宁", coal: 1.2, coalSize: 1.3, steel: 8, cement: 2.5),
        Region(id: "jilin", name: "吉林", coal: 2, coalSize: 0.87, steel: 1.5, cement: 1.5),
        Region(id: "heilongjiang", name: "黑龙江", coal: 7, coalSize: 0.87, steel: 1, cement: 1.5),
        Region(id: "shanghai", name: "上海", coal: 0, coalSize: 1, steel: 2.5, cement: 0.3),
        Region(id: "jiangsu", name: "江苏", coal: 0.2, coalSize: 1.9, steel: 10, cement: 6),
        Region(id: "zhejiang", name: "浙江", coal: 0, coalSize: 1, steel: 2, cement: 5),
        Region(id: "anhui", name: "安徽", coal: 0.6, coalSize: 2.6, steel: 3, cement: 8),
        Region(id: "fujian", name: "福建", coal: 3, coalSize: 0.53, steel: 2.5, cement: 3.5),
        Region(id: "jiangxi", name: "江西", coal: 5, coalSize: 0.53, steel: 2.5, cement: 4),
        Region(id: "shandong", name: "山东", coal: 1.5, coalSize: 2.3, steel: 8, cement: 7),
        Region(id: "henan", name: "河南", coal: 4, coalSize: 1.7, steel: 3, cement: 6),
        Region(id: "hubei", name: "湖北", coal: 2.5, coalSize: 0.58, steel: 4, cement: 5),
        Region(id: "hunan", name: "湖南", coal: 7, coalSize: 0.53, steel: 2.5, cement: 5),
        Region(id: "guangdong", name: "广东", coal: 0, coalSize: 1, steel: 3, cement: 6),
        Region(id: "guangxi", name: "广西", coal: 1.2, coalSize: 0.58, steel: 2, cement: 5),
        Region(id: "hainan", name: "海南", coal: 0, coalSize: 1, steel: 0, cement: 1),
        Region(id: "chongqing", name: "重庆", coal: 5, coalSize: 0.62, steel: 1, cement: 3),
        Region(id: "sichuan", name: "四川", coal: 9, coalSize: 0.62, steel: 2.5, cement: 7),
        Region(id: "guizhou", name: "贵州", coal: 15, coalSize: 0.66, steel: 0.8, cement: 5),
        Region(id: "yunnan", name: "云南", coal: 9, coalSize: 0.62, steel: 2, cement: 5),
        Region(id: "xizang", name: "西藏", coal: 0, coalSize: 1, steel: 0, cement: 0.4),
        Region(id: "shaanxi", name: "陕西", coal: 5, coalSize: 2.1, steel: 1.5, cement: 3),
        Region(id: "gansu", name: "甘肃", coal: 1.5, coalSize: 1.3, steel: 1.3, cement: 2),
        Region(id: "qinghai", name: "青海", coal: 0.3, coalSize: 1, steel: 0.3, cement: 0.8),
        Region(id: "ningxia", name: "宁夏", coal: 0.6, coalSize: 1.9, steel: 0.4, cement: 1),
        Region(id: "xinjiang", name: "新疆", coal: 3, coalSize: 1.9, steel: 1.5, cement: 3),
    ]

    /// Nine prefectures (Jilin's, as a realistic region set); weights are drawn from the seed.
    static let prefectures: [Region] = [
        ("changchun", "长春"), ("jilin", "吉林"), ("siping", "四平"), ("liaoyuan", "辽源"), ("tonghua", "通化"),
        ("baishan", "白山"), ("songyuan", "松原"), ("baicheng", "白城"), ("yanbian", "延边"),
    ].map { Region(id: $0.0, name: $0.1, coal: 1, coalSize: 1, steel: 1, cement: 1) }
}

/// Coal; iron and steel; cement: the families enterprises are grouped in.
enum Family: Int, CaseIterable, Sendable {
    case coal, steel, cement

    var name: String { ["coal", "steel", "cement"][rawValue] }

    init(_ kind: FacilityKind) {
        switch kind {
        case .coalMine: self = .coal
        case .blastFurnace, .converter, .electricFurnace: self = .steel
        case .clinkerLine, .grindingStation: self = .cement
        }
    }

    func weight(_ r: Region) -> Double {
        switch self {
        case .coal: return r.coal
        case .steel: return r.steel
        case .cement: return r.cement
        }
    }
}

/// How the units of one kind are drawn (docs/GENERATOR.md, "Facilities").
struct KindModel: Sendable {
    var kind: FacilityKind
    /// Facility id prefix.
    var code: String
    /// Chinese label used in names.
    var label: String
    /// Share of units that are state-owned.
    var stateShare: Double
    /// Size: lognormal medians by owner, log-sd and range, in the kind's size unit.
    var medianState: Double
    var medianPrivate: Double
    var sigma: Double
    var minSize: Double
    var maxSize: Double
    /// Sizes are snapped to the nearest of these (on a log scale); empty: rounded to `sizeStep`.
    var standardSizes: [Double] = []
    var sizeStep: Double = 1
    /// Capacity in 10kt/yr per size unit, times a uniform factor in 1 ± `capacityJitter`.
    var capacityPerSize: Double
    var capacityJitter: Double = 0
    /// Planned new units: share of the kind's count (the last ids), and their smallest size.
    var plannedShare: Double
    var plannedMinSize: Double
    /// Age at the base year, years: lognormal median, log-sd, maximum.
    var ageMedian: Double
    var ageSigma: Double
    var ageMax: Double
    /// Price, yuan/t: mean and relative sd (normal).
    var price: Double
    var priceSD: Double
    /// Unit cost = price × (costRatio + costSlope × ln(costRefSize / size) + costSD × N(0, 1)).
    var costRatio: Double
    var costRefSize: Double
    var costSlope: Double
    var costSD: Double
    /// Logistics distance, km: lognormal median, log-sd, maximum (minimum 5).
    var logisticsMedian: Double
    var logisticsSigma: Double
    var logisticsMax: Double
    /// Share of units with the safety flag, by owner.
    var safetyState: Double = 0
    var safetyPrivate: Double = 0
    /// Workers per 10kt/yr = w0 × (capacity / ref)^(−exponent) × (stateFactor if state), times
    /// a lognormal noise of log-sd 0.2.
    var workersPer10kt: Double
    var workersRefCapacity: Double
    var workersExponent: Double
    var workersStateFactor: Double
    /// Remaining reserve (coal only), years: lognormal median by owner, log-sd, range 1...100.
    var reserveMedianState: Double = 0
    var reserveMedianPrivate: Double = 0
    var reserveSigma: Double = 0
    /// Book assets per tonne of annual capacity, yuan.
    var assetsYuanPerTonne: Double

    func capacity(size: Double, jitter: Double) -> Double {
        if kind == .clinkerLine { return size * 310 / 10_000 }
        if capacityJitter == 0 { return size * capacityPerSize }
        return (size * capacityPerSize * jitter).rounded()
    }

    /// The largest size at or below `x` (a standard size, or a multiple of the step), not below `floor`.
    func snapDown(_ x: Double, atLeast floor: Double) -> Double {
        guard !standardSizes.isEmpty else { return max(floor, (x / sizeStep).rounded(.down) * sizeStep) }
        return max(floor, standardSizes.last { $0 <= x } ?? floor)
    }

    func snap(_ x: Double) -> Double {
        guard !standardSizes.isEmpty else { return max(minSize, (x / sizeStep).rounded() * sizeStep) }
        let lx = log(x)
        return standardSizes.min { abs(log($0) - lx) < abs(log($1) - lx) }!
    }

    static let all: [KindModel] = [
        KindModel(kind: .coalMine, code: "cm", label: "煤矿", stateShare: 0.25, medianState: 70, medianPrivate: 27,
                  sigma: 0.7, minSize: 3, maxSize: 3_000, capacityPerSize: 1, plannedShare: 0.005, plannedMinSize: 120,
                  ageMedian: 15, ageSigma: 0.7, ageMax: 60, price: 400, priceSD: 0.08,
                  costRatio: 0.98, costRefSize: 30, costSlope: 0.05, costSD: 0.06,
                  logisticsMedian: 250, logisticsSigma: 0.6, logisticsMax: 2_000,
                  safetyState: 0.03, safetyPrivate: 0.10,
                  workersPer10kt: 10, workersRefCapacity: 30, workersExponent: 0.4, workersStateFactor: 1.5,
                  reserveMedianState: 30, reserveMedianPrivate: 12, reserveSigma: 0.7, assetsYuanPerTonne: 500),
        KindModel(kind: .blastFurnace, code: "bf", label: "m3高炉", stateShare: 0.45, medianState: 650 * 1.35,
                  medianPrivate: 650 * 0.85, sigma: 0.65, minSize: 300, maxSize: 5_500, sizeStep: 10,
                  capacityPerSize: 0.1, capacityJitter: 0.08, plannedShare: 0.02, plannedMinSize: 1_200,
                  ageMedian: 12, ageSigma: 0.6, ageMax: 50, price: 1_750, priceSD: 0.03,
                  costRatio: 1.01, costRefSize: 1_000, costSlope: 0.03, costSD: 0.04,
                  logisticsMedian: 150, logisticsSigma: 0.6, logisticsMax: 1_500,
                  workersPer10kt: 7, workersRefCapacity: 100, workersExponent: 0.3, workersStateFactor: 1.3,
                  assetsYuanPerTonne: 1_200),
        KindModel(kind: .converter, code: "cv", label: "t转炉", stateShare: 0.5, medianState: 85 * 1.3,
                  medianPrivate: 85 * 0.85, sigma: 0.6, minSize: 20, maxSize: 300,
                  standardSizes: [20, 25, 30, 35, 40, 50, 60, 65, 80, 90, 100, 120, 150, 180, 210, 250, 260, 300],
                  capacityPerSize: 1.3, capacityJitter: 0.1, plannedShare: 0.02, plannedMinSize: 100,
                  ageMedian: 12, ageSigma: 0.6, ageMax: 50, price: 1_950, priceSD: 0.03,
                  costRatio: 1.02, costRefSize: 100, costSlope: 0.03, costSD: 0.04,
                  logisticsMedian: 150, logisticsSigma: 0.6, logisticsMax: 1_500,
                  workersPer10kt: 5, workersRefCapacity: 100, workersExponent: 0.3, workersStateFactor: 1.3,
                  assetsYuanPerTonne: 800),
        KindModel(kind: .electricFurnace, code: "ef", label: "t电炉", stateShare: 0.3, medianState: 55 * 1.3,
                  medianPrivate: 55 * 0.9, sigma: 0.5, minSize: 20, maxSize: 150,
                  standardSizes: [20, 30, 40, 50, 60, 70, 75, 90, 100, 120, 150],
                  capacityPerSize: 0.85, capacityJitter: 0.1, plannedShare: 0.03, plannedMinSize: 70,
                  ageMedian: 12, ageSigma: 0.6, ageMax: 50, price: 2_000, priceSD: 0.03,
                  costRatio: 1.05, costRefSize: 100, costSlope: 0.03, costSD: 0.04,
                  logisticsMedian: 120, logisticsSigma: 0.6, logisticsMax: 1_500,
                  workersPer10kt: 5, workersRefCapacity: 100, workersExponent: 0.3, workersStateFactor: 1.3,
                  assetsYuanPerTonne: 900),
        KindModel(kind: .clinkerLine, code: "cl", label: "t/d熟料线", stateShare: 0.35, medianState: 3_000 * 1.2,
                  medianPrivate: 3_000 * 0.9, sigma: 0.55, minSize: 1_000, maxSize: 12_000,
                  standardSizes: [1_000, 1_200, 1_500, 2_000, 2_500, 3_000, 3_200, 4_000, 4_500, 5_000, 6_000, 8_000,
                                  10_000, 12_000],
                  capacityPerSize: 0.031, plannedShare: 0.01, plannedMinSize: 4_000,
                  ageMedian: 8, ageSigma: 0.5, ageMax: 25, price: 230, priceSD: 0.05,
                  costRatio: 1.0, costRefSize: 4_000, costSlope: 0.05, costSD: 0.04,
                  logisticsMedian: 120, logisticsSigma: 0.5, logisticsMax: 600,
                  workersPer10kt: 4, workersRefCapacity: 100, workersExponent: 0.3, workersStateFactor: 1.2,
                  assetsYuanPerTonne: 600),
        KindModel(kind: .grindingStation, code: "gs", label: "万吨/年粉磨站", stateShare: 0.3, medianState: 100 * 1.2,
                  medianPrivate: 100 * 0.9, sigma: 0.6, minSize: 20, maxSize: 500, capacityPerSize: 1,
                  plannedShare: 0, plannedMinSize: 100,
                  ageMedian: 9, ageSigma: 0.5, ageMax: 30, price: 275, priceSD: 0.05,
                  costRatio: 1.01, costRefSize: 100, costSlope: 0.03, costSD: 0.04,
                  logisticsMedian: 80, logisticsSigma: 0.5, logisticsMax: 400,
                  workersPer10kt: 0.7, workersRefCapacity: 100, workersExponent: 0.3, workersStateFactor: 1.2,
                  assetsYuanPerTonne: 150),
    ]

    static func model(_ kind: FacilityKind) -> KindModel { all.first { $0.kind == kind }! }
}

/// How units are grouped into enterprises, and their balance sheets (docs/GENERATOR.md, "Enterprises").
struct FamilyModel: Sendable {
    var family: Family
    /// Central (cross-regional) state groups at national scale; 1 at provincial scale.
    var centralGroups: Int
    /// Share of state units owned by a central group; the rest by a regional state group.
    var centralShare: Double
    /// Regional state groups per region ≈ state units there / this.
    var unitsPerStateGroup: Double
    /// Share of private units owned by a single-unit firm; the rest by regional private groups.
    var privateSingleShare: Double
    /// Regional private groups per region ≈ grouped private units there / this.
    var unitsPerPrivateGroup: Double
    /// Probabilities of 0, 1, 2, 3 consecutive loss years up to the base year.
    var lossYears: [Double]
    /// Debt / assets: truncated normal mean by owner (sd 0.07 state, 0.10 private, range 0.5-0.95).
    var leverageState: Double
    var leveragePrivate: Double

    static let all: [FamilyModel] = [
        FamilyModel(family: .coal, centralGroups: 8, centralShare: 0.25, unitsPerStateGroup: 20,
                    privateSingleShare: 0.75, unitsPerPrivateGroup: 4, lossYears: [0.4, 0.3, 0.2, 0.1],
                    leverageState: 0.75, leveragePrivate: 0.67),
        FamilyModel(family: .steel, centralGroups: 5, centralShare: 0.2, unitsPerStateGroup: 6,
                    privateSingleShare: 0.25, unitsPerPrivateGroup: 4, lossYears: [0.35, 0.45, 0.1, 0.1],
                    leverageState: 0.72, leveragePrivate: 0.64),
        FamilyModel(family: .cement, centralGroups: 4, centralShare: 0.3, unitsPerStateGroup: 8,
                    privateSingleShare: 0.55, unitsPerPrivateGroup: 3, lossYears: [0.55, 0.35, 0.07, 0.03],
                    leverageState: 0.68, leveragePrivate: 0.6),
    ]
}

// MARK: - Generation

/// One generated unit.
struct GeneratedUnit {
    var id: String
    /// The zero-padded number in the id.
    var number: String
    var name: String
    var kind: FacilityKind
    var owner: OwnerType
    var region: Int
    var capacity: Double
    var size: Double
    var startYear: Int
    var reserveYears: Double?
    var cost: Double
    var price: Double
    var logisticsKm: Double
    var safety: Bool
    var workers: Int
    var planned: Bool
    var firm = -1
}

/// One generated enterprise and its base-year balance sheet.
struct GeneratedFirm {
    var id: String
    var owner: OwnerType
    var family: Family
    var single: Bool
    var assets = 0.0
    /// In `CreditorClass.allCases` order.
    var debt: [Double] = []
    var bankRate = 0.0, bondRate = 0.0, privateRate = 0.0
    var fixedCost = 0.0
    var lossYears = 0
}

struct Generation {
    let spec: GeneratorSpec
    let regions: [Region]
    /// Per family, the weight of each region.
    var weights: [[Double]] = []
    var units: [GeneratedUnit] = []
    var firms: [GeneratedFirm] = []
    var firmLookup: [String: Int] = [:]
    /// Per sector, per firm: capacity the size rule closes that no planned unit has claimed yet.
    var replacementBudget: [Sector: [Double]] = [:]
    /// Running sums of the Zipf weights 1/(j+1) for each group count used, built once each.
    var zipfSums: [Int: [Double]] = [:]
    let source: String

    init(spec: GeneratorSpec) {
        self.spec = spec
        regions = spec.scale == .national ? Region.provinces : Region.prefectures
        source = "assumption: synthetic (capsim generate, seed \(spec.seed))"
    }

    /// Streams: kinds 1-6, region weights 10, grouping 20, balance sheets 30, planned units 41-46.
    func stream(_ index: UInt64) -> Draw { Draw(rng: SplitMix64.stream(seed: spec.seed, index: index)) }

    func kindIndex(_ kind: FacilityKind) -> Int { FacilityKind.allCases.firstIndex(of: kind)! }

    /// Planned new units of `kind`: the kind's planned share of its count, rounded.
    func plannedCount(_ kind: FacilityKind) -> Int {
        Int((KindModel.model(kind).plannedShare * Double(spec.counts[kind] ?? 0)).rounded())
    }

    mutating func drawRegionWeights() {
        switch spec.scale {
        case .national:
            weights = Family.allCases.map { f in regions.map { f.weight($0) } }
        case .province:
            var d = stream(10)
            weights = Family.allCases.map { _ in regions.map { _ in 0.2 + d.unit() } }
        }
    }

    /// Coal size multiplier of region `r`, normalised to a count-weighted geometric mean of 1.
    func coalSizeFactor(_ r: Int) -> Double {
        let w = weights[Family.coal.rawValue]
        let total = w.reduce(0, +)
        let logMean = zip(w, regions).reduce(0) { $0 + $1.0 * log($1.1.coalSize) } / total
        return regions[r].coalSize / exp(logMean)
    }

    /// The units of `kind` operating in the base year (ids 1 … count − planned).
    mutating func drawUnits(_ kind: FacilityKind) {
        let count = spec.counts[kind] ?? 0
        guard count > 0 else { return }
        let m = KindModel.model(kind)
        let family = Family(kind)
        var d = stream(UInt64(1 + kindIndex(kind)))
        let sizeFactor = kind == .coalMine ? regions.indices.map(coalSizeFactor) : []
        for i in 0..<(count - plannedCount(kind)) {
            let region = d.pick(weights[family.rawValue])
            let owner: OwnerType = d.bernoulli(m.stateShare) ? .state : .private
            var median = owner == .state ? m.medianState : m.medianPrivate
            if kind == .coalMine { median *= sizeFactor[region] }
            let size = m.snap(d.lognormal(median: median, sigma: m.sigma, in: m.minSize, m.maxSize))
            let age = d.lognormal(median: m.ageMedian, sigma: m.ageSigma, in: 0.5, m.ageMax)
            let startYear = max(1900, spec.baseYear - Int(age.rounded()) + 1)
            units.append(makeUnit(m, index: i, owner: owner, region: region, size: size, startYear: startYear,
                                  planned: false, &d))
        }
    }

    /// A unit with its size fixed: draws capacity jitter, reserve, price, cost, distance, safety
    /// flag and workers.
    func makeUnit(_ m: KindModel, index i: Int, owner: OwnerType, region: Int, size: Double, startYear: Int,
                  planned: Bool, _ d: inout Draw) -> GeneratedUnit {
        let capacity = m.capacity(size: size, jitter: d.uniform(1 - m.capacityJitter, 1 + m.capacityJitter))
        var reserve: Double?
        if m.kind == .coalMine {
            let med = owner == .state ? m.reserveMedianState : m.reserveMedianPrivate
            reserve = d.lognormal(median: planned ? 2 * med : med, sigma: m.reserveSigma, in: 1, 100).rounded()
        }
        let price = (m.price * (1 + m.priceSD * d.normal())).rounded()
        let ratio = min(1.6, max(0.6, m.costRatio + m.costSlope * log(m.costRefSize / size) + m.costSD * d.normal()))
        let cost = (price * ratio).rounded()
        let km = d.lognormal(median: m.logisticsMedian, sigma: m.logisticsSigma, in: 5, m.logisticsMax).rounded()
        let safety = d.bernoulli(owner == .state ? m.safetyState : m.safetyPrivate)
        let intensity = m.workersPer10kt * pow(capacity / m.workersRefCapacity, -m.workersExponent)
            * (owner == .state ? m.workersStateFactor : 1)
        let workers = max(5, Int((capacity * intensity * exp(0.2 * d.normal())).rounded()))
        let width = max(4, String(spec.counts[m.kind] ?? 0).count)
        var number = String(i + 1)
        number = String(repeating: "0", count: max(0, width - number.count)) + number
        var unit = GeneratedUnit(
            id: "\(m.code)-\(number)", number: number, name: "", kind: m.kind, owner: owner, region: region,
            capacity: capacity, size: size, startYear: startYear, reserveYears: reserve, cost: cost, price: price,
            logisticsKm: km, safety: safety, workers: workers, planned: planned)
        unit.name = unitName(unit)
        return unit
    }

    /// Region name, size, kind label and number, e.g. `河北 1080m3高炉 0012`.
    func unitName(_ u: GeneratedUnit) -> String {
        "\(regions[u.region].name) \(decimalText(u.size, digits: 0))\(KindModel.model(u.kind).label) \(u.number)"
    }

    /// The enterprise called `id`, created on first use.
    mutating func firm(_ id: String, _ owner: OwnerType, _ family: Family, single: Bool) -> Int {
        if let i = firmLookup[id] { return i }
        firms.append(GeneratedFirm(id: id, owner: owner, family: family, single: single))
        firmLookup[id] = firms.count - 1
        return firms.count - 1
    }

    /// An index in `0..<n` with Zipf weights 1/(j+1): a few large, many small. Each unit draws one,
    /// so the running sums are kept per `n` and the draw bisects them (linear in the units).
    mutating func zipf(_ n: Int, _ d: inout Draw) -> Int {
        precondition(n > 0)
        if zipfSums[n] == nil {
            var sum = 0.0
            zipfSums[n] = (0..<n).map { sum += 1 / Double($0 + 1); return sum }
        }
        return d.pick(cumulative: zipfSums[n]!)
    }

    /// Regional groups for `n` units at `per` units a group (at least 1 when n > 0).
    static func groups(_ n: Int, per: Double) -> Int { n == 0 ? 0 : max(1, Int((Double(n) / per).rounded())) }

    /// Groups the base-year units into enterprises.
    mutating func groupIntoEnterprises() {
        var d = stream(20)
        for fm in FamilyModel.all {
            let members = units.indices.filter { Family(units[$0].kind) == fm.family }
            guard !members.isEmpty else { continue }
            let central = spec.scale == .national ? fm.centralGroups : 1
            var grouped = [Bool](repeating: false, count: units.count)
            var stateCount = [Int](repeating: 0, count: regions.count)
            var groupedCount = [Int](repeating: 0, count: regions.count)
            for u in members {
                if units[u].owner == .state {
                    stateCount[units[u].region] += 1
                } else if !d.bernoulli(fm.privateSingleShare) {
                    grouped[u] = true
                    groupedCount[units[u].region] += 1
                }
            }
            let family = fm.family.name
            for u in members {
                let r = units[u].region, rid = regions[r].id
                if units[u].owner == .state {
                    if d.bernoulli(fm.centralShare) {
                        let j = zipf(central, &d) + 1
                        units[u].firm = firm("central-\(family)-group-\(j)", .state, fm.family, single: false)
                    } else {
                        let j = zipf(Self.groups(stateCount[r], per: fm.unitsPerStateGroup), &d) + 1
                        units[u].firm = firm("\(rid)-\(family)-group-\(j)", .state, fm.family, single: false)
                    }
                } else if grouped[u] {
                    let j = zipf(Self.groups(groupedCount[r], per: fm.unitsPerPrivateGroup), &d) + 1
                    units[u].firm = firm("\(rid)-\(family)-private-group-\(j)", .private, fm.family, single: false)
                } else {
                    units[u].firm = firm("firm-\(units[u].id)", .private, fm.family, single: true)
                }
            }
        }
    }

    /// The planned new units of `kind` (the last ids), after grouping. Each replaces capacity
    /// (减量置换): it goes to an enterprise whose base units in the sector that the size rule closes,
    /// less what earlier planned units claimed, pay for at least the kind's smallest planned unit
    /// at the sector's replacement ratio (state enterprises first, then those that keep at least
    /// 60 % of their base capacity), drawn with weights = that capacity; it takes that
    /// enterprise's owner type and the region of its largest such unit, and its size is drawn so
    /// that the credit pays for it. When no enterprise has enough, it goes to the one with the
    /// most such capacity (or the largest state enterprise of the family) at its drawn size, and
    /// may stay blocked.
    mutating func drawPlanned(_ kind: FacilityKind) {
        let planned = plannedCount(kind)
        guard planned > 0 else { return }
        let count = spec.counts[kind] ?? 0
        let m = KindModel.model(kind)
        let family = Family(kind), sector = kind.sector
        let ratio = SectorPolicyModel.model(sector).replacementRatio
        var d = stream(UInt64(41 + kindIndex(kind)))
        if replacementBudget[sector] == nil {
            var budget = [Double](repeating: 0, count: firms.count)
            for u in units where u.kind.sector == sector && !u.planned && Self.underSizeRule(u) {
                budget[u.firm] += u.capacity
            }
            replacementBudget[sector] = budget
        }
        let slack = 1 + m.capacityJitter
        var firmCapacity = [Double](repeating: 0, count: firms.count)
        for u in units where !u.planned { firmCapacity[u.firm] += u.capacity }
        var budget = replacementBudget[sector]!
        // Only firms with credit left can be chosen (every tier weighs a firm by its credit), so
        // each planned unit looks at those, in firm order, not at every firm: the work is the
        // planned units times the firms with small units, not times all firms.
        let candidates = budget.indices.filter { budget[$0] > 0 }
        let position = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        var exhausted = Set<Int>()
        let sites = siteRegions(sector)
        var largestState: Int??
        let smallest = m.capacity(size: m.plannedMinSize, jitter: slack)
        // Capacity a firm's credit pays for, less 1 so that rounding the capacity cannot exceed it.
        func affordable(_ f: Int) -> Double { budget[f] / ratio - 1 }
        // Tiers, first non-empty wins: state enterprises that can pay (zombie state firms are
        // merged or flagged, never wound up, and the credit pool stays theirs); enterprises that
        // can pay and keep at least 60 % of their base capacity after the size rule (a firm that
        // loses more is idle for more than 6 months, a zombie in the first year); any that can pay.
        // A firm's weight in a tier is its credit; only the chosen firm's changes, so the tiers are
        // kept as weight trees and each planned unit costs a logarithm of the candidates.
        func tierWeight(_ tier: Int, _ f: Int) -> Double {
            guard budget[f] > 0, affordable(f) >= smallest else { return 0 }
            switch tier {
            case 0: return firms[f].owner == .state ? budget[f] : 0
            case 1: return budget[f] <= 0.4 * firmCapacity[f] ? budget[f] : 0
            default: return budget[f]
            }
        }
        var tiers = (0..<3).map { t in WeightTree(candidates.map { tierWeight(t, $0) }) }
        for i in (count - planned)..<count {
            while budget.count < firms.count { budget.append(0) }
            let chosen: Int
            var upper = m.maxSize
            if let tier = tiers.first(where: { $0.positives > 0 }) {
                chosen = candidates[tier.pick(d.unit())]
                let perSize = m.kind == .clinkerLine ? 310.0 / 10_000 : m.capacityPerSize * slack
                upper = min(m.maxSize, affordable(chosen) / perSize)
            } else if let most = candidates.filter({ firms[$0].family == family && !exhausted.contains($0) })
                .max(by: { budget[$0] < budget[$1] }) {
                chosen = most
            } else {
                if largestState == nil { largestState = .some(largestStateFirm(family, in: sector)) }
                chosen = largestState!! ?? firm("\(regions[0].id)-\(family.name)-group-1", .state, family, single: false)
            }
            let owner = firms[chosen].owner
            let region = sites[chosen] ?? d.pick(weights[family.rawValue])
            let median = max(owner == .state ? m.medianState : m.medianPrivate, m.plannedMinSize)
            let drawn = d.lognormal(median: min(median, upper), sigma: m.sigma, in: m.plannedMinSize, max(m.plannedMinSize, upper))
            let size = m.snapDown(drawn, atLeast: m.plannedMinSize)
            let startYear = spec.baseYear + 1 + Int(d.unit() * Double(min(3, spec.years)))
            var unit = makeUnit(m, index: i, owner: owner, region: region, size: size, startYear: startYear,
                                planned: true, &d)
            unit.firm = chosen
            firms[chosen].single = false
            while budget.count < firms.count { budget.append(0) }
            budget[chosen] = max(0, budget[chosen] - ratio * unit.capacity)
            if let k = position[chosen] {
                for t in tiers.indices { tiers[t].set(k, tierWeight(t, chosen)) }
                if budget[chosen] == 0 { exhausted.insert(chosen) }
            }
            units.append(unit)
        }
        replacementBudget[sector] = budget
    }

    /// For each firm with base units in `sector`, the region of its largest base unit there under
    /// the size rule, or of its largest base unit there (the first in table order on a tie); one
    /// pass over the units.
    func siteRegions(_ sector: Sector) -> [Int: Int] {
        var small: [Int: (capacity: Double, region: Int)] = [:], any = small
        for u in units where !u.planned && u.kind.sector == sector {
            if any[u.firm].map({ u.capacity > $0.capacity }) ?? true { any[u.firm] = (u.capacity, u.region) }
            if Self.underSizeRule(u), small[u.firm].map({ u.capacity > $0.capacity }) ?? true {
                small[u.firm] = (u.capacity, u.region)
            }
        }
        return any.mapValues(\.region).merging(small.mapValues(\.region)) { _, small in small }
    }

    /// The state enterprise of `family` with the most base capacity, in `sector` or in all its
    /// sectors; the first in table order on a tie; nil when the family has no state enterprise.
    func largestStateFirm(_ family: Family, in sector: Sector? = nil) -> Int? {
        var capacity = [Double](repeating: 0, count: firms.count)
        for u in units where !u.planned && (sector == nil || u.kind.sector == sector) { capacity[u.firm] += u.capacity }
        let state = firms.indices.filter { firms[$0].owner == .state && firms[$0].family == family }
        return state.max { capacity[$0] < capacity[$1] || (capacity[$0] == capacity[$1] && $0 > $1) }
    }

    /// Puts the table in kind order, base-year units before planned ones within a kind.
    mutating func orderUnits() {
        let order = Dictionary(uniqueKeysWithValues: FacilityKind.allCases.enumerated().map { ($1, $0) })
        units = units.enumerated().sorted { a, b in
            let ka = order[a.element.kind]!, kb = order[b.element.kind]!
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    mutating func drawBalanceSheets() {
        var d = stream(30)
        var base = [Double](repeating: 0, count: firms.count), all = base
        for u in units {
            let yuan = u.capacity * 10_000 * KindModel.model(u.kind).assetsYuanPerTonne
            all[u.firm] += yuan
            if !u.planned { base[u.firm] += yuan }
        }
        let stateShares = [0.62, 0.18, 0.05, 0.04, 0.04, 0.07]
        let privateShares = [0.42, 0.03, 0.37, 0.06, 0.05, 0.07]
        for i in firms.indices {
            let fm = FamilyModel.all[firms[i].family.rawValue]
            let state = firms[i].owner == .state
            let book = base[i] > 0 ? base[i] : all[i]
            let assets = (book * exp(0.25 * d.normal())).rounded()
            let leverage = d.normal(mean: state ? fm.leverageState : fm.leveragePrivate, sd: state ? 0.07 : 0.10,
                                    in: 0.5, 0.95)
            var shares = (state ? stateShares : privateShares).map { $0 * d.uniform(0.6, 1.4) }
            if firms[i].single { shares[1] = 0 }  // single-unit private firms issue no bonds
            let sum = shares.reduce(0, +)
            firms[i].assets = assets
            firms[i].debt = shares.map { (assets * leverage * $0 / sum).rounded() }
            firms[i].bankRate = (0.0475 * (state ? d.uniform(1.0, 1.15) : d.uniform(1.1, 1.3)) * 10_000).rounded() / 10_000
            firms[i].bondRate = ((state ? d.uniform(0.045, 0.06) : d.uniform(0.06, 0.08)) * 10_000).rounded() / 10_000
            firms[i].privateRate = (d.uniform(0.10, 0.18) * 10_000).rounded() / 10_000
            firms[i].fixedCost = (assets * d.uniform(0.01, 0.03)).rounded()
            firms[i].lossYears = d.pick(fm.lossYears)
        }
    }

    // MARK: totals

    func sectorTotals() -> [GeneratedScenario.SectorTotals] {
        Sector.allCases.compactMap { sector in
            let mine = units.filter { $0.kind.sector == sector }
            guard !mine.isEmpty else { return nil }
            let operating = mine.filter { !$0.planned }
            let small = operating.filter { Self.underSizeRule($0) }
            return GeneratedScenario.SectorTotals(
                sector: sector, units: mine.count, plannedUnits: mine.count - operating.count,
                capacity10kt: baseCapacity(sector),
                plannedCapacity10kt: mine.filter(\.planned).reduce(0) { $0 + $1.capacity },
                workers: operating.reduce(0) { $0 + $1.workers }, unitsUnderSizeRule: small.count,
                capacityUnderSizeRule10kt: small.reduce(0) { $0 + $1.capacity })
        }
    }

    /// The size rules the YAML states (docs/GENERATOR.md, "Rules").
    static func underSizeRule(_ u: GeneratedUnit) -> Bool {
        switch u.kind {
        case .coalMine: return u.size < sizeRules.coal
        case .blastFurnace: return u.size <= sizeRules.iron
        case .converter, .electricFurnace: return u.size <= sizeRules.steel
        case .clinkerLine: return u.size <= sizeRules.clinker
        case .grindingStation: return false
        }
    }

    static let sizeRules = (coal: 30.0, iron: 400.0, steel: 30.0, clinker: 2_500.0)

    var presentSectors: [Sector] { Sector.allCases.filter { s in units.contains { $0.kind.sector == s } } }

    func baseCapacity(_ sector: Sector) -> Double {
        units.filter { $0.kind.sector == sector && !$0.planned }.reduce(0) { $0 + $1.capacity }
    }

    // MARK: tables

    func facilitiesCSV() -> String {
        var csv = CSVText(header: FacilityTableReader.columns)
        for u in units {
            csv.append([u.id, u.name, u.kind.rawValue, firms[u.firm].id, u.owner.rawValue, regions[u.region].id,
                        decimalText(u.capacity), decimalText(u.size), "\(u.startYear)",
                        u.reserveYears.map { decimalText($0) } ?? "", decimalText(u.cost), decimalText(u.price),
                        decimalText(u.logisticsKm), u.safety ? "1" : "0", "\(u.workers)", source])
        }
        return csv.text
    }

    func enterprisesCSV() -> String {
        var csv = CSVText(header: EnterpriseTableReader.columns)
        for f in firms {
            csv.append([f.id, f.owner.rawValue, decimalText(f.assets, digits: 0)]
                       + f.debt.map { decimalText($0, digits: 0) }
                       + [decimalText(f.bankRate), decimalText(f.bondRate), decimalText(f.privateRate),
                          decimalText(f.fixedCost, digits: 0), "\(f.lossYears)", source])
        }
        return csv.text
    }
}
