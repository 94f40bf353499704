import ArgumentParser

/// `devpay`: activate, inspect and exercise DevPay desktop products from the shell.
@main
struct DevPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devpay",
        abstract: "Activate DevPay desktop products, sign S3 requests and run a local License Service.",
        subcommands: [
            DoctorCommand.self,
            SignCommand.self,
            SimulateCommand.self,
            EmulatorCommand.self,
        ]
    )
}
