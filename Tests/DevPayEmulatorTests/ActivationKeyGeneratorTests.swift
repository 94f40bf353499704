import DevPayEmulator
import Testing

@Suite("emulator activation keys")
struct ActivationKeyGeneratorTests {
    @Test("keys are 28 base32 characters and differ from each other")
    func shape() {
        var generator = ActivationKeyGenerator(generator: SystemRandomNumberGenerator())
        let keys = (0..<100).map { _ in generator.next() }
        for key in keys {
            #expect(key.count == 28)
            #expect(key.allSatisfy { ActivationKeyGenerator<SystemRandomNumberGenerator>.alphabet.contains($0) })
        }
        #expect(Set(keys).count == keys.count)
    }
}
