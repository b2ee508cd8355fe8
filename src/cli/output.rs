//! How the subcommands write: stderr with control characters escaped (through `say!`), stdout
//! that survives a closed pipe, JSON, the exit code by verdict, and the y/n question before a
//! change.

use std::io::Write;
use std::process::ExitCode;

/// Exit code for usage errors and unreadable input (no go.mod, parse error).
pub const EXIT_USAGE: u8 = 2;

/// `text` with every control character but newline and tab shown as an escape (`\x1b`,
/// `\u{9b}`): names from a hostile zip, go.mod or directory must not drive the terminal.
pub(crate) fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Writes a message to stderr with its control characters escaped (see `say!`).
pub(crate) fn write_stderr(text: &str, newline: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(escape_controls(text).as_bytes());
    if newline {
        let _ = err.write_all(b"\n");
    }
    let _ = err.flush();
}

/// Asks a yes/no question on the terminal (stderr, answer on stdin); `None` when stdin is not
/// a terminal, so the caller can ask for `--yes` instead.
pub(crate) fn confirm(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        return None;
    }
    say_partial!("{question}");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

/// Writes human-readable text to stdout with its control characters escaped.
pub(crate) fn write_stdout(text: &str) -> Result<(), ExitCode> {
    write_stdout_raw(&escape_controls(text))
}

/// Writes to stdout as is (text whose only escape sequences are our own colours); a closed
/// pipe (`modscope check | head`) is not an error.
pub(crate) fn write_stdout_raw(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            say!("modscope: cannot write to stdout: {e}");
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// Prints a subcommand's result, as JSON or as the text `human` renders of it, and exits 0
/// when `ok`, 1 when not (or with the code of a write that failed).
pub(crate) fn print_result<T: serde::Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&T) -> String,
    ok: bool,
) -> ExitCode {
    let written = if json {
        write_json(value)
    } else {
        write_stdout(&human(value))
    };
    match written {
        Err(code) => code,
        Ok(()) if ok => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(1),
    }
}

pub(crate) fn write_json(value: &impl serde::Serialize) -> Result<(), ExitCode> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| {
        say!("modscope: cannot encode JSON: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    text.push('\n');
    // serde_json already escapes every C0 control character in strings.
    write_stdout_raw(&text)
}
