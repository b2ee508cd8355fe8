//! A line-based unified diff like `diff -u`, for showing what `go mod tidy` changed (Myers'
//! algorithm, bounded).

/// Lines of context around each change, as `diff -u`.
const CONTEXT: usize = 3;
/// Myers' algorithm costs O((N+M)·D) time and O(D²) memory; past this many differing lines the
/// differing middle is shown as removed then added.
const MAX_EDITS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Equal,
    Delete,
    Insert,
}

/// A line-based unified diff like `diff -u` (empty when equal), with `\ No newline at end of
/// file` markers.
pub fn unified_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    if a == b {
        return String::new();
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let middle = myers(am, bm).unwrap_or_else(|| {
        let mut t = vec![Tag::Delete; am.len()];
        t.extend(vec![Tag::Insert; bm.len()]);
        t
    });
    // Each op with its line: (tag, old index, new index).
    let mut ops: Vec<(Tag, usize, usize)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    let tags = std::iter::repeat_n(Tag::Equal, prefix)
        .chain(middle)
        .chain(std::iter::repeat_n(Tag::Equal, suffix));
    for t in tags {
        ops.push((t, i, j));
        match t {
            Tag::Equal => (i, j) = (i + 1, j + 1),
            Tag::Delete => i += 1,
            Tag::Insert => j += 1,
        }
    }
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    let changes: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != Tag::Equal).collect();
    let mut c = 0;
    while c < changes.len() {
        let mut last = c;
        while last + 1 < changes.len() && changes[last + 1] - changes[last] - 1 <= 2 * CONTEXT {
            last += 1;
        }
        let start = changes[c].saturating_sub(CONTEXT);
        let end = (changes[last] + CONTEXT + 1).min(ops.len());
        let hunk = &ops[start..end];
        let old_n = hunk.iter().filter(|o| o.0 != Tag::Insert).count();
        let new_n = hunk.iter().filter(|o| o.0 != Tag::Delete).count();
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(hunk[0].1, old_n),
            range(hunk[0].2, new_n)
        ));
        for &(t, i, j) in hunk {
            let (mark, line) = match t {
                Tag::Equal => (' ', a[i]),
                Tag::Delete => ('-', a[i]),
                Tag::Insert => ('+', b[j]),
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        c = last + 1;
    }
    out
}

/// `diff -u`'s range: `start,count`, 1-based; a single line is just `start`; an empty range
/// names the line before it.
fn range(start0: usize, count: usize) -> String {
    match count {
        0 => format!("{start0},0"),
        1 => format!("{}", start0 + 1),
        n => format!("{},{n}", start0 + 1),
    }
}

/// Myers' O(ND) shortest edit script, deletions before insertions; `None` past [`MAX_EDITS`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Tag>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (n + m).min(MAX_EDITS as isize);
    let off = n + m + 1;
    let mut v = vec![0isize; 2 * off as usize + 1];
    // trace[d] = v[k] for k in -d-1..=d+1 before round d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (k + off) as usize;
    for d in 0..=max_d {
        trace.push(v[at(-d - 1)..=at(d + 1)].to_vec());
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)]
            } else {
                v[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                (x, y) = (x + 1, y + 1);
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, n, m));
            }
        }
    }
    None
}

fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Tag> {
    let mut tags = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, snap) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let get = |k: isize| snap[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            tags.push(Tag::Equal);
            (x, y) = (x - 1, y - 1);
        }
        if d > 0 {
            tags.push(if x == prev_x {
                Tag::Insert
            } else {
                Tag::Delete
            });
        }
        (x, y) = (prev_x, prev_y);
    }
    tags.reverse();
    tags
}
