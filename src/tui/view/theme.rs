//! Every style in one place. With colour off (NO_COLOR) only modifiers remain, and statuses are
//! still told apart by glyph and word.

use crate::core::analysis::report::Status;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    pub fn status(self, s: Status) -> Style {
        match s {
            Status::Cached => self.fg(Color::Green),
            Status::Missing => self.fg(Color::Yellow),
            Status::Mismatch => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::ReplacedLocal => self.fg(Color::Cyan),
        }
    }
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Rgb(40, 60, 90))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.dim()
        }
    }
    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn diff_added(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn diff_removed(self) -> Style {
        self.fg(Color::Red)
    }
    pub fn diff_hunk(self) -> Style {
        self.fg(Color::Cyan)
    }
}

/// The glyph shown with each status (never colour alone).
pub fn status_glyph(status: Status) -> &'static str {
    match status {
        Status::Cached => "✓",
        Status::Missing => "○",
        Status::Mismatch => "✗",
        Status::ReplacedLocal => "↪",
    }
}

/// Shortens `s` to `max` characters with an ellipsis in the middle (versions and paths keep
/// both ends, which is where they differ).
pub fn ellipsize(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 3 {
        return s.chars().take(max).collect();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

pub fn human_duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1}s")
    } else {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}
