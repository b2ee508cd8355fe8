//! The dependency tree: main module at the root, children at their selected versions, with
//! each module's status when the project requires it.

use super::theme::Theme;
use crate::tui::app_state::{AppState, TreeView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn render(state: &AppState, tree: &TreeView, frame: &mut Frame, area: Rect, theme: Theme) {
    let rows = usize::from(area.height.saturating_sub(2));
    let lines: Vec<Line> = tree
        .rows
        .iter()
        .enumerate()
        .skip(tree.offset)
        .take(rows)
        .map(|(i, r)| {
            let marker = if r.cycle {
                "↻ "
            } else if r.expanded {
                "▾ "
            } else if r.has_children {
                "▸ "
            } else {
                "  "
            };
            let mut spans = vec![
                Span::raw(format!("{}{marker}", "  ".repeat(r.depth))),
                Span::raw(r.node.path.clone()),
            ];
            if !r.node.is_main() {
                spans.push(Span::styled(format!(" {}", r.node.version), theme.dim()));
            }
            if let Some(m) = state.modules.iter().find(|m| m.path == r.node.path) {
                let look = theme.look(m);
                spans.push(Span::styled(
                    format!("  {} {}", look.glyph, look.word),
                    look.style,
                ));
            }
            let line = Line::from(spans);
            if i == tree.cursor {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    let mut title = vec![Span::styled(
        format!(" Dependency tree {} nodes ", tree.rows.len()),
        theme.title(),
    )];
    if !state.filter_text.is_empty() || state.filter_editing {
        title.push(Span::styled(
            format!("filter: {} ", state.filter_text),
            theme.key(),
        ));
    }
    let mut lines = lines;
    if tree.rows.is_empty() && !state.filter_text.is_empty() {
        lines.push(Line::styled(
            "  no module in the tree matches the filter (Esc clears it)",
            theme.dim(),
        ));
    }
    let block = Block::bordered()
        // Its keys are in the hint bar, from the key table.
        .title(Line::from(title))
        .border_style(theme.border(true));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
