import CapSimIO

/// Renders charts and writes every image into a folder at once (all or nothing).
public enum ChartWriter {
    /// What was written.
    public struct Written: Sendable {
        /// Paths of the images, in chart order.
        public var paths: [String]
        /// gnuplot's warnings, if any (it succeeded regardless).
        public var warnings: [String]
    }

    /// Renders `charts` in `formats` with `gnuplot` and writes them into `folder` atomically:
    /// on any failure (gnuplot missing or failing, folder not writable) nothing is written.
    public static func write(_ charts: [Chart], formats: [ImageFormat], to folder: String,
                             gnuplot: Gnuplot) throws -> Written {
        let rendered = try gnuplot.render(charts, formats: formats)
        try AtomicOutput.write(rendered.files, to: folder)
        return Written(paths: rendered.files.map { folder + "/" + $0.name }, warnings: rendered.warnings)
    }
}
