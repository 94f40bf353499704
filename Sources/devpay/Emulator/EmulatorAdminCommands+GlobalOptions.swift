/// The admin subcommands take `--log-level` through their shared connection options.
extension EmulatorAddProductCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
extension EmulatorPurchaseCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
extension EmulatorNewKeyCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
extension EmulatorSubscriptionCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
extension EmulatorClockCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
extension EmulatorFaultsCommand: GlobalOptionsCommand { var global: GlobalOptions { connection.global } }
