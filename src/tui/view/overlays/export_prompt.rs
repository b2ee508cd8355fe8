//! The directory the offline bundle goes to, edited in place.

use crate::tui::view::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn export_prompt(path: &str, frame: &mut Frame, area: Rect, theme: Theme) {
    let width = 90.min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(7));
    frame.render_widget(Clear, popup);
    // The end of a long path is what the user is typing: keep it in view.
    let room = usize::from(width.saturating_sub(5)).max(2);
    let chars: Vec<char> = path.chars().collect();
    let shown: String = if chars.len() > room {
        std::iter::once('…')
            .chain(chars[chars.len() + 1 - room..].iter().copied())
            .collect()
    } else {
        path.to_string()
    };
    let lines = vec![
        Line::styled(
            "Write a file:// GOPROXY of exactly what the build needs to this new or empty directory:",
            theme.dim(),
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled(shown, theme.title()),
            Span::styled("▏", theme.key()),
        ]),
        Line::raw(""),
        Line::styled(
            "~/ is your home; a relative path starts at the project directory",
            theme.dim(),
        ),
    ];
    let block = Block::bordered()
        .title(Span::styled(" Export offline bundle ", theme.title()))
        // Its keys are in the hint bar, from the key table.
        .border_style(theme.key());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        popup,
    );
}
