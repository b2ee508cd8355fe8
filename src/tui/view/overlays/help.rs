//! Help, generated from the key table: every binding under its group, then the mouse.

use crate::tui::keymap::bindings;
use crate::tui::view::theme::{Theme, short_word};
use crate::tui::view::wrap::wrap_lines;
use ratatui::text::{Line, Span};

/// The pop-up's width (less on a narrower screen).
pub const WIDTH: u16 = 80;

/// Every line of help, wrapped to `width` columns.
pub fn lines(theme: Theme, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut group = "";
    for b in bindings() {
        if b.group != group {
            if !group.is_empty() {
                lines.push(Line::raw(""));
            }
            group = b.group;
            lines.push(Line::styled(group, theme.title()));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<10}", b.label), theme.key()),
            Span::raw(b.description),
        ]));
    }
    lines.push(Line::raw(""));
    lines.extend(legend(theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: a click selects a row, the wheel scrolls.",
        theme.dim(),
    ));
    // Wrapped under the description, not under the key.
    lines
        .into_iter()
        .flat_map(|l| {
            if l.width() <= usize::from(width) || l.spans.len() < 2 {
                wrap_lines(vec![l], usize::from(width))
            } else {
                wrap_binding(l, usize::from(width))
            }
        })
        .collect()
}

/// What the list's glyphs, words and columns mean.
fn legend(theme: Theme) -> Vec<Line<'static>> {
    use crate::tui::view::theme::StatusLook;
    use gomodcache::analysis::report::Status;
    // Drawn as the list draws them: the same glyph, short word and style.
    let row = |look: StatusLook, meaning: &str| {
        Line::from(vec![
            Span::styled(
                format!("  {} {:<9}", look.glyph, look.short_word),
                look.style,
            ),
            Span::raw(meaning.to_string()),
        ])
    };
    let status = |s: Status, meaning: &str| {
        row(
            StatusLook {
                glyph: s.glyph(),
                word: s.as_str(),
                short_word: short_word(s),
                style: theme.status(s),
            },
            meaning,
        )
    };
    vec![
        Line::styled(
            "Statuses (glyph and word, never colour alone)",
            theme.title(),
        ),
        status(
            Status::Mismatch,
            "a recorded hash disagrees: the cache changed, or go.sum did",
        ),
        status(
            Status::Missing,
            "go would have to download something it needs",
        ),
        status(Status::ReplacedLocal, "replaced by a local directory"),
        row(
            theme.broken_replacement(),
            "a local replacement whose directory or go.mod is missing",
        ),
        status(
            Status::Cached,
            "what go needs is in the cache, and verifies",
        ),
        status(
            Status::Graph,
            "only in the module graph, through other modules' go.mod files; go needs nothing more of it",
        ),
        Line::raw(""),
        Line::styled("Columns", theme.title()),
        Line::from(vec![
            Span::styled("  dep        ", theme.key()),
            Span::raw(
                "direct, indirect (// indirect in go.mod) or graph (no go.mod require names it)",
            ),
        ]),
        Line::from(vec![
            Span::styled("  zip        ", theme.key()),
            Span::raw("the cached zip's size; — when there is none"),
        ]),
    ]
}

/// A `key  description` line too long for `width`, continued under the description.
fn wrap_binding(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let mut spans = line.spans.into_iter();
    let key = spans.next().unwrap_or_default();
    let indent = key.width();
    let rest: Vec<Span<'static>> = std::iter::once(Span::raw(" ".repeat(indent)))
        .chain(spans)
        .collect();
    let mut wrapped = wrap_lines(vec![Line::from(rest)], width);
    if let Some(first) = wrapped.first_mut() {
        let text: String = first.to_string().chars().skip(indent).collect();
        *first = Line::from(vec![key, Span::raw(text)]);
    }
    wrapped
}
