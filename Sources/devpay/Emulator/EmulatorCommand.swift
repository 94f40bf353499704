import ArgumentParser

/// `devpay emulator`: run the local License Service + S3 emulator and drive a running one.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local DevPay License Service and DevPay-aware S3 over HTTPS, and control it.",
        discussion: """
            `devpay emulator start` serves on 127.0.0.1 and prints its base URL and the CA file clients must \
            trust. The other subcommands talk to a running emulator's admin API: pass --endpoint (or set \
            DEVPAY_EMULATOR_URL) and --ca-file (or DEVPAY_EMULATOR_CA_FILE).
            """,
        subcommands: [
            EmulatorStartCommand.self,
            EmulatorAddProductCommand.self,
            EmulatorPurchaseCommand.self,
            EmulatorNewKeyCommand.self,
            EmulatorSubscriptionCommand.self,
            EmulatorClockCommand.self,
            EmulatorFaultsCommand.self,
        ]
    )
}
