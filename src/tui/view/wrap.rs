//! Word wrapping done before drawing, not by `Paragraph`: the number of lines is then known,
//! so scrolling stops at the last one and the position can be shown; and a wrapped line keeps
//! its indentation, so a fix command or a path stays one indented block instead of running
//! back to the border.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// `lines` wrapped to `width` columns at spaces; a word longer than a line is cut where the
/// line ends. Continuation lines are indented like the first (when that leaves room).
pub fn wrap_lines(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width || width == 0 {
            out.push(line);
            continue;
        }
        wrap_line(line, width, &mut out);
    }
    out
}

fn wrap_line(line: Line<'static>, width: usize, out: &mut Vec<Line<'static>>) {
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let indent = cells.iter().take_while(|(c, _)| *c == ' ').count();
    let indent = if indent * 2 < width { indent } else { 0 };
    // Words: a run of non-spaces with the spaces after it.
    let mut words: Vec<&[(char, Style)]> = Vec::new();
    let mut start = indent;
    for i in indent..cells.len() {
        let ends_word = cells[i].0 == ' ' && cells.get(i + 1).is_some_and(|(c, _)| *c != ' ');
        if ends_word {
            words.push(&cells[start..=i]);
            start = i + 1;
        }
    }
    if start < cells.len() {
        words.push(&cells[start..]);
    }
    let mut row: Vec<(char, Style)> = cells[..indent].to_vec();
    let mut row_width = indent;
    let flush = |row: &mut Vec<(char, Style)>, out: &mut Vec<Line<'static>>| {
        while row.last().is_some_and(|(c, _)| *c == ' ') && row.len() > indent {
            row.pop();
        }
        out.push(styled_line(row, line.style));
        row.clear();
        row.extend(std::iter::repeat_n((' ', Style::new()), indent));
    };
    for word in words {
        let text_width: usize = word
            .iter()
            .filter(|(c, _)| *c != ' ')
            .map(|(c, _)| char_width(*c))
            .sum();
        if row_width + text_width > width && row.len() > indent {
            flush(&mut row, out);
            row_width = indent;
        }
        for &(c, style) in word {
            let w = char_width(c);
            if row_width + w > width {
                if c == ' ' {
                    continue;
                }
                flush(&mut row, out);
                row_width = indent;
            }
            row.push((c, style));
            row_width += w;
        }
    }
    if row.len() > indent {
        flush(&mut row, out);
    }
}

/// One line from styled characters, consecutive ones of the same style in one span.
fn styled_line(cells: &[(char, Style)], style: Style) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut current: Option<Style> = None;
    for &(c, s) in cells {
        if current.is_some_and(|cur| cur != s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                current.unwrap_or_default(),
            ));
        }
        current = Some(s);
        text.push(c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, current.unwrap_or_default()));
    }
    Line::from(spans).style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wraps_at_spaces_keeping_the_indent_and_cuts_only_what_has_no_space() {
        let line = Line::from(vec![
            Span::raw("  fix: "),
            Span::styled("rm -rf /a/long/path/to/somewhere", Style::new().bold()),
        ]);
        let wrapped = wrap_lines(vec![line], 20);
        assert_eq!(
            texts(&wrapped),
            ["  fix: rm -rf", "  /a/long/path/to/so", "  mewhere"]
        );
        assert!(wrapped.iter().all(|l| l.width() <= 20));
        // The style of each character is kept across the cut.
        assert_eq!(wrapped[0].spans[1].style, Style::new().bold());
        // Short lines are untouched.
        assert_eq!(texts(&wrap_lines(vec![Line::raw("short")], 20)), ["short"]);
    }
}
