//! A cursor in a list taller than its window, and the first row shown: the cache view and the
//! proxy view keep both the same way.

/// The first row to show so that `cursor` is in a window of `window` rows over `len` rows,
/// moving `offset` as little as it can (and never past the last full window).
pub fn offset_showing(cursor: usize, offset: usize, len: usize, window: usize) -> usize {
    let rows = window.max(1);
    let offset = if cursor < offset {
        cursor
    } else if cursor >= offset + rows {
        cursor + 1 - rows
    } else {
        offset
    };
    offset.min(len.saturating_sub(rows))
}

/// `cursor` moved by `delta` rows, staying within `len` rows.
pub fn moved(cursor: usize, delta: isize, len: usize) -> usize {
    let last = len.saturating_sub(1) as isize;
    (cursor as isize)
        .saturating_add(delta)
        .clamp(0, last.max(0)) as usize
}

/// The row a click on line `line` of a view's body lands on (`offset` the first row shown,
/// `len` rows in all): line 0 is the summary between the column header and the first row.
pub fn clicked_row(line: usize, offset: usize, len: usize) -> Option<usize> {
    line.checked_sub(1)
        .map(|n| offset + n)
        .filter(|&row| row < len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_cursor_and_stops_at_the_last_full_page() {
        assert_eq!(offset_showing(0, 5, 100, 10), 0);
        assert_eq!(offset_showing(7, 0, 100, 10), 0);
        assert_eq!(offset_showing(10, 0, 100, 10), 1);
        assert_eq!(offset_showing(99, 0, 100, 10), 90);
        assert_eq!(offset_showing(3, 8, 5, 10), 0, "fewer rows than the window");
        assert_eq!(moved(0, -3, 5), 0);
        assert_eq!(moved(2, 10, 5), 4);
        assert_eq!(moved(0, 1, 0), 0, "an empty list");
        assert_eq!(clicked_row(0, 4, 10), None, "the summary line");
        assert_eq!(clicked_row(1, 4, 10), Some(4));
        assert_eq!(clicked_row(7, 4, 10), None, "below the last row");
    }
}
