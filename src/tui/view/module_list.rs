//! The module table. Only the rows in the window are built, so 10,000 modules cost what 30 do.

use super::theme::{Theme, dependency_word, ellipsize, human_size};
use crate::tui::app_state::{AppState, Focus, LIST_CHROME_WIDTH, LIST_COLUMN_WIDTHS};
use list_table::ListTable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let rows_shown = usize::from(area.height.saturating_sub(3));
    // Fixed columns and chrome; the path gets what its longest shown row needs; the version
    // what is left (8 to 34 columns).
    let (status_w, dep_w, zip_w) = LIST_COLUMN_WIDTHS;
    let free = usize::from(area.width)
        .saturating_sub(usize::from(status_w + dep_w + zip_w + LIST_CHROME_WIDTH));
    let window = &state.visible[state.list_offset.min(state.visible.len())
        ..(state.list_offset + rows_shown).min(state.visible.len())];
    let path_need = window
        .iter()
        .map(|&i| state.modules[i].path.chars().count())
        .max()
        .unwrap_or(24);
    let version_need = window
        .iter()
        .map(|&i| state.modules[i].version.chars().count())
        .max()
        .unwrap_or(8);
    let version_width = free
        .saturating_sub(path_need)
        .clamp(8, version_need.clamp(8, 34));
    let cells: Vec<[Span; 5]> = window
        .iter()
        .map(|&i| {
            let m = &state.modules[i];
            let look = theme.look(m);
            [
                Span::styled(format!("{} {}", look.glyph, look.short_word), look.style),
                Span::raw(m.path.as_str()),
                Span::raw(ellipsize(&m.version, version_width)),
                Span::styled(dependency_word(m), theme.dim()),
                Span::raw(m.zip_size.map(human_size).unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    let mut title = vec![Span::styled(
        format!(" Modules {}/{} ", state.visible.len(), state.modules.len()),
        theme.title(),
    )];
    if !state.filter_text.is_empty() || state.filter_editing {
        title.push(Span::styled(
            format!("filter: {} ", state.filter_text),
            theme.key(),
        ));
    }
    title.push(Span::styled(
        format!(
            "· {} · sort {} ",
            state.status_filter.label(),
            state.sort.label()
        ),
        theme.dim(),
    ));
    let table = ListTable {
        block: Block::bordered()
            .title(Line::from(title))
            .border_style(theme.border(state.focus == Focus::List)),
        header_style: theme.dim(),
        widths: [status_w, 0, version_width as u16, dep_w, zip_w],
        rows: cells,
        selected: (!state.visible.is_empty())
            .then(|| state.selected.saturating_sub(state.list_offset)),
        selected_style: theme.selected(),
    };
    table.render(area, frame.buffer_mut());
    if state.visible.is_empty() {
        let msg = if state.modules.is_empty() {
            if state.scanning {
                "  loading…"
            } else {
                "  this project requires no modules"
            }
        } else {
            "  no module matches the filter (Esc clears it, f cycles the status filter)"
        };
        let inner = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        frame.render_widget(Span::styled(msg, theme.dim()), inner);
    }
}

mod list_table;
