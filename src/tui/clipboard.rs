//! Copying to the clipboard with OSC 52: the terminal (not a local clipboard tool) takes the
//! text, so it works over SSH and in tmux (with `set-clipboard on`), and needs nothing on the
//! machine modscope runs on.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `ESC ] 52 ; c ; <base64 of text> BEL`: "set the clipboard to text".
pub fn osc52(text: &str) -> Vec<u8> {
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend_from_slice(STANDARD.encode(text).as_bytes());
    out.push(0x07);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_esc_bracket_52_c_base64_bel() {
        assert_eq!(osc52("hi"), b"\x1b]52;c;aGk=\x07");
        assert_eq!(
            osc52("go mod download example.com/a@v1.0.0"),
            b"\x1b]52;c;Z28gbW9kIGRvd25sb2FkIGV4YW1wbGUuY29tL2FAdjEuMC4w\x07"
        );
    }
}
