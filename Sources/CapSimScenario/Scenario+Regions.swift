import CapSimCore
import Yams

/// A region (prefecture, province) the scenario's tables may name, from the `regions` table.
public struct Region: Sendable, Equatable {
    /// The id facility tables use (`baishan`).
    public var id: String
    /// The Chinese name (`白山市`).
    public var name: String
    /// The id of the region it belongs to (a prefecture's province), another row of the table.
    public var parent: String?
    /// Latitude, degrees north, optional.
    public var latitude: Double?
    /// Longitude, degrees east, optional.
    public var longitude: Double?

    /// Creates a region.
    public init(id: String, name: String, parent: String? = nil, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.parent = parent
        self.latitude = latitude
        self.longitude = longitude
    }
}

extension Scenario {
    static let regionKeys = ["id", "name", "parent", "latitude", "longitude"]

    /// The Chinese name of region `id` from the regions table, or nil without a table or row.
    public func regionName(_ id: String) -> String? { regions.first { $0.id == id }?.name }

    /// Reads the optional `regions` table and, when it is given, checks that every facility names
    /// one of its ids (an unknown one is reported at its row, with the nearest id). Parents must be
    /// ids of the table and lead to a region without a parent (no cycles).
    mutating func resolveRegions(_ node: Node?, facilityRows: [RowLocation], reusing base: Scenario?,
                                 reader: inout YAMLReader) {
        if let base {
            regions = base.regions
            return
        }
        guard let node, let list = reader.sequence(node, "regions") else { return }
        var table: [Region] = []
        var parentNodes: [Node?] = []
        var positions: [Int] = []   // each row's index in the YAML list, for messages
        for (i, item) in list.enumerated() {
            let path = "regions[\(i)]"
            guard let map = reader.mapping(item, path, allowed: Self.regionKeys, required: ["id", "name"]),
                  let idNode = map["id"], let id = reader.string(idNode, path + ".id"),
                  let nameNode = map["name"], let name = reader.string(nameNode, path + ".name") else { continue }
            if id == "all" {
                reader.report(idNode, path + ".id", "'all' is reserved for totals in the output tables; use the prefecture's id")
                continue
            }
            if table.contains(where: { $0.id == id }) {
                reader.report(idNode, path + ".id", "region '\(id)' is listed twice")
                continue
            }
            let latitude = map["latitude"].flatMap {
                reader.number($0, path + ".latitude", expectation: "in -90...90", limit: .bounded) { (-90...90).contains($0) }
            }
            let longitude = map["longitude"].flatMap {
                reader.number($0, path + ".longitude", expectation: "in -180...180", limit: .bounded) { (-180...180).contains($0) }
            }
            let parent = map["parent"].flatMap { reader.string($0, path + ".parent") }
            table.append(Region(id: id, name: name, parent: parent, latitude: latitude, longitude: longitude))
            parentNodes.append(map["parent"])
            positions.append(i)
        }
        let ids = table.map(\.id)
        for (i, region) in table.enumerated() {
            guard let parent = region.parent else { continue }
            if !ids.contains(parent) {
                reader.report(parentNodes[i], "regions[\(positions[i])].parent",
                              "unknown region '\(parent)'; the parent must be an id of this table" + Suggestion.phrase(for: parent, in: ids))
                continue
            }
            // Following parents from a region must end at one without a parent.
            var seen: Set<String> = [region.id]
            var next: String? = parent
            while let p = next, let row = table.first(where: { $0.id == p }) {
                if !seen.insert(p).inserted {
                    reader.report(parentNodes[i], "regions[\(positions[i])].parent", "parents form a cycle through '\(region.id)'")
                    break
                }
                next = row.parent
            }
        }
        regions = table
        let known = Set(ids)
        for (f, facility) in facilities.enumerated() where !known.contains(facility.region) && f < facilityRows.count {
            let at = facilityRows[f]
            reader.issues.append(ScenarioIssue(
                file: at.file, line: at.line, row: at.row, field: "region",
                message: "unknown region '\(facility.region)'; the scenario's regions table lists "
                    + ids.prefix(12).joined(separator: ", ") + (ids.count > 12 ? ", ..." : "")
                    + Suggestion.phrase(for: facility.region, in: ids)))
        }
    }
}
