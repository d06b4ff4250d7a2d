/// Meeting a script's romanization ahead of the slugs that need it.
///
/// The first character of a script that ICU romanizes makes the transliterator load
/// that script's rules: Han-Latin's take about 120 ms of one core. Two threads that
/// meet Chinese titles at once each load them into their own instance, and a thread
/// made to wait for the other instead would sit idle. Code that can suspend asks
/// ``needsFirstRomanization(_:)`` and, when it is true, calls
/// ``romanizeAhead(_:)`` one task at a time: a second task needing the same rules then
/// waits suspended, its thread free for other work, and finds them loaded (ICU keeps
/// parsed rules for the whole process). Slugs are the same either way; only the time
/// differs.
extension Slug {
    /// Whether slugging `title` would take ICU to a character whose script no slug of
    /// this process has met yet (so its rules may still have to be loaded). False for
    /// titles of ASCII, Latin letters, punctuation and emoji, which never reach ICU.
    public static func needsFirstRomanization(_ title: String) -> Bool {
        let text = sluggedPart(of: title)
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return ASCIITransliterator.shared.hasUnmet(text.unicodeScalars.lazy.filter(reachesICU))
    }

    /// Slugs `title` now, so that its characters' romanizations are loaded and
    /// remembered, and records its scripts as met.
    public static func romanizeAhead(_ title: String) {
        let text = sluggedPart(of: title)
        _ = asciiTransliteration(text)
        ASCIITransliterator.shared.recordMet(text.unicodeScalars.lazy.filter(reachesICU))
    }

    /// Whether `scalar` may be romanized by ICU: anything but ASCII, the Latin letters
    /// and punctuation of the table, emoji, and the ideographs of ``HanReadings``.
    static func reachesICU(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value >= 0x80 && !isLatinOrPunctuation(scalar) && !isPictograph(value) && !extendsEmoji(value)
            && !HanReadings.covers(value)
    }
}
