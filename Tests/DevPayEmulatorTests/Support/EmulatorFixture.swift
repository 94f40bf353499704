import DevPayEmulator
import DevPayStateMachine
import Foundation

/// A started emulator with a frozen clock and a seeded random source, and a curl client that trusts it.
struct EmulatorFixture {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    let server: EmulatorServer
    let client: CurlClient

    static func start(seed: UInt64 = 1, clock: EmulatorClock = .frozen(at: epoch), stateFolder: URL? = nil)
        async throws -> EmulatorFixture
    {
        let server = try await EmulatorServer.start(EmulatorConfiguration(
            stateFolder: stateFolder, clock: clock, random: SeededRandomNumberGenerator(seed: seed)))
        return EmulatorFixture(server: server, client: CurlClient(caFile: server.caCertificateFile))
    }

    /// `headers` plus the admin API's bearer token.
    func admin(_ headers: [String: String] = [:]) -> [String: String] {
        headers.merging(["Authorization": "Bearer " + server.adminToken]) { $1 }
    }

    /// `https://127.0.0.1:PORT/` + `path`.
    func url(_ path: String) -> String { server.baseURL.absoluteString + path.drop { $0 == "/" } }

    /// A License Service GET with the parameters URL-encoded (RFC 3986 unreserved characters left bare).
    func licenseService(_ parameters: [(String, String)]) async throws -> CurlClient.Reply {
        let query = parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return try await client.send("GET", url("/?" + query))
    }

    /// A registered product and one purchase of it: the activation key.
    func purchased(scenario: SubscriptionScenario = .subscribed) async throws -> (EmulatorProduct, IssuedActivationKey) {
        let product = try await server.registerProduct()
        let key = try await server.purchase(productCode: product.productCode, scenario: scenario)
        return (product, key)
    }

    /// Activates and returns the three credentials from the XML.
    func activate(_ product: EmulatorProduct, _ key: IssuedActivationKey, tokenExpiration: Int? = nil)
        async throws -> (userToken: String, accessKeyID: String, secret: String)
    {
        var parameters = [("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
                          ("ProductToken", product.productToken), ("Version", "2008-04-28")]
        if let tokenExpiration { parameters.append(("TokenExpiration", String(tokenExpiration))) }
        let reply = try await licenseService(parameters)
        guard reply.status == 200, let token = xmlText("UserToken", in: reply.text),
              let id = xmlText("AWSAccessKeyId", in: reply.text), let secret = xmlText("SecretAccessKey", in: reply.text)
        else { throw FixtureError.unexpectedReply(reply.status, reply.text) }
        return (token, id, secret)
    }

    enum FixtureError: Error { case unexpectedReply(Int, String) }
}

func encode(_ text: String) -> String {
    let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
