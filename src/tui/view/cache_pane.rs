//! The cache view: a summary line (the scan's progress, totals, what is marked), then module
//! paths largest first with their versions under the expanded ones: size on disk, number of
//! versions, who uses it (known projects; `this` is the project open here), what could go.

use super::theme::{Theme, ellipsize, human_size};
use crate::tui::app_state::AppState;
use crate::tui::cache_view::{CacheRow, CacheView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Size, versions, used by, reclaimable (each right-aligned, a space before).
const COLUMNS: [usize; 4] = [10, 5, 8, 11];

fn fixed_width() -> usize {
    2 + COLUMNS.iter().map(|w| w + 1).sum::<usize>()
}

/// `unused`, `this`, `this+2` (this project and two others), `3`.
fn used_by(users: usize, this: bool) -> String {
    match (users, this) {
        (0, _) => "unused".into(),
        (1, true) => "this".into(),
        (n, true) => format!("this+{}", n - 1),
        (n, false) => n.to_string(),
    }
}

fn dash_or_size(bytes: u64) -> String {
    if bytes == 0 {
        "—".into()
    } else {
        human_size(bytes)
    }
}

struct Cells {
    mark: &'static str,
    name: String,
    size: String,
    versions: String,
    users: String,
    reclaim: String,
    reclaim_style: Style,
}

fn row_cells(view: &CacheView, row: CacheRow, theme: Theme) -> Cells {
    let warn_if = |b: u64| if b > 0 { theme.warn() } else { theme.dim() };
    match (row, &view.found, &view.scanning) {
        (CacheRow::Path(p), Some(found), _) => {
            let path = &found.paths[p];
            let marked = path.versions.iter().any(|v| {
                view.marked
                    .contains(&(path.path.clone(), v.version.clone()))
            });
            let open = if view.expanded.contains(&path.path) {
                "▾ "
            } else {
                "▸ "
            };
            Cells {
                mark: if marked { "● " } else { "  " },
                name: format!("{open}{}", path.path),
                size: human_size(path.disk),
                versions: path.versions.len().to_string(),
                users: used_by(path.users, path.this_uses),
                reclaim: dash_or_size(path.reclaimable),
                reclaim_style: warn_if(path.reclaimable),
            }
        }
        (CacheRow::Version(p, v), Some(found), _) => {
            let path = &found.paths[p];
            let version = &path.versions[v];
            let marked = view
                .marked
                .contains(&(path.path.clone(), version.version.clone()));
            let reclaim = if version.unused() { version.disk } else { 0 };
            Cells {
                mark: if marked { "● " } else { "  " },
                name: format!("    {}", version.version),
                size: human_size(version.disk),
                versions: String::new(),
                users: used_by(version.users.len(), version.this_uses),
                reclaim: dash_or_size(reclaim),
                reclaim_style: warn_if(reclaim),
            }
        }
        (CacheRow::Partial(i), _, Some(scan)) => {
            let (path, bytes) = scan.sorted.get(i).cloned().unwrap_or_default();
            Cells {
                mark: "  ",
                name: format!("  {path}"),
                size: human_size(bytes),
                versions: "…".into(),
                users: "…".into(),
                reclaim: "…".into(),
                reclaim_style: theme.dim(),
            }
        }
        _ => Cells {
            mark: "  ",
            name: String::new(),
            size: String::new(),
            versions: String::new(),
            users: String::new(),
            reclaim: String::new(),
            reclaim_style: theme.dim(),
        },
    }
}

fn line_of(c: Cells, name_width: usize, theme: Theme) -> Line<'static> {
    let [s, v, u, r] = COLUMNS;
    Line::from(vec![
        Span::styled(c.mark, theme.key()),
        Span::raw(format!("{:<name_width$}", ellipsize(&c.name, name_width))),
        Span::raw(format!(" {:>s$} {:>v$} ", c.size, c.versions)),
        Span::styled(format!("{:>u$} ", c.users), theme.dim()),
        Span::styled(format!("{:>r$}", c.reclaim), c.reclaim_style),
    ])
}

/// Totals, or the scan's progress, and what is marked.
fn summary(view: &CacheView, theme: Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let (marked, marked_bytes) = view.marked_bytes();
    spans.push(Span::styled(
        format!("marked {marked} ({}) ", human_size(marked_bytes)),
        if marked > 0 { theme.key() } else { theme.dim() },
    ));
    if let Some(scan) = &view.scanning {
        let text = match &scan.reading_projects {
            Some(line) => format!("· ⟳ {line}"),
            None => format!(
                "· ⟳ scanning: {} parts, {} so far",
                scan.parts,
                human_size(scan.bytes)
            ),
        };
        spans.push(Span::styled(text, theme.warn()));
    } else if let Some(e) = &view.error {
        spans.push(Span::styled(format!("· {e} (r scans again)"), theme.bad()));
    }
    if let (Some(found), None) = (&view.found, &view.scanning) {
        let versions: usize = found.paths.iter().map(|p| p.versions.len()).sum();
        spans.push(Span::raw(format!(
            "· {} paths, {versions} versions, {} on disk · ",
            found.paths.len(),
            human_size(found.scan.inventory.total.disk)
        )));
        spans.push(Span::styled(
            format!("{} unused", human_size(found.reclaimable)),
            theme.warn(),
        ));
    }
    Line::from(spans)
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let view = &state.cache;
    let inner_width = usize::from(area.width.saturating_sub(2));
    let name_width = inner_width.saturating_sub(fixed_width()).max(8);
    let rows = usize::from(area.height.saturating_sub(4));
    let [s, v, u, r] = COLUMNS;
    let mut lines = vec![
        summary(view, theme),
        Line::styled(
            format!(
                "  {:<name_width$} {:>s$} {:>v$} {:>u$} {:>r$}",
                "module path / version", "size", "vers", "used by", "reclaimable"
            ),
            theme.title(),
        ),
    ];
    for (i, row) in view.rows.iter().enumerate().skip(view.offset).take(rows) {
        let line = line_of(row_cells(view, *row, theme), name_width, theme);
        lines.push(
            if i == view.cursor && state.focus != crate::tui::app_state::Focus::Tasks {
                line.style(theme.selected())
            } else {
                line
            },
        );
    }
    if view.rows.is_empty() {
        let text = if view.found.is_none() && view.scanning.is_some() {
            "  scanning the module cache…"
        } else if !view.filter.is_empty() {
            "  no module path matches the filter (Esc clears it)"
        } else if view.unused_only {
            "  every cached version is used by a known project (f shows all)"
        } else {
            "  the module cache holds no module"
        };
        lines.push(Line::styled(text, theme.dim()));
    }
    let mut title = vec![Span::styled(
        format!(" Module cache {} ", state.gomodcache.display()),
        theme.title(),
    )];
    if view.unused_only {
        title.push(Span::styled("unused only ", theme.key()));
    }
    if !view.filter.is_empty() || view.filter_editing {
        title.push(Span::styled(
            format!("filter: {} ", view.filter),
            theme.key(),
        ));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border(state.focus != crate::tui::app_state::Focus::Tasks));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
