//! Every style in one place. With colour off (NO_COLOR) only modifiers remain, and statuses are
//! still told apart by glyph and word.

use gomodcache::analysis::report::{ModuleReport, Status};
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
            Status::Graph => self.dim(),
        }
    }

    /// How a module's status is drawn: a broken local replacement (its directory or go.mod is
    /// missing) must not look like a healthy one, though both have the status replaced-local.
    pub fn look(self, m: &ModuleReport) -> StatusLook {
        if m.status == Status::ReplacedLocal && m.is_unhealthy() {
            return self.broken_replacement();
        }
        StatusLook {
            glyph: m.status.glyph(),
            word: m.status.as_str(),
            short_word: short_word(m.status),
            style: self.status(m.status),
        }
    }

    /// A local replacement whose directory or go.mod is missing.
    pub fn broken_replacement(self) -> StatusLook {
        StatusLook {
            glyph: "↯",
            word: "replace-broken",
            short_word: "broken",
            style: self.bad(),
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

/// A module's status as drawn: glyph and word (never colour alone), and the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusLook {
    pub glyph: &'static str,
    /// The full word (header, detail pane).
    pub word: &'static str,
    /// Short enough for the list's status column.
    pub short_word: &'static str,
    pub style: Style,
}

/// The status word where space is short (the list's column, the header's counts).
pub fn short_word(status: Status) -> &'static str {
    match status {
        Status::ReplacedLocal => "replaced",
        other => other.as_str(),
    }
}

/// The dependency column: listed in go.mod directly, `// indirect`, or only in the graph.
pub fn dependency_word(m: &ModuleReport) -> &'static str {
    if m.graph_only {
        "graph"
    } else if m.indirect {
        "indirect"
    } else {
        "direct"
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
