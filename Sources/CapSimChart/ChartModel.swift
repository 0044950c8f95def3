/// An image format gnuplot writes.
public enum ImageFormat: String, CaseIterable, Sendable {
    /// Raster, through gnuplot's `pngcairo` terminal (cairo renders CJK text through fontconfig).
    case png
    /// Vector, through gnuplot's `svg` terminal.
    case svg
}

/// One chart, independent of gnuplot: a title over one panel or a grid of small multiples.
public struct Chart: Sendable, Equatable {
    /// File name without extension, e.g. `capacity` (gets `.png` / `.svg`).
    public var name: String
    /// The heading over the whole image.
    public var title: String
    /// One or more panels, laid out row by row.
    public var panels: [Panel]
    /// Panels per row when there is more than one.
    public var columns: Int

    /// A chart named `name` (the file stem) with `panels` laid out `columns` to a row.
    public init(name: String, title: String, panels: [Panel], columns: Int = 2) {
        self.name = name
        self.title = title
        self.panels = panels
        self.columns = max(1, columns)
    }
}

extension Chart {
    /// Whether any title or label needs more than ASCII (Chinese names need a CJK font).
    var hasNonASCIIText: Bool {
        let texts = [title] + panels.flatMap { [$0.title ?? "", $0.xLabel, $0.yLabel] + $0.series.compactMap(\.label) }
        return texts.contains { !$0.unicodeScalars.allSatisfy(\.isASCII) }
    }
}

/// One set of axes with its series.
public struct Panel: Sendable, Equatable {
    /// Where the legend goes.
    public enum Legend: Sendable, Equatable {
        /// Right of the plot, for long lists (many rules or channels).
        case outsideRight
        /// Under the plot in a row, where it never hides a line.
        case below
    }

    /// The panel's own heading (a sector or policy in small multiples); nil for none.
    public var title: String?
    /// Label of the horizontal axis.
    public var xLabel: String
    /// Label of the vertical axis, with its unit.
    public var yLabel: String
    /// Drawn in order: bands first so lines stay on top.
    public var series: [Series]
    /// Where the legend goes.
    public var legend: Legend
    /// A fixed vertical range (shared by small multiples that must be compared), or nil for automatic.
    public var yRange: ClosedRange<Double>?
    /// Whether an automatic vertical range starts at zero (stocks and counts) or hugs the data
    /// (comparisons, where the gap between lines matters more than their height).
    public var zeroBased: Bool
    /// List the legend last series first, so a stack's legend reads top-down like the stack.
    public var legendInverted: Bool

    /// A panel with automatic vertical range unless `yRange` is given.
    public init(title: String? = nil, xLabel: String = "year", yLabel: String, series: [Series],
                legend: Legend = .outsideRight, yRange: ClosedRange<Double>? = nil, zeroBased: Bool = true,
                legendInverted: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.legend = legend
        self.yRange = yRange
        self.zeroBased = zeroBased
        self.legendInverted = legendInverted
    }
}

/// One data series: a line, a shaded band between two curves, or bars from `low` to `high`.
public struct Series: Sendable, Equatable {
    /// How the points are drawn.
    public enum Style: Sendable, Equatable {
        /// A line through `(x, high)` with a dot at each point.
        case line(width: Double, dashed: Bool)
        /// A filled band between `low` and `high`; `opacity` in (0, 1] so overlapping bands show.
        case band(opacity: Double)
        /// A bar at each `x` from `low` to `high`, `width` in x units; stacked bars share an `x`.
        case bar(width: Double)
    }

    /// One point: for a line `low == high`.
    public struct Point: Sendable, Equatable {
        /// Horizontal position (a year).
        public var x: Double
        /// Lower edge of a band or bar.
        public var low: Double
        /// Value of a line, upper edge of a band or bar.
        public var high: Double

        /// A band or bar point.
        public init(x: Double, low: Double, high: Double) {
            self.x = x
            self.low = low
            self.high = high
        }

        /// A line point.
        public init(x: Double, y: Double) { self.init(x: x, low: y, high: y) }
    }

    /// Legend entry, or nil to leave the series out of the legend.
    public var label: String?
    /// `#rrggbb`.
    public var color: String
    /// How the points are drawn.
    public var style: Style
    /// In increasing `x`.
    public var points: [Point]

    /// A series; `points` are sorted by `x` here so callers may collect them in any order.
    public init(label: String?, color: String, style: Style, points: [Point]) {
        self.label = label
        self.color = color
        self.style = style
        self.points = points.sorted { $0.x < $1.x }
    }
}

/// Colours for categorical series, distinguishable in print and by most colour-blind readers
/// (Okabe-Ito first, then Tableau's darker tones for charts with many rules or channels).
public enum Palette {
    /// The colours in order; series take them cyclically.
    public static let colors = [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
        "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#2CA02C", "#D62728", "#1F77B4",
        "#FF7F0E", "#AEC7E8", "#98DF8A", "#C5B0D5",
    ]

    /// The colour of the `index`-th category.
    public static func color(_ index: Int) -> String { colors[index % colors.count] }
}
