//! Everything known about the selected module: causes and fixes first, then every hash side by
//! side, the cache paths, the go.sum lines and the replacement.

use super::extent::{Extent, inner_rows};
use super::theme::Theme;
use super::wrap::wrap_lines;
use crate::tui::app_state::{AppState, Focus};
use gomodcache::analysis::problems::ProblemClass;
use gomodcache::analysis::report::ModuleReport;
use gomodcache::graph::why::WhyAnswer;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Where a fix command starts, and its wrapped rows too.
pub const FIX_INDENT: &str = "    ";

fn hash_row(
    label: &str,
    value: Option<&str>,
    reference: Option<&str>,
    theme: Theme,
) -> Line<'static> {
    let (mark, style) = match (value, reference) {
        (None, _) => ("—", theme.dim()),
        (Some(v), Some(r)) if v == r => ("✓", theme.good()),
        (Some(_), Some(_)) => ("✗", theme.bad()),
        (Some(_), None) => (" ", theme.dim()),
    };
    let mut spans = vec![
        Span::styled(format!("  {mark} "), style),
        Span::styled(format!("{label:<15}"), theme.dim()),
    ];
    match (value, reference) {
        (Some(v), Some(r)) if v != r => spans.extend(differing(v, r, theme)),
        (Some(v), _) => spans.push(Span::raw(v.to_string())),
        (None, _) => spans.push(Span::raw("(none)")),
    }
    Line::from(spans)
}

/// `value` in the style of a mismatch, the characters where it differs from `reference`
/// (position by position) reversed too: two 47-character hashes that differ in one place
/// show where at a glance.
fn differing(value: &str, reference: &str, theme: Theme) -> Vec<Span<'static>> {
    let mut reference = reference.chars();
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in value.chars() {
        let differs = reference.next() != Some(c);
        match runs.last_mut() {
            Some((d, text)) if *d == differs => text.push(c),
            _ => runs.push((differs, c.to_string())),
        }
    }
    runs.into_iter()
        .map(|(differs, text)| {
            let style = if differs {
                theme.bad().add_modifier(Modifier::REVERSED)
            } else {
                theme.bad()
            };
            Span::styled(text, style)
        })
        .collect()
}

