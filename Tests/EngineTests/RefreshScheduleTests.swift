import Engine
import Foundation
import Testing

@Suite("Refresh schedule")
struct RefreshScheduleTests {
    let schedule = RefreshSchedule(jitter: 0)
    let hour: TimeInterval = 3600

    func dates(everyHours hours: Double, count: Int) -> [Date] {
        (0..<count).map { Date(timeIntervalSince1970: 1_700_000_000 - Double($0) * hours * 3600) }
    }

    @Test func userIntervalWins() {
        let interval = schedule.intervalAfterSuccess(
            userInterval: 2 * hour, ttlMinutes: 600, freshFor: nil, entryDates: dates(everyHours: 1, count: 10),
            random: 0.5)
        #expect(interval == 2 * hour)
        #expect(
            schedule.intervalAfterSuccess(userInterval: 10, ttlMinutes: nil, freshFor: nil, entryDates: [], random: 0.5)
                == schedule.minInterval)
    }

    @Test func busyFeedIsCheckedOftenQuietFeedRarely() {
        let busy = schedule.intervalAfterSuccess(
            userInterval: nil, ttlMinutes: nil, freshFor: nil, entryDates: dates(everyHours: 0.5, count: 20),
            random: 0.5)
        #expect(busy == 15 * 60)
        let quiet = schedule.intervalAfterSuccess(
            userInterval: nil, ttlMinutes: nil, freshFor: nil, entryDates: dates(everyHours: 24 * 7, count: 10),
            random: 0.5)
        #expect(quiet == schedule.maxInterval)
        let unknown = schedule.intervalAfterSuccess(
            userInterval: nil, ttlMinutes: nil, freshFor: nil, entryDates: [], random: 0.5)
        #expect(unknown == schedule.defaultInterval)
    }

    @Test func ttlAndCacheLifetimeAreFloors() {
        let entries = dates(everyHours: 0.5, count: 20)
        #expect(
            schedule.intervalAfterSuccess(
                userInterval: nil, ttlMinutes: 120, freshFor: nil, entryDates: entries, random: 0.5)
                == 2 * hour)
        #expect(
            schedule.intervalAfterSuccess(
                userInterval: nil, ttlMinutes: nil, freshFor: 3 * hour, entryDates: entries, random: 0.5)
                == 3 * hour)
        #expect(
            schedule.intervalAfterSuccess(
                userInterval: nil, ttlMinutes: nil, freshFor: 90 * 86400, entryDates: entries, random: 0.5)
                == schedule.maxInterval)
    }

    @Test func jitterSpreadsWithinBounds() {
        let jittered = RefreshSchedule(jitter: 0.1)
        let low = jittered.intervalAfterSuccess(
            userInterval: nil, ttlMinutes: nil, freshFor: nil, entryDates: [], random: 0)
        let high = jittered.intervalAfterSuccess(
            userInterval: nil, ttlMinutes: nil, freshFor: nil, entryDates: [], random: 0.999)
        #expect(low < hour && low >= 0.9 * hour)
        #expect(high > hour && high <= 1.1 * hour)
    }

    @Test func backoffDoublesUpToTheCeilingAndNeverStops() {
        let delays = (1...12).map { schedule.delayAfterFailure(failures: $0, retryAfter: nil, random: 1) }
        #expect(delays[0] == schedule.backoffBase)
        #expect(delays[1] == 2 * schedule.backoffBase)
        #expect(delays[2] == 4 * schedule.backoffBase)
        #expect(delays.last == schedule.backoffCeiling)
        #expect(delays == delays.sorted())
        let huge = schedule.delayAfterFailure(failures: 10_000, retryAfter: nil, random: 0)
        #expect(huge == schedule.backoffCeiling / 2)
    }

    @Test func retryAfterIsHonouredWhenLongerAndBounded() {
        #expect(schedule.delayAfterFailure(failures: 1, retryAfter: 7200, random: 0.5) == 7200)
        #expect(schedule.delayAfterFailure(failures: 1, retryAfter: 1, random: 1) == schedule.backoffBase)
        #expect(schedule.delayAfterFailure(failures: 1, retryAfter: 1e9, random: 1) == schedule.maxRetryAfter)
    }
}
