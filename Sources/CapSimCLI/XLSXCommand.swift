import ArgumentParser
import CapSimWorkbook

/// `capsim xlsx`: the Excel workbook of a run folder.
public struct XLSXCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "xlsx",
        abstract: "Write the Excel workbook (.xlsx) of a run folder.",
        discussion: """
            Reads summary.json, projections.csv, closures.csv and openings.csv of a folder \
            `capsim run` wrote and writes one workbook: the headline figures, capacity by \
            prefecture and year (detail rows only, so a pivot does not count twice) and the \
            province totals on their own sheet, workers by state and channel, costs by payer and \
            debt by creditor (亿元), closures with their reasons, openings. Headers in Chinese and \
            English, frozen; numbers with thousands separators. A table longer than Excel's \
            1,048,576 rows continues on a sheet 'NAME (2)'. Written atomically (docs/WORKBOOK.md).

            Examples:
              capsim xlsx runs/jilin --out runs/jilin.xlsx
                  The workbook of the Jilin run written by `capsim run ... --out runs/jilin`.
            """)

    @Argument(help: "A folder written by `capsim run`.")
    var runFolder: String

    @Option(name: .long, help: ArgumentHelp("The workbook to write (default: RUN_FOLDER/workbook.xlsx).", valueName: "file"))
    var out: String?

    public init() {}

    public func run() throws {
        let path = out ?? (runFolder.hasSuffix("/") ? runFolder : runFolder + "/") + "workbook.xlsx"
        do {
            try WorkbookFile.write(try RunWorkbook.tables(runFolder: runFolder), to: path)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print("wrote \(path)")
    }
}
