use super::*;
use ratatui::style::{Color, Modifier};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};

fn rows(n: usize) -> Vec<[Span<'static>; 5]> {
    let status = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
    (0..n)
        .map(|i| {
            [
                Span::styled(
                    if i % 2 == 0 {
                        "✓ cached"
                    } else {
                        "✗ mismatch"
                    },
                    status,
                ),
                Span::raw(format!("github.com/org{i}/a-rather-long-module-path-{i}")),
                Span::raw(format!("v1.{i}.0-20240101000000-abcdef123456")),
                Span::styled("ind", Style::default().fg(Color::DarkGray)),
                Span::raw(if i % 3 == 0 {
                    "—".to_string()
                } else {
                    format!("{i}.5 KiB")
                }),
            ]
        })
        .collect()
}

/// What ratatui's `Table` draws for the same list: the view's previous code.
fn oracle(t: &ListTable<'_>, area: Rect, buf: &mut Buffer) {
    let [a, b, c, d, e] = t.widths;
    let table = Table::new(
        t.rows
            .iter()
            .map(|cells| Row::new(cells.iter().cloned().map(Cell::from).collect::<Vec<_>>())),
        [
            Constraint::Length(a),
            Constraint::Fill(1),
            Constraint::Length(c),
            Constraint::Length(d),
            Constraint::Length(e),
        ],
    )
    .header(Row::new(HEADER).style(t.header_style))
    .block(t.block.clone())
    .row_highlight_style(t.selected_style)
    .highlight_symbol(SELECTION_SYMBOL);
    let _ = b;
    let mut state = TableState::default();
    state.select(t.selected);
    ratatui::widgets::StatefulWidget::render(table, area, buf, &mut state);
}

fn list(n: usize, selected: Option<usize>, version_width: u16) -> ListTable<'static> {
    ListTable {
        block: Block::bordered().title(Line::from(" Modules 3/3 ")),
        header_style: Style::default().fg(Color::DarkGray),
        widths: [10, 0, version_width, 3, 9],
        rows: rows(n),
        selected,
        selected_style: Style::default().bg(Color::Blue),
    }
}

#[test]
fn it_draws_what_ratatuis_table_draws() {
    let mut checked = 0;
    // Every narrow width (where columns give way), then a sample of wide ones.
    for width in (0..=48).chain((49..=200).step_by(7)) {
        for height in [0, 1, 2, 3, 4, 7, 12] {
            for (n, selected) in [
                (0, None),
                (3, None),
                (3, Some(0)),
                (3, Some(2)),
                (20, Some(7)),
                (5, Some(9)),
            ] {
                for version_width in [8, 21, 34] {
                    let area = Rect::new(1, 1, width, height);
                    let whole = Rect::new(0, 0, width + 2, height + 2);
                    let (mut ours, mut theirs) = (Buffer::empty(whole), Buffer::empty(whole));
                    // The view passes only the rows that fit.
                    let fit = usize::from(height.saturating_sub(3));
                    let mut t = list(n.min(fit), selected, version_width);
                    if t.rows.is_empty() {
                        t.selected = None;
                    }
                    oracle(&t, area, &mut theirs);
                    t.render(area, &mut ours);
                    assert_eq!(
                        ours, theirs,
                        "{width}x{height}, {n} rows, {selected:?}, {version_width}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000);
}
