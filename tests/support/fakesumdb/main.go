// Command fakesumdb writes a checksum database that vouches for module versions found in a
// file:// GOPROXY directory, as the files that proxy serves under sumdb/<name>/ (the
// "supported" marker, the lookups, the signed tree head and the hash tiles), and prints the
// verifier key to put in GOSUMDB. It is what x/mod's sumdb.TestServer and sumdb.Server
// answer, computed once, so that the real go can verify downloads without a network.
//
// Usage: fakesumdb <proxy dir> <path@version>...
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const name = "sum.example.test"

func main() {
	proxy, mods := os.Args[1], os.Args[2:]
	// A fixed seed: the same key on every run.
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)), name)
	check(err)
	signer, err := note.NewSigner(skey)
	check(err)

	var records [][]byte
	var hashes tlogHashes
	for _, m := range mods {
		path, vers, _ := strings.Cut(m, "@")
		base := filepath.Join(proxy, escapePath(path), "@v", escapeVersion(vers))
		zipHash, err := dirhash.HashZip(base+".zip", dirhash.Hash1)
		check(err)
		mod, err := os.ReadFile(base + ".mod")
		check(err)
		modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(mod)), nil
		})
		check(err)
		rec := fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", path, vers, zipHash, path, vers, modHash)
		id := int64(len(records))
		records = append(records, rec)
		stored, err := tlog.StoredHashesForRecordHash(id, tlog.RecordHash(rec), hashes)
		check(err)
		hashes = append(hashes, stored...)
	}

	size := int64(len(records))
	treeHash, err := tlog.TreeHash(size, hashes)
	check(err)
	signed, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: size, Hash: treeHash}))}, signer)
	check(err)

	root := filepath.Join(proxy, "sumdb", name)
	write := func(rel string, data []byte) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		check(os.MkdirAll(filepath.Dir(p), 0o777))
		check(os.WriteFile(p, data, 0o666))
	}
	write("supported", nil)
	write("latest", signed)
	for id, m := range mods {
		path, vers, _ := strings.Cut(m, "@")
		msg, err := tlog.FormatRecord(int64(id), records[id])
		check(err)
		write("lookup/"+escapePath(path)+"@"+escapeVersion(vers), append(msg, signed...))
	}
	for _, t := range tlog.NewTiles(8, 0, size) {
		data, err := tlog.ReadTileData(t, hashes)
		check(err)
		write(t.Path(), data)
	}
	fmt.Println(vkey)
}

// tlogHashes implements tlog.HashReader over a slice.
type tlogHashes []tlog.Hash

func (h tlogHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, id := range indexes {
		out[i] = h[id]
	}
	return out, nil
}

func escapePath(p string) string {
	e, err := module.EscapePath(p)
	check(err)
	return e
}

func escapeVersion(v string) string {
	e, err := module.EscapeVersion(v)
	check(err)
	return e
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
