import ArgumentParser

/// Options of every command that writes CSV tables.
struct CSVOutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Start each CSV file with a UTF-8 byte-order mark, so Excel on Windows shows Chinese names.")
    var bom = false
}
