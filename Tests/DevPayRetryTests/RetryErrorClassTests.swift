import DevPayRetry
import Testing

@Suite("retry error classes")
struct RetryErrorClassTests {
    @Test("the three classes are distinct")
    func distinct() {
        #expect(Set<RetryErrorClass>([.throttling, .transient, .permanent]).count == 3)
    }
}
