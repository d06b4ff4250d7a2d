import ArgumentParser
import Engine
import Foundation
import Logging
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// `tidings sync`: fetch every due feed, store and publish.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch every due feed (--all: every feed), store new and changed entries, write their content files.",
        discussion: """
            Per-feed problems (network, HTTP, not a feed) are reported and stored with the feed; \
            the exit status is non-zero only when the run itself failed (store, output folder). \
            Ctrl-C or SIGTERM starts no more feeds, lets those in flight finish and prints the \
            summary; a second Ctrl-C stops at once. Interrupting a run in any way loses nothing: \
            the next run finishes what it left.
            """
    )

    @OptionGroup var configFlags: ConfigFlags

    @Flag(help: "Refresh every enabled feed, due or not.")
    var all = false

    @Flag(name: .shortAndLong, help: "No progress line and no per-feed lines; only the summary and errors.")
    var quiet = false

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .error

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tidings.sync")
        var configuration = try configFlags.load()
        // The run reads its feeds from the store: the configured list is handed to it
        // once, not kept beside the store's records for the whole run (10,000 feeds
        // are megabytes).
        let subscriptions = configuration.feeds
        configuration.feeds = []
        let installation: Installation
        do {
            installation = try Installation(configuration: configuration, flags: configFlags)
        } catch {
            printError("tidings: error: \(error)")
            throw ExitCode(1)
        }
        defer { Task { try? await installation.fetcher.shutdown() } }

        let summary: SyncSummary
        var nextDue: Date?
        var stoppedBy: Int32?
        do {
            // The run reads its feeds' records a page at a time: only ids are kept here.
            let synchronization = try await installation.store.synchronizeReturningIDs(
                subscriptions: consume subscriptions)
            if !quiet { Self.printContinued(synchronization.continued) }
            let configured = synchronization.ids
            let eligible = Set(try await installation.store.feedIDs(dueAt: all ? nil : Date()))
            let due = configured.filter(eligible.contains)
            if !all && due.isEmpty { nextDue = try await installation.store.earliestNextCheck() }
            // Reading the config (Yams builds a node tree of the whole file) and the feed
            // list leaves megabytes free: give them back before the run.
            trimAllocator()
            let showProgress = !quiet && isatty(STDERR_FILENO) == 1
            let run = SyncRun(refresher: installation.refresher, concurrency: configuration.fetch.concurrency)
            // Ctrl-C or SIGTERM: start no more feeds, finish those in flight, and say
            // what was done; a second one ends the process at once.
            let interruption = Interruption { signal in
                let clear = showProgress ? "\r\u{1B}[K" : ""
                let again = signal == SIGINT ? "Ctrl-C again" : "a second SIGTERM"
                FileHandle.standardError.write(
                    Data("\(clear)tidings: interrupted: finishing the feeds in flight (\(again) stops at once)\n".utf8))
            }
            summary = await run.run(
                feedIDs: due, recovering: Set(configured), logger: logger,
                notable: { report in
                    // Printed as each feed finishes: a run keeps no reports.
                    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    Self.printNotable(report, quiet: quiet)
                },
                progress: { progress in
                    if showProgress { Self.show(progress) }
                },
                stopRequested: { interruption.requested })
            interruption.end()
            stoppedBy = interruption.receivedSignal
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        } catch {
            printError("tidings: error: \(error)")
            try? await installation.fetcher.shutdown()
            try? await installation.store.close()
            throw ExitCode(1)
        }
        try? await installation.fetcher.shutdown()
        do {
            try await installation.store.close()
        } catch {
            // Nothing is lost: the next process reads the log back.
            printError("tidings: warning: \(error)")
        }

        for error in summary.runErrors {
            printError("tidings: error: \(error.redactingURLPasswords)")
        }
        if summary.moreRunErrors > 0 {
            printError("tidings: error: and \(summary.moreRunErrors) more errors of the run itself")
        }
        print(Self.describe(summary))
        if summary.progress.total == 0, let next = nextDue {
            print("no feed is due; the next one is due at \(next.formatted(.iso8601)) (--all refreshes every feed)")
        }
        // A run a signal stopped ends by that signal, once it has said what it did.
        if let stoppedBy { Interruption.end(by: stoppedBy) }
        if summary.failed { throw ExitCode(1) }
    }

    /// A failed or gone feed's line (always), or a line on the problems a feed's
    /// document recovered from (unless `quiet`).
    static func printNotable(_ report: FeedRefreshReport, quiet: Bool) {
        // A private feed's password stays out of the run's output (cron mails, logs).
        let url = report.feedURL.redactingURLPasswords
        if report.status == .failed || report.status == .gone {
            let message = report.error.map { feedError($0, of: url) } ?? report.status.rawValue
            printError("tidings: warning: \(url): \(message)")
        } else if !quiet, let first = report.warnings.first {
            let more = report.warnings.count > 1 ? " (and \(report.warnings.count - 1) more)" : ""
            printError("tidings: warning: \(url): recovered: \(first)\(more)")
        }
    }

    /// Says which configured URLs continue stored feeds: the first 20, then how many
    /// more (a config whose every URL moved to https would otherwise flood the terminal).
    static func printContinued(_ continued: [FeedContinuation]) {
        for continuation in continued.prefix(20) { printError("tidings: note: \(describe(continuation))") }
        if continued.count > 20 {
            printError("tidings: note: and \(continued.count - 20) more configured URLs continue stored feeds")
        }
    }

    /// What a sync says when a configured URL continues a stored feed.
    static func describe(_ continuation: FeedContinuation) -> String {
        let reason =
            switch continuation.reason {
            case .sameRequest: "another spelling of the same URL"
            case .otherScheme:
                "the same address over \(continuation.url.lowercased().hasPrefix("https:") ? "https" : "http")"
            case .sameName: "the same name"
            }
        return "\(continuation.url.redactingURLPasswords) continues the stored feed "
            + "\(continuation.previousURL.redactingURLPasswords) (\(reason)): its entries and published files carry over"
    }

    static func show(_ progress: SyncProgress) {
        let line =
            "\r\u{1B}[K[\(progress.done)/\(progress.total)] \(progress.inserted) new, \(progress.changed) changed, "
            + "\(progress.filesWritten) files, \(progress.failed) failed"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func describe(_ summary: SyncSummary) -> String {
        let progress = summary.progress
        var line =
            "synced \(counted(progress.done, "feed")): \(counted(progress.inserted, "new entry", "new entries")), "
            + "\(progress.changed) changed, \(counted(progress.filesWritten, "file")) written; "
            + "\(progress.updated) updated, \(progress.notModified) not modified, "
            + "\(progress.failed) failed, \(progress.gone) gone"
        if summary.recovered > 0 { line += "; \(counted(summary.recovered, "file")) from an interrupted run" }
        return line
    }

    /// `count` and the noun in the number it takes: "1 feed", "0 feeds", "2 feeds".
    static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