fn lines_for(m: &ModuleReport, state: &AppState, theme: Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    out.push(Line::from(vec![
        Span::styled(format!("{} {}", m.path, m.version), theme.title()),
        Span::raw("  "),
        {
            let look = theme.look(m);
            Span::styled(format!("{} {}", look.glyph, look.word), look.style)
        },
    ]));
    let mut facts = vec![super::theme::dependency_word(m).to_string()];
    // The first few only: "Why it is here" below lists who requires it.
    match m.required_by.len() {
        0 => {}
        n @ 1..=3 => facts.push(format!("required by {}", m.required_by[..n].join(", "))),
        n => facts.push(format!(
            "required by {} and {} more",
            m.required_by[..2].join(", "),
            n - 2
        )),
    }
    out.push(Line::styled(facts.join(" · "), theme.dim()));
    if let Some(line) = cache_use_line(m, state) {
        out.push(Line::styled(line, theme.dim()));
    }
    if let Some(r) = &m.replace {
        let target = match (&r.version, &r.dir) {
            (Some(v), _) => format!("{} {v}", r.path),
            (None, Some(d)) => format!("{} ({d})", r.path),
            (None, None) => r.path.clone(),
        };
        let state_text = match (r.exists, r.has_go_mod) {
            (true, true) => "present, has go.mod",
            (true, false) => "present, NO go.mod",
            (false, _) => "MISSING",
        };
        out.push(Line::from(vec![
            Span::styled("replaced by ", theme.dim()),
            Span::raw(target),
            Span::styled(format!("  [{state_text}] {}", r.declared_in), theme.dim()),
        ]));
    }
    out.push(Line::raw(""));
    // What a graph-only module is comes first: for most of them it is all there is to say.
    if m.graph_only {
        out.push(Line::styled(graph_only_note(m), theme.dim()));
    }
    let anything_hashed = !m.graph_only || m.ziphash_h1.is_some() || m.computed.go_mod_h1.is_some();
    if m.problems.is_empty() && anything_hashed {
        out.push(Line::styled(
            "No problems: every hash agrees.",
            theme.good(),
        ));
    }
    for p in &m.problems {
        let style = if p.kind.class() == ProblemClass::Warning {
            theme.warn()
        } else {
            theme.bad()
        };
        out.push(Line::styled(format!("● {}", p.kind.as_str()), style));
        let root = format!("{}/", state.gomodcache.display());
        out.push(Line::raw(format!(
            "  {}",
            p.message.replace(&root, "$GOMODCACHE/")
        )));
        if let Some(fix) = &p.fix {
            // The command as a block of its own, indented under its label: wrapped at spaces,
            // every row of it starts in the same column (and y copies it whole).
            out.push(Line::from(vec![
                Span::styled("  fix", theme.key()),
                Span::styled(" (y copies it):", theme.dim()),
            ]));
            out.push(Line::raw(format!("{FIX_INDENT}{fix}")));
        }
    }
    for l in &m.provenance {
        let line = if l.go_mod { "/go.mod line" } else { "line" };
        out.push(Line::styled(
            format!("● checksum database: go.sum {line} {}", l.line),
            theme.key(),
        ));
        out.push(Line::raw(format!("  {}", l.reason)));
        if let Some(fix) = &l.fix {
            out.push(Line::styled("  fix:", theme.key()));
            out.push(Line::raw(format!("{FIX_INDENT}{fix}")));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Hashes", theme.title()));
    let reference = m.go_sum.h1.clone().or_else(|| m.ziphash_h1.clone());
    let r = reference.as_deref();
    for (label, value) in [
        ("go.sum", m.go_sum.h1.as_deref()),
        (".ziphash", m.ziphash_h1.as_deref()),
        ("zip (now)", m.computed.zip_h1.as_deref()),
        ("tree (now)", m.computed.dir_h1.as_deref()),
    ] {
        out.push(hash_row(label, value, r, theme));
    }
    let mod_ref = m.go_sum.go_mod_h1.as_deref();
    out.push(hash_row(
        "go.sum /go.mod",
        m.go_sum.go_mod_h1.as_deref(),
        mod_ref,
        theme,
    ));
    out.push(hash_row(
        ".mod (now)",
        m.computed.go_mod_h1.as_deref(),
        mod_ref,
        theme,
    ));
    if m.computed.zip_h1.is_none() && m.computed.dir_h1.is_none() && m.cache.zip.is_some() {
        out.push(Line::styled(
            "  (zip and tree not re-hashed yet: v verifies this module)",
            theme.dim(),
        ));
    }
    if let Some(why) = state.why.as_ref().filter(|w| w.path == m.path) {
        why_lines(why, theme, &mut out);
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Cache", theme.title()));
    let root = format!("{}/", state.gomodcache.display());
    for (label, path) in [
        ("zip", &m.cache.zip),
        (".ziphash", &m.cache.ziphash),
        ("tree", &m.cache.dir),
        (".mod", &m.cache.go_mod),
    ] {
        let shown = path
            .as_deref()
            .map(|p| p.replace(&root, "$GOMODCACHE/"))
            .unwrap_or_else(|| "(absent)".into());
        out.push(Line::from(vec![
            Span::styled(format!("  {label:<10}"), theme.dim()),
            Span::raw(shown),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("go.sum lines", theme.title()));
    let (key_path, key_version) = match &m.replace {
        Some(r) if r.version.is_some() => (r.path.clone(), r.version.clone().unwrap_or_default()),
        _ => (m.path.clone(), m.version.clone()),
    };
    match &m.go_sum.h1 {
        Some(h) => out.push(Line::raw(format!("  {key_path} {key_version} {h}"))),
        None => out.push(Line::styled(
            format!("  {key_path} {key_version} h1:…  (missing)"),
            theme.warn(),
        )),
    }
    match &m.go_sum.go_mod_h1 {
        Some(h) => out.push(Line::raw(format!("  {key_path} {key_version}/go.mod {h}"))),
        None => out.push(Line::styled(
            format!("  {key_path} {key_version}/go.mod h1:…  (missing)"),
            theme.warn(),
        )),
    }
    out
}

/// Requirers listed under the summary, at most; the rest are counted.
const REQUIRERS_SHOWN: usize = 8;

/// "Why it is here": one summary line, then who requires it (capped), then the shortest path.
fn why_lines(why: &WhyAnswer, theme: Theme, out: &mut Vec<Line<'static>>) {
    out.push(Line::raw(""));
    out.push(Line::styled("Why it is here", theme.title()));
    out.push(Line::raw(format!("  {}", why.headline())));
    for r in why.required_by.iter().take(REQUIRERS_SHOWN) {
        let mark = if Some(&r.version) == why.selected.as_ref() {
            "  ← selected"
        } else {
            ""
        };
        out.push(Line::from(vec![
            Span::styled("    required by ", theme.dim()),
            Span::raw(format!("{} ({}){mark}", r.by, r.version)),
        ]));
    }
    if why.required_by.len() > REQUIRERS_SHOWN {
        out.push(Line::styled(
            format!("    … and {} more", why.required_by.len() - REQUIRERS_SHOWN),
            theme.dim(),
        ));
    }
    if let Some(path) = why.paths.first() {
        let count = match why.path_count {
            0 | 1 => String::new(),
            n => format!(" (1 of {n} paths: modscope why lists them)"),
        };
        out.push(Line::from(vec![
            Span::styled("  shortest path ", theme.dim()),
            Span::raw(path.join(" → ")),
            Span::styled(count, theme.dim()),
        ]));
    }
}

/// Every line of the detail pane, wrapped to `width` columns.
pub fn lines(state: &AppState, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let lines = match state.selected_module() {
        Some(m) => lines_for(m, state, theme),
        None => vec![Line::styled(
            "Select a module to see its hashes, cache files and fixes.",
            theme.dim(),
        )],
    };
    wrap_lines(lines, usize::from(width))
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let lines = lines(state, theme, area.width.saturating_sub(2));
    let extent = Extent {
        total: lines.len(),
        rows: inner_rows(area),
    };
    let offset = usize::from(state.detail_scroll).min(extent.max_offset());
    let mut block = Block::bordered()
        .title(Span::styled(" Detail ", theme.title()))
        .border_style(theme.border(state.focus == Focus::Detail));
    if let Some(position) = extent.position(offset) {
        block =
            block.title_bottom(Line::styled(format!(" {position} "), theme.dim()).right_aligned());
    }
    let offset = u16::try_from(offset).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((offset, 0)), area);
}

/// What a graph-only module is, and what go needs of it.
fn graph_only_note(m: &ModuleReport) -> String {
    let what =
        "In the build list only through other modules' go.mod files (no go.mod require names it).";
    match &m.imported_package {
        Some(pkg) => format!(
            "{what} The build imports {pkg} from it (an unpruned, go ≤ 1.16 graph), so its source must be cached like a required module's."
        ),
        None if m.cache.dir.is_some() || m.cache.zip.is_some() => format!(
            "{what} No package of the build comes from it; its cached source is verified as `go mod verify` does."
        ),
        None => format!(
            "{what} No package of the build comes from it: go needs at most its go.mod, to load the graph. `d` downloads it anyway."
        ),
    }
}

/// What this module version costs on disk and which other known projects use it, from the last
/// scan of the cache view (`C`, which reads every project modscope has inspected); nothing
/// before one.
fn cache_use_line(m: &ModuleReport, state: &AppState) -> Option<String> {
    let found = state.cache.found.as_ref()?;
    let version = found
        .paths
        .iter()
        .find(|p| p.path == m.path)
        .and_then(|p| p.versions.iter().find(|v| v.version == m.version));
    let Some(v) = version else {
        return Some("not in the module cache (at the last scan, C)".into());
    };
    let others: Vec<String> = v
        .users
        .iter()
        .filter(|&&i| Some(i) != found.this_index)
        .filter_map(|&i| found.scan.usage.projects.get(i))
        .map(|p| {
            p.dir.file_name().map_or_else(
                || p.dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let used = match others.len() {
        0 => "no other known project uses it".to_string(),
        1..=3 => format!("also used by {}", others.join(", ")),
        n => format!(
            "also used by {}, {} and {} more",
            others[0],
            others[1],
            n - 2
        ),
    };
    Some(format!(
        "{} on disk · {used}",
        crate::tui::view::theme::human_size(v.disk)
    ))
}
