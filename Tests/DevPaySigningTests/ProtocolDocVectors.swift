/// The credentials and tokens of the DevPay vectors in docs/protocol.md §3 and §6.
enum ProtocolDocVectors {
    static let secretAccessKey = "TEST" + String(repeating: "A", count: 36)
    static let accessKeyID = "TEST" + String(repeating: "A", count: 16)
    static let productToken = "{ProductToken}TESTPRODUCTTOKEN" + String(repeating: "A", count: 295) + "="
    static let userToken = "{UserToken}TESTUSERTOKEN" + String(repeating: "A", count: 385) + "=="
}
