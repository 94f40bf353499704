import ArgumentParser
import DevPayEmulator
import DevPayHTTP
import Foundation
import HTTPTypes

/// Where the running emulator is, for the admin subcommands.
struct EmulatorConnectionOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(help: "The emulator's base URL (printed by `devpay emulator start`); default $DEVPAY_EMULATOR_URL.")
    var endpoint: String?

    @Option(help: "The emulator's CA certificate (PEM); default $DEVPAY_EMULATOR_CA_FILE.")
    var caFile: String?

    @Option(help: "The admin token `devpay emulator start` printed; `-` reads it from stdin. Default: $DEVPAY_EMULATOR_ADMIN_TOKEN.")
    var adminToken: String?

    @Option(help: ArgumentHelp("Read the admin token from this file (`-`: stdin).", valueName: "path"))
    var adminTokenFile: String?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    /// Sends one admin call and prints its answer; a non-2xx answer exits non-zero with the emulator's message.
    func call(_ method: HTTPRequest.Method, _ path: String, body: (some Encodable)? = Optional<String>.none) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = endpoint ?? environment["DEVPAY_EMULATOR_URL"],
              let caFile = caFile ?? environment["DEVPAY_EMULATOR_CA_FILE"] else {
            throw ValidationError("pass --endpoint and --ca-file (or set DEVPAY_EMULATOR_URL and DEVPAY_EMULATOR_CA_FILE)")
        }
        guard let base = URL(string: endpoint), base.scheme == "https", let authority = base.host.map({ host in
            base.port.map { "\(host):\($0)" } ?? host
        }) else {
            throw ValidationError("--endpoint must be an https URL, like the one `devpay emulator start` prints")
        }
        let token = try SecretArgument(
            name: "admin-token", value: adminToken, file: adminTokenFile,
            environmentVariable: "DEVPAY_EMULATOR_ADMIN_TOKEN").require(environment: environment)
        let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: caFile)))
        var request = HTTPRequest(method: method, scheme: "https", authority: authority, path: "/admin/" + path)
        request.headerFields[.authorization] = "Bearer " + token
        var bytes: [UInt8]?
        if let body {
            bytes = Array(try HTTPAnswerFormat.encoder.encode(body))
            request.headerFields[.contentType] = "application/json"
        }
        let response = try await client.send(request, body: bytes, options: HTTPRequestOptions())
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.head.status.code) else {
            throw EmulatorAdminError(status: response.head.status.code, message: text)
        }
        if json || text.isEmpty {
            if !text.isEmpty { print(json ? text : TerminalText.escaped(text)) }
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            print(TerminalText.escaped(text))
            return
        }
        for key in object.keys.sorted() { print(TerminalText.escaped("\(key): \(object[key]!)")) }
    }
}

/// JSON coding shared with the emulator's admin API (ISO 8601 dates).
enum HTTPAnswerFormat {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// An admin call the emulator refused.
struct EmulatorAdminError: Error, CustomStringConvertible {
    var status: Int
    var message: String
    var description: String { "emulator answered HTTP \(status): \(message)" }
}

struct EmulatorAddProductCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-product", abstract: "Register a product (code and token generated unless given).")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Option(help: "Product code, e.g. 774F4FF8.") var productCode: String?
    @Option(help: "Product token ({ProductToken}…).") var productToken: String?

    func run() async throws {
        try await connection.call(.post, "products", body: AdminMessages.RegisterProduct(
            productCode: productCode, productToken: productToken))
    }
}

struct EmulatorPurchaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purchase", abstract: "Sell a product to a customer and print the activation key (valid 1 hour).")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Option(help: "The product's code.") var productCode: String
    @Option(help: "An existing customer; a new one when absent.") var customer: String?
    @Option(help: "subscribed, after:SECONDS, payment-failed or cancelled:ISO8601.") var scenario: ScenarioArgument?

    func run() async throws {
        try await connection.call(.post, "purchases", body: AdminMessages.Purchase(
            productCode: productCode, customerID: customer, scenario: scenario?.scenario))
    }
}

