/// Measures how fast a client actually sends, as an exponentially smoothed rate over half-second buckets.
///
/// The adaptive limiter never lets its allowed rate exceed twice this measurement, so the rate cannot run away
/// while the client is idle or slow.
struct SendRateMeter: Sendable, Hashable {
    let smoothing: Double
    let bucketLength: Double
    private(set) var measuredRate: Double = 0
    private var currentBucketStart: Double
    private var countInBucket: Double = 0

    init(smoothing: Double, bucketLength: Double, startTime: Double) {
        self.smoothing = smoothing
        self.bucketLength = bucketLength
        currentBucketStart = (startTime / bucketLength).rounded(.down) * bucketLength
    }

    /// Counts one response at `time` and returns the measured rate.
    mutating func record(at time: Double) -> Double {
        let bucketStart = (time / bucketLength).rounded(.down) * bucketLength
        countInBucket += 1
        if bucketStart > currentBucketStart {
            let rate = countInBucket / (bucketStart - currentBucketStart)
            measuredRate = rate * smoothing + measuredRate * (1 - smoothing)
            countInBucket = 0
            currentBucketStart = bucketStart
        }
        return measuredRate
    }
}
