//! Checks of what reached the terminal: byte searches in the raw output, the terminal given back
//! on exit, and a module row on the screen.

use super::app::PtyApp;

/// Where `haystack` contains `needle` (byte offset of the first occurrence).
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where `haystack` contains `needle` last.
pub fn rfind_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was given back: the alternate screen left after it was entered, mouse capture
/// disabled after it was enabled (the raw bytes), and the emulated terminal agrees.
pub fn assert_terminal_restored(app: &PtyApp) {
    let raw = app.raw();
    let enter = find_bytes(&raw, b"\x1b[?1049h").expect("the alternate screen was never entered");
    let leave = rfind_bytes(&raw, b"\x1b[?1049l").expect("the alternate screen was never left");
    assert!(
        leave > enter,
        "left the alternate screen before entering it"
    );
    let mouse_on = rfind_bytes(&raw, b"\x1b[?1000h").expect("mouse capture was never enabled");
    for off in [
        "\x1b[?1006l",
        "\x1b[?1015l",
        "\x1b[?1003l",
        "\x1b[?1002l",
        "\x1b[?1000l",
    ] {
        let at = rfind_bytes(&raw, off.as_bytes())
            .unwrap_or_else(|| panic!("mouse capture not disabled: {off:?} never written"));
        assert!(
            at > mouse_on,
            "{off:?} written before mouse capture was enabled"
        );
    }
    app.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        assert_eq!(
            s.mouse_protocol_encoding(),
            vt100::MouseProtocolEncoding::Default
        );
        assert!(!s.hide_cursor(), "the cursor is still hidden");
    });
    // Raw mode off again: canonical input and echo are back on the pty.
    let flags = app.local_flags();
    assert!(
        flags.contains("ICANON") && flags.contains("ECHO"),
        "the pty is still in raw mode: {flags}"
    );
}

/// A module row of the list on `screen`: `│  ✓ cached   example.com/alpha  v1.0.0 …`.
#[allow(dead_code)]
pub fn row_shows(screen: &str, path: &str, status: &str) -> bool {
    screen
        .lines()
        .any(|l| l.starts_with('│') && l.contains(&format!(" {path} ")) && l.contains(status))
}