struct EmulatorNewKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-key", abstract: "Issue a fresh activation key for an existing customer (the activate URL).")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Option(help: "The customer.") var customer: String
    @Option(help: "The product's code.") var productCode: String

    func run() async throws {
        try await connection.call(.post, "activation-keys", body: AdminMessages.IssueActivationKey(
            customerID: customer, productCode: productCode))
    }
}

struct EmulatorSubscriptionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscription", abstract: "Show a customer's subscription, or change its scenario with --set.")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Option(help: "The customer.") var customer: String
    @Option(help: "The product's code (required to show; all products when setting without it).") var productCode: String?
    @Option(help: "subscribed, after:SECONDS, payment-failed or cancelled:ISO8601.") var set: ScenarioArgument?

    func run() async throws {
        if let set {
            try await connection.call(.put, "subscriptions", body: AdminMessages.SetSubscription(
                customerID: customer, productCode: productCode, scenario: set.scenario))
        } else {
            guard let productCode else { throw ValidationError("--product-code is required to show a subscription") }
            let query = "customerID=\(customer.urlQueryValue)&productCode=\(productCode.urlQueryValue)"
            try await connection.call(.get, "subscriptions?" + query)
        }
    }
}

struct EmulatorClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock", abstract: "Show the emulator's clock, or move it (keys, tokens and vetting follow it).")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Option(help: "Move the clock forward by this many seconds.") var advance: Double?
    @Option(help: "Set the clock to this ISO 8601 instant.") var set: String?

    func run() async throws {
        if advance == nil, set == nil {
            try await connection.call(.get, "clock")
            return
        }
        var instant: Date?
        if let set {
            guard let parsed = ISO8601DateFormatter().date(from: set) else {
                throw ValidationError("--set needs an ISO 8601 instant like 2026-12-01T00:00:00Z")
            }
            instant = parsed
        }
        try await connection.call(.post, "clock", body: AdminMessages.ClockChange(advanceSeconds: advance, setTo: instant))
    }
}

struct EmulatorFaultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "Show, set or clear injected faults (503s, dropped connections, latency).",
        discussion: "Example: devpay emulator faults --target licenseService --script 503:5 --script drop --script pass")
    @OptionGroup var connection: EmulatorConnectionOptions
    @Flag(help: "Remove every fault.") var clear = false
    @Option(help: "all, licenseService or s3.") var target: FaultPlan.Target = .all
    @Option(help: "Scripted answers in order: 503, 503:RETRY_AFTER_SECONDS, drop, delay:MILLISECONDS, pass.")
    var script: [FaultArgument] = []
    @Option(help: "Probability (0…1) of a 503 once the script is used up.") var unavailableRate: Double = 0
    @Option(help: "Retry-After seconds sent with rate-drawn 503s.") var retryAfter: Int?
    @Option(help: "Probability (0…1) of dropping the connection once the script is used up.") var dropRate: Double = 0
    @Option(help: "Milliseconds added to every matching request.") var latency: Int = 0
    @Flag(help: "Only show the plan in force.") var show = false

    func validate() throws {
        guard (0...1).contains(unavailableRate), (0...1).contains(dropRate), unavailableRate + dropRate <= 1 else {
            throw ValidationError("rates are probabilities between 0 and 1, together at most 1")
        }
    }

    func run() async throws {
        if show { return try await connection.call(.get, "faults") }
        if clear { return try await connection.call(.delete, "faults") }
        try await connection.call(.put, "faults", body: FaultPlan(
            target: target, script: script.map(\.fault), unavailableRate: unavailableRate,
            retryAfterSeconds: retryAfter, dropRate: dropRate, latencyMilliseconds: latency))
    }
}

extension String {
    fileprivate var urlQueryValue: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self
    }
}
