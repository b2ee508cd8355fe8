use super::*;

fn entry(module: &str) -> Entry {
    Entry {
        module: module.into(),
        fingerprint: "ab".repeat(32),
        zip_fingerprint: "cd".repeat(32),
        info: true,
        go_mod: true,
        zip: false,
        partial: true,
        dir: false,
        ziphash: Ziphash::Invalid("h1:\tgarbled\n%ü\u{7f}".into()),
        zip_size: Some(1234),
        stray_tmp: vec![
            OsString::from("v1.0.0.zip123.tmp"),
            OsString::from_vec(b"odd\t\xff%.tmp".to_vec()),
        ],
        go_mod_h1: Some("h1:abc=".into()),
    }
}

#[test]
fn a_line_reads_back_as_written_whatever_its_text_holds() {
    let mut e = entry("example.com/a@v1.0.0");
    for ziphash in [
        Ziphash::Absent,
        Ziphash::Valid("h1:x=".into()),
        e.ziphash.clone(),
    ] {
        e.ziphash = ziphash;
        for (size, h1) in [(None, None), (Some(0), Some("h1:y=".to_string()))] {
            e.zip_size = size;
            e.go_mod_h1 = h1;
            let mut out = Vec::new();
            e.write_line(&mut out);
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
            assert!(out.is_ascii());
            assert_eq!(Entry::parse(&out[..out.len() - 1]), Some(e.clone()));
            let found = Entry::parse_found(&out[..out.len() - 1]).unwrap();
            assert!(
                found.module.is_empty()
                    && found.fingerprint.is_empty()
                    && found.zip_fingerprint.is_empty()
            );
            assert_eq!(
                fingerprint_fields(&out),
                (e.fingerprint.as_bytes(), e.zip_fingerprint.as_bytes())
            );
            assert_eq!(
                Entry {
                    module: e.module.clone(),
                    fingerprint: e.fingerprint.clone(),
                    zip_fingerprint: e.zip_fingerprint.clone(),
                    ..found
                },
                e
            );
        }
    }
    e.stray_tmp.clear();
    let mut out = Vec::new();
    e.write_line(&mut out);
    assert_eq!(Entry::parse(&out[..out.len() - 1]), Some(e));
}

#[test]
fn garbled_lines_are_refused() {
    let mut good = Vec::new();
    entry("example.com/a@v1.0.0").write_line(&mut good);
    let good = String::from_utf8(good).unwrap();
    let good = good.trim_end();
    assert!(Entry::parse(good.as_bytes()).is_some());
    for bad in [
        good.replacen("\t11010\t", "\t1101\t", 1),
        good.replacen("\t11010\t", "\t11012\t", 1),
        good.replacen("\t1234\t", "\tmany\t", 1),
        good.replacen("\ti:", "\tx:", 1),
        good.replacen("%09", "%0", 1),
        good.replacen("%09", "%zz", 1),
        good.replacen("%09", "%+9", 1),
        good.replacen("\t1234\t", "\t+1234\t", 1),
        good.replacen("v1.0.0.zip123.tmp", "../evil", 1),
        good.replacen("v1.0.0.zip123.tmp", "a/b", 1),
        good.split('\t').take(6).collect::<Vec<_>>().join("\t"),
        String::new(),
    ] {
        assert_eq!(Entry::parse(bad.as_bytes()), None, "{bad:?}");
    }
}

#[test]
fn lines_are_found_by_module_and_must_be_sorted() {
    let mut data = b"header\n".to_vec();
    for m in ["a.com/x@v1.0.0", "a.com/x@v1.1.0", "b.org/y@v0.1.0"] {
        entry(m).write_line(&mut data);
    }
    let memo = MemoLines::index(data.clone(), 7).unwrap();
    assert_eq!(memo.len(), 3);
    for m in ["a.com/x@v1.0.0", "a.com/x@v1.1.0", "b.org/y@v0.1.0"] {
        let line = memo.find(m).unwrap();
        assert_eq!(Entry::parse(line).unwrap().module, m);
        assert_eq!(
            fingerprint_fields(line),
            ("ab".repeat(32).as_bytes(), "cd".repeat(32).as_bytes())
        );
    }
    assert_eq!(memo.find("a.com/x@v1.0.1"), None);
    assert_eq!(memo.find("a.com/x"), None);
    let keys: Vec<_> = memo.iter().map(|(k, _)| k.to_vec()).collect();
    assert_eq!(keys[0], b"a.com/x@v1.0.0");
    // Out of order, duplicated, or cut short: not ours.
    let mut swapped = b"header\n".to_vec();
    entry("b.org/y@v0.1.0").write_line(&mut swapped);
    entry("a.com/x@v1.0.0").write_line(&mut swapped);
    assert!(MemoLines::index(swapped, 7).is_none());
    let mut twice = b"header\n".to_vec();
    entry("a.com/x@v1.0.0").write_line(&mut twice);
    entry("a.com/x@v1.0.0").write_line(&mut twice);
    assert!(MemoLines::index(twice, 7).is_none());
    assert!(MemoLines::index(data[..data.len() - 1].to_vec(), 7).is_none());
    assert_eq!(MemoLines::index(b"header\n".to_vec(), 7).unwrap().len(), 0);
}
