use super::*;
use crate::sumdb::tiles::{Tile, TileStore, tile_number_path, tile_subtrees};
use std::path::Path;

/// RFC 6962's MTH computed straight from the leaves: the reference the tile proofs must meet.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n as u64) as usize;
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

fn records(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            format!("example.com/m{i} v1.0.{i} h1:x\nexample.com/m{i} v1.0.{i}/go.mod h1:y\n")
                .into_bytes()
        })
        .collect()
}

/// Writes the tiles of a tree of `n` leaves as go's tile server names them (full tiles plain,
/// the right edge as `.p/W`).
fn write_tiles(dir: &Path, leaves: &[Hash], n: usize) {
    for level in 0..4u32 {
        let span = 1usize << (8 * level);
        let count = n / span;
        if count == 0 {
            break;
        }
        let hashes: Vec<Hash> = (0..count)
            .map(|j| mth(&leaves[j * span..(j + 1) * span]))
            .collect();
        for (t, chunk) in hashes.chunks(256).enumerate() {
            let mut p = dir.join(format!("tile/8/{level}/{}", tile_number_path(t as u64)));
            if chunk.len() < 256 {
                p = std::path::PathBuf::from(format!("{}.p/{}", p.display(), chunk.len()));
            }
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, chunk.concat()).unwrap();
        }
    }
}

#[test]
fn tile_numbers_are_written_as_go_writes_them() {
    assert_eq!(tile_number_path(5), "005");
    assert_eq!(tile_number_path(1234567), "x001/x234/567");
    assert_eq!(tile_number_path(1000), "x001/000");
}

#[test]
fn every_record_is_proven_in_trees_of_many_sizes_and_the_trees_are_consistent() {
    let recs = records(70_000);
    let leaves: Vec<Hash> = recs.iter().map(|r| record_hash(r)).collect();
    let tmp = tempfile::tempdir().unwrap();
    // Two tree heads, as go keeps them after merging a newer one: the older one's right-edge
    // tiles stay as narrower partial tiles beside the newer ones.
    let sizes = [65_537usize, 70_000];
    for &n in &sizes {
        write_tiles(tmp.path(), &leaves, n);
    }
    let store = TileStore::new(tmp.path());
    let trees: Vec<Tree> = sizes
        .iter()
        .map(|&n| Tree {
            n: n as u64,
            hash: mth(&leaves[..n]),
        })
        .collect();
    for tree in &trees {
        for id in [0u64, 1, 255, 256, 65_535, 65_536, tree.n - 1] {
            assert_eq!(
                prove_record(&store, tree, id, &recs[id as usize]),
                Ok(()),
                "{id} in {}",
                tree.n
            );
        }
        assert_eq!(
            prove_record(&store, tree, 3, &recs[4]),
            Err(ProofError::Mismatch)
        );
        assert_eq!(
            prove_record(&store, tree, tree.n, &recs[0]),
            Err(ProofError::Mismatch)
        );
    }
    assert_eq!(prove_consistent(&store, &trees[0], &trees[1]), Ok(()));
    // A fork: a signed head of the same size with another root, or a bigger tree that is not
    // an extension of the smaller one.
    let forked = Tree {
        hash: mth(&leaves[1..65_538]),
        ..trees[0]
    };
    assert_eq!(
        prove_consistent(&store, &forked, &trees[1]),
        Err(ProofError::Mismatch)
    );
}

#[test]
fn a_changed_tile_fails_the_proof_and_a_missing_one_says_so() {
    let recs = records(600);
    let leaves: Vec<Hash> = recs.iter().map(|r| record_hash(r)).collect();
    let tmp = tempfile::tempdir().unwrap();
    write_tiles(tmp.path(), &leaves, 600);
    let tree = Tree {
        n: 600,
        hash: mth(&leaves),
    };
    // Leaf 10's own tile: its neighbour's hash is part of the proof.
    let tile = tmp.path().join("tile/8/0/000");
    let mut data = std::fs::read(&tile).unwrap();
    data[11 * 32 + 5] ^= 1;
    std::fs::write(&tile, &data).unwrap();
    assert_eq!(
        prove_record(&TileStore::new(tmp.path()), &tree, 10, &recs[10]),
        Err(ProofError::Mismatch)
    );
    data[11 * 32 + 5] ^= 1;
    std::fs::write(&tile, &data).unwrap();
    // The level-1 tile holds the hash of leaves 256..512, which the proof takes whole.
    std::fs::remove_file(tmp.path().join("tile/8/1/000.p/2")).unwrap();
    assert_eq!(
        prove_record(&TileStore::new(tmp.path()), &tree, 10, &recs[10]),
        Err(ProofError::MissingTile("tile/8/1/000".into()))
    );
    // Two widths of one tile that disagree.
    let partial = tmp.path().join("tile/8/0/002.p/88");
    let mut data = std::fs::read(&partial).unwrap();
    data.truncate(32 * 40);
    data[0] ^= 1;
    std::fs::write(tmp.path().join("tile/8/0/002.p/40"), data).unwrap();
    assert_eq!(
        prove_record(&TileStore::new(tmp.path()), &tree, 599, &recs[599]),
        Err(ProofError::TilesDisagree("tile/8/0/002".into()))
    );
}

