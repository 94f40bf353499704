/// A test could not set up what it needs (a peer did not start, a tool failed): not a finding about the code
/// under test, and its message says which.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
