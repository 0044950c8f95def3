/// Values by category and year, stacked into bands or bars whose edges are running sums, so each
/// category's band sits on the ones before it and the top edge is the total.
struct Stack {
    /// Categories in the order they are stacked from the bottom.
    var categories: [String] = []
    private var values: [String: [Int: Double]] = [:]

    /// Adds `value` to `category` in `year` (sums over sectors or closures).
    mutating func add(_ value: Double, category: String, year: Int) {
        if values[category] == nil {
            categories.append(category)
            values[category] = [:]
        }
        values[category]![year, default: 0] += value
    }

    /// Every year any category has.
    var years: [Int] { Array(Set(values.values.flatMap(\.keys))).sorted() }

    /// Drops categories that are zero in every year (channels a scenario switched off).
    mutating func dropZeroCategories() {
        categories.removeAll { c in values[c]!.values.allSatisfy { $0 == 0 } }
    }

    /// One series per category, `low` = sum of the categories below, `high` = that plus its own.
    /// Bars leave out zero segments; bands keep them so the band is continuous.
    func series(style: Series.Style, scale: Double = 1) -> [Series] {
        let years = self.years
        var below = [Int: Double]()
        var result: [Series] = []
        for (i, category) in categories.enumerated() {
            var points: [Series.Point] = []
            for year in years {
                let value = (values[category]![year] ?? 0) / scale
                let low = below[year, default: 0]
                if case .bar = style, value == 0 { continue }
                points.append(Series.Point(x: Double(year), low: low, high: low + value))
                below[year] = low + value
            }
            result.append(Series(label: category, color: Palette.color(i), style: style, points: points))
        }
        return result
    }
}