#[test]
fn tree_notes_and_records_parse_as_tlog_parses_them() {
    let t = Tree::parse(
        b"go.sum database tree\n66398721\n5oXTdOltbW8oy+WAHSPYkUE7FskIY/5ZJCYGy+buJ3g=\n",
    )
    .unwrap();
    assert_eq!(t.n, 66398721);
    assert!(
        Tree::parse(b"go.sum database tree\n01\n5oXTdOltbW8oy+WAHSPYkUE7FskIY/5ZJCYGy+buJ3g=\n")
            .is_none()
    );
    assert!(Tree::parse(b"go.sum database tree\n1\nshort\n").is_none());
    let (id, text, rest) =
        parse_record(b"46018\na v1.0.0 h1:x\na v1.0.0/go.mod h1:y\n\ngo.sum database tree\n")
            .unwrap();
    assert_eq!(
        (id, text, rest),
        (
            46018,
            &b"a v1.0.0 h1:x\na v1.0.0/go.mod h1:y\n"[..],
            &b"go.sum database tree\n"[..]
        )
    );
    assert!(parse_record(b"x\na\n\n").is_none());
    assert!(parse_record(b"1\na\x1b\n\n").is_none());
}

/// With no tile at all, one listing pass names every tile a proof needs, each at the width
/// the proof's tree gives it; fed those tiles (as fetched bytes), the proof holds.
#[test]
fn a_listing_pass_names_every_tile_a_proof_needs_at_its_trees_width() {
    use crate::sumdb::tiles::Recording;
    let recs = records(70_000);
    let leaves: Vec<Hash> = recs.iter().map(|r| record_hash(r)).collect();
    let full = tempfile::tempdir().unwrap();
    write_tiles(full.path(), &leaves, 70_000);
    let tree = Tree {
        n: 70_000,
        hash: mth(&leaves),
    };
    let empty = tempfile::tempdir().unwrap();
    let mut store = TileStore::new(empty.path());
    let needs = {
        let listing = Recording::listing_needs(&store);
        assert!(prove_record(&listing, &tree, 65_600, &recs[65_600]).is_err());
        listing.missing()
    };
    // The leaf's tile (complete), the right edge's (partial: 70,000 − 273·256 = 112 wide), and
    // above them level 1's second tile (17 complete level-8 hashes) and level 2's first (1).
    assert_eq!(
        needs,
        [(0, 256, 256), (0, 273, 112), (1, 1, 17), (2, 0, 1)].map(|(level, n, width)| Tile {
            level,
            n,
            width
        })
    );
    for t in &needs {
        let data = std::fs::read(full.path().join(t.path())).unwrap();
        store.add_fetched(*t, data);
    }
    assert_eq!(prove_record(&store, &tree, 65_600, &recs[65_600]), Ok(()));
    // Every hash of a fetched tile is proven in the tree; one changed hash is not.
    for t in &needs {
        let data = std::fs::read(full.path().join(t.path())).unwrap();
        for (level, index, hash) in tile_subtrees(*t, &data) {
            assert_eq!(prove_subtree(&store, &tree, level, index, &hash), Ok(()));
        }
    }
    let t = needs[0];
    let mut data = std::fs::read(full.path().join(t.path())).unwrap();
    let last = data.len() - 1;
    data[last] ^= 1;
    let subtrees = tile_subtrees(t, &data);
    assert!(
        subtrees
            .iter()
            .any(|(l, i, h)| prove_subtree(&store, &tree, *l, *i, h).is_err())
    );
}
